"""The unit symbols written in a page's doses, by what the vocabulary says they are."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from validator.content_model.vocabulary import DoseVocabulary
from validator.facts.dose_scan import Found

UnitSpan = tuple[str, int, int, Any]  # as written, page offsets, and what the vocabulary says it is

# The kinds the unit rules report; the others ("unit", the right spelling, and "unknown")
# are most of a page's units and are not kept.
REPORTED_KINDS = frozenset(("error-prone", "variant", "apothecary"))


def unit_spans(quantities: tuple[Found, ...], doses: DoseVocabulary | None) -> Mapping[str, list[UnitSpan]]:
    """Every unit and denominator written in a dose, once, with page offsets, by its kind
    in the vocabulary (see ``DoseVocabulary.kind_of``); only the ``REPORTED_KINDS``."""
    if doses is None:  # a page type without doses
        return {}
    spans: dict[str, list[UnitSpan]] = {}
    seen: set[int] = set()

    def add(text: str, found: Found, start: int, end: int) -> None:
        kind, entry = doses.kind_of(text)
        if kind in REPORTED_KINDS:
            spans.setdefault(kind, []).append((text, found.page(start), found.page_end(end), entry))

    for found in quantities:
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
