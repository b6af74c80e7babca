"""Every rule, listed explicitly, one line each: the index from a rule's id to the module that
holds its check and its record. Adding a rule means adding its line here, in id order."""

from __future__ import annotations

from validator.rules import (
    disclaimer,
    dose_context,
    dose_glued,
    dose_numbers,
    dose_units,
    drug_names,
    drug_names_spelling,
    frontmatter,
    headings,
    input,
    look_alike,
    sections,
    site,
    title,
)
from validator.rules.base import Rule

ALL_RULES: tuple[Rule, ...] = (
    input.INTERNAL_ERROR,  # MON000
    input.UNREADABLE_FILE,  # MON001
    input.NOT_UTF8,  # MON002
    input.BINARY_FILE,  # MON003
    input.FRONTMATTER_MISSING,  # MON004
    input.FRONTMATTER_UNCLOSED,  # MON005
    input.FRONTMATTER_INVALID_YAML,  # MON006
    input.FRONTMATTER_NOT_MAPPING,  # MON007
    input.FRONTMATTER_DUPLICATE_KEY,  # MON008
    input.BAD_SUPPRESSION,  # MON009
    input.FIX_NOT_WRITTEN,  # MON010
    input.RESOURCE_LIMIT,  # MON011
    input.DOSE_LIMIT,  # MON012
    frontmatter.FRONTMATTER_SCHEMA,  # MON101
    title.TITLE_MISSING,  # MON201
    title.TITLE_MULTIPLE,  # MON202
    title.TITLE_MISMATCH,  # MON203
    sections.SECTION_MISSING,  # MON204
    sections.SECTION_ORDER,  # MON205
    sections.SECTION_LEVEL,  # MON206
    sections.HEADING_NOT_CANONICAL,  # MON207
    sections.SECTION_DUPLICATE,  # MON208
    sections.SECTION_EMPTY,  # MON209
    sections.UNKNOWN_SECTION,  # MON210
    headings.HEADING_INCREMENT,  # MON211
    disclaimer.DISCLAIMER_MISSING,  # MON301
    disclaimer.DISCLAIMER_NOT_LAST,  # MON302
    disclaimer.DISCLAIMER_INCOMPLETE,  # MON303
    disclaimer.DISCLAIMER_LABEL,  # MON304
    dose_numbers.DOSE_NO_SPACE,  # MON401
    dose_numbers.DOSE_TRAILING_ZERO,  # MON402
    dose_numbers.DOSE_LEADING_ZERO,  # MON403
    dose_units.DOSE_UNIT_ERROR_PRONE,  # MON404
    dose_units.DOSE_UNIT_CASE,  # MON405
    dose_numbers.DOSE_THOUSANDS_SEPARATOR,  # MON406
    dose_numbers.DOSE_LARGE_NUMBER,  # MON407
    dose_context.ERROR_PRONE_ABBREVIATION,  # MON408
    dose_context.LATIN_FREQUENCY,  # MON409
    dose_context.DOSE_COMPARISON_SYMBOL,  # MON410
    dose_units.APOTHECARY_UNIT,  # MON411
    dose_glued.DOSE_UNIT_PERIOD,  # MON412
    dose_glued.DOSE_NAME_RUN_IN,  # MON413
    drug_names.DRUG_NAME_ABBREVIATION,  # MON501
    look_alike.TALL_MAN_LETTERING,  # MON502
    look_alike.LOOK_ALIKE_NAME,  # MON503
    drug_names_spelling.GENERIC_NAME_MISSPELLED,  # MON504
    site.DUPLICATE_TITLE,  # MON601
    site.COMBINATION_NAME_MISMATCH,  # MON602
)

BY_ID: dict[str, Rule] = {rule.id: rule for rule in ALL_RULES}
BY_NAME: dict[str, Rule] = {rule.name: rule for rule in ALL_RULES}


def lookup(key: str) -> Rule | None:
    """A rule by id (any case) or name, as `monolint rules` lists them."""
    return BY_ID.get(key.upper()) or BY_NAME.get(key.lower())
