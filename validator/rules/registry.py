"""Every rule, listed explicitly. Adding a rule means adding its module's RULES here."""

from __future__ import annotations

from validator.rules import (
    disclaimer,
    dose_context,
    dose_glued,
    dose_numbers,
    dose_units,
    drug_names,
    frontmatter,
    headings,
    input,
    sections,
    title,
)
from validator.rules.base import Rule

ALL_RULES: tuple[Rule, ...] = (
    *input.RULES,
    *frontmatter.RULES,
    *title.RULES,
    *sections.RULES,
    *headings.RULES,
    *disclaimer.RULES,
    *sorted((*dose_numbers.RULES, *dose_units.RULES, *dose_context.RULES, *dose_glued.RULES), key=lambda rule: rule.id),
    *drug_names.RULES,
)

BY_ID: dict[str, Rule] = {rule.id: rule for rule in ALL_RULES}
BY_NAME: dict[str, Rule] = {rule.name: rule for rule in ALL_RULES}


def lookup(key: str) -> Rule | None:
    """A rule by id (MON204, any case) or name (section-missing)."""
    return BY_ID.get(key.upper()) or BY_NAME.get(key.lower())
