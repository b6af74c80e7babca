"""Dose rules about unit symbols: error-prone symbols, wrong case, apothecary units.

Each unit written after a number, and each denominator ("mg/ml"), is looked up in the
content model's vocabulary; the vocabulary says what it is and what to write instead.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from validator.content_model.load import ContentModel
from validator.facts.doses import DoseVocabulary, PrefixedUnits, prefixed_units
from validator.model.finding import Edit, Fix, Severity
from validator.model.page import Page, per_page
from validator.rules.base import Hit, Rule
from validator.rules.dose_scan import Found, quantities

Span = tuple[str, int, int, Any]  # as written, page offsets, and what the vocabulary says it is


# The kinds the rules below report; the others ("unit", the right spelling, and "unknown")
# are most of a page's units and are not kept.
_REPORTED = frozenset(("error-prone", "variant", "apothecary"))


@per_page  # three rules read it for the same page, one after another
def _unit_spans(page: Page, model: ContentModel) -> Mapping[str, list[Span]]:
    """Every unit and denominator written in a dose, once, with page offsets, by its kind
    in the vocabulary (see ``DoseVocabulary.kind_of``); only the kinds a rule reports."""
    doses = model.doses
    if doses is None:  # a page type without doses
        return {}
    spans: dict[str, list[Span]] = {}
    seen: set[int] = set()

    def add(text: str, found: Found, start: int, end: int) -> None:
        kind, entry = doses.kind_of(text)
        if kind in _REPORTED:
            spans.setdefault(kind, []).append((text, found.page(start), found.page_end(end), entry))

    for found in quantities(page, model):
        for amount in found.quantity.amounts:
            unit = amount.unit
            if unit is None:
                continue
            start = found.page(unit.start)
            if start in seen:
                continue
            seen.add(start)
            add(unit.text, found, unit.start, unit.end)
            offset = unit.end + 1
            for denominator in unit.per:
                add(denominator, found, offset, offset + len(denominator))
                offset += len(denominator) + 1
    return spans


def check_error_prone(page: Page, model: ContentModel, options: Mapping[str, Any]) -> Iterator[Hit]:
    for text, start, end, entry in _unit_spans(page, model).get("error-prone", ()):
        fix = Fix(f"Write '{entry.use}'", (Edit(start, end, entry.use),), safe=entry.safe)
        yield Hit(start, end, f"'{text}' is error-prone: {entry.reason}; write '{entry.use}'", fix)


def check_case(page: Page, model: ContentModel, options: Mapping[str, Any]) -> Iterator[Hit]:
    for text, start, end, unit in _unit_spans(page, model).get("variant", ()):
        fix = Fix(f"Write '{unit.unit}'", (Edit(start, end, unit.unit),))
        yield Hit(start, end, f"'{text}': write the unit as '{unit.unit}'; unit symbols are case-sensitive", fix)


def check_apothecary(page: Page, model: ContentModel, options: Mapping[str, Any]) -> Iterator[Hit]:
    doses = model.doses
    if doses is None:  # a page type without doses
        return
    hits = [
        Hit(start, end, f"'{text}' is an apothecary unit: {entry.reason}; use {entry.use}")
        for text, start, end, entry in _unit_spans(page, model).get("apothecary", ())
    ]
    prefixed = _prefixed(doses)
    segments = page.segments if prefixed.anywhere(page.text) else ()
    for segment in segments:  # the old order, unit first: "gr v", "ʒ 1"
        for mention in prefixed.mentions(segment.text):
            start = segment.to_page(mention.start)
            entry = mention.designation
            hits.append(
                Hit(
                    start,
                    start + len(mention.written),
                    f"'{mention.written}' is an apothecary unit: {entry.reason}; use {entry.use}",
                )
            )
    yield from sorted(hits, key=lambda hit: hit.start)


@lru_cache(maxsize=8)  # by the vocabulary, compared by identity: hashing its designations is slow
def _prefixed(vocabulary: DoseVocabulary) -> PrefixedUnits:
    return prefixed_units(vocabulary.apothecary)


RULES = (
    Rule(
        id="MON404",
        name="dose-unit-error-prone",
        category="dose",
        severity=Severity.ERROR,
        summary="Error-prone unit symbol (µg, cc, U, IU, mgs)",
        rationale="ISMP and The Joint Commission list these symbols because they are misread: "
        "'µg' as 'mg', 'U' as '0' or '4', 'IU' as 'IV' or '10', 'cc' as 'u'. The content model "
        "lists each error-prone spelling with its safe replacement and whether replacing it keeps "
        "the wording (µg -> mcg and cc -> mL are safe fixes; U and IU -> units need --unsafe-fixes).",
        check=check_error_prone,
    ),
    Rule(
        id="MON405",
        name="dose-unit-case",
        category="dose",
        severity=Severity.ERROR,
        summary="Unit symbol in the wrong case (ml, MG)",
        rationale="Unit symbols are case-sensitive (UCUM, SI): the litre is 'L', so millilitres "
        "are 'mL'; 'MG' and 'Mg' are not milligrams. The content model lists each unit's wrong-case "
        "variants.",
        check=check_case,
    ),
    Rule(
        id="MON411",
        name="apothecary-unit",
        category="dose",
        severity=Severity.ERROR,
        summary="Apothecary unit (grains, drams, minims)",
        rationale="ISMP asks for metric units only: 'gr' (grain) is confused with gram, and a grain "
        "is 60 mg or 64.8 mg depending on the source, so there is no automatic fix.",
        check=check_apothecary,
    ),
)
