"""Dose rules about unit symbols: error-prone symbols, wrong case, apothecary units.

Each unit written after a number, and each denominator ("mg/ml"), is looked up in the
content model's vocabulary (once per page: ``PageFacts.unit_spans``); the vocabulary says
what it is and what to write instead.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from validator.facts.doses import DoseVocabulary, PrefixedUnits, prefixed_units
from validator.facts.page_facts import PageFacts
from validator.model.finding import Edit, Fix, Severity
from validator.rules.base import Aspect, Hit, Rule


def dose_unit_error_prone(facts: PageFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    for text, start, end, entry in facts.unit_spans.get("error-prone", ()):
        fix = Fix(f"Write '{entry.use}'", (Edit(start, end, entry.use),), safe=entry.safe)
        yield Hit(start, end, f"'{text}' is error-prone: {entry.reason}; write '{entry.use}'", fix, subject=text)


DOSE_UNIT_ERROR_PRONE = Rule(
    id="MON404",
    name="dose-unit-error-prone",
    category="dose",
    aspect=Aspect.DOSE_NOTATION,
    severity=Severity.ERROR,
    summary="Error-prone unit symbol (µg, cc, U, IU, mgs)",
    rationale="ISMP and The Joint Commission list these symbols because they are misread: "
    "'µg' as 'mg', 'U' as '0' or '4', 'IU' as 'IV' or '10', 'cc' as 'u'. The content model "
    "lists each error-prone spelling with its safe replacement and whether replacing it keeps "
    "the wording (µg -> mcg and cc -> mL are safe fixes; U and IU -> units need --unsafe-fixes).",
    check=dose_unit_error_prone,
)


def dose_unit_case(facts: PageFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    for text, start, end, unit in facts.unit_spans.get("variant", ()):
        fix = Fix(f"Write '{unit.unit}'", (Edit(start, end, unit.unit),))
        message = f"'{text}': write the unit as '{unit.unit}'; unit symbols are case-sensitive"
        yield Hit(start, end, message, fix, subject=text)


DOSE_UNIT_CASE = Rule(
    id="MON405",
    name="dose-unit-case",
    category="dose",
    aspect=Aspect.DOSE_NOTATION,
    severity=Severity.ERROR,
    summary="Unit symbol in the wrong case (ml, MG)",
    rationale="Unit symbols are case-sensitive (UCUM, SI): the litre is 'L', so millilitres "
    "are 'mL'; 'MG' and 'Mg' are not milligrams. The content model lists each unit's wrong-case "
    "variants.",
    check=dose_unit_case,
)


def apothecary_unit(facts: PageFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    page, model = facts.page, facts.model
    doses = model.doses
    if doses is None:  # a page type without doses
        return
    hits = [
        Hit(start, end, f"'{text}' is an apothecary unit: {entry.reason}; use {entry.use}", subject=text)
        for text, start, end, entry in facts.unit_spans.get("apothecary", ())
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
                    subject=mention.written,
                )
            )
    yield from sorted(hits, key=lambda hit: hit.start)


APOTHECARY_UNIT = Rule(
    id="MON411",
    name="apothecary-unit",
    category="dose",
    aspect=Aspect.DOSE_NOTATION,
    severity=Severity.ERROR,
    summary="Apothecary unit (grains, drams, minims)",
    rationale="ISMP asks for metric units only: 'gr' (grain) is confused with gram, and a grain "
    "is 60 mg or 64.8 mg depending on the source, so there is no automatic fix.",
    check=apothecary_unit,
)


@lru_cache(maxsize=8)  # by the vocabulary, compared by identity: hashing its designations is slow
def _prefixed(vocabulary: DoseVocabulary) -> PrefixedUnits:
    return prefixed_units(vocabulary.apothecary)
