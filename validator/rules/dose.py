"""Dose rules (first version): ISMP error-prone dose designations in prose.

Quantities come from validator.doses; units and their safe spellings from the content model.
Text in code spans, code blocks, HTML and link targets is not prose and is never scanned.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from ..doses import Quantity, UnitVocabulary, scan
from ..finding import Edit, Fix, Severity
from ..page import Page
from ..schema import ContentModel
from .base import Hit, Rule


@lru_cache(maxsize=8)
def _vocabulary(model: ContentModel) -> UnitVocabulary:
    spellings = [unit.unit for unit in model.units]
    for entry in model.error_prone_units:
        spellings.extend(entry.written)
    return UnitVocabulary(tuple(dict.fromkeys(spellings)))


@lru_cache(maxsize=16)
def _quantities(page: Page, model: ContentModel) -> tuple[tuple[int, Quantity], ...]:
    """(run start offset, quantity) for every quantity in the page's prose."""
    vocabulary = _vocabulary(model)
    return tuple((run.start, quantity) for run in page.runs for quantity in scan(run.text, vocabulary))


def _unspaced(model: ContentModel) -> frozenset[str]:
    return frozenset(unit.unit for unit in model.units if not unit.spaced)


def check_no_space(page: Page, model: ContentModel, options: Mapping[str, Any]) -> Iterator[Hit]:
    unspaced = _unspaced(model)
    for base, quantity in _quantities(page, model):
        gap_start, gap_end = quantity.gap
        if gap_start != gap_end or quantity.unit in unspaced:
            continue
        number = quantity.numbers[-1]
        start, end = base + number.start, base + quantity.unit_end
        fix = Fix("Insert a space", (Edit(base + gap_start, base + gap_end, " "),))
        message = f"'{number.text}{quantity.unit}': put a space between the number and the unit ('{number.text} {quantity.unit}')"
        yield Hit(start, end, message, fix)


def check_trailing_zero(page: Page, model: ContentModel, options: Mapping[str, Any]) -> Iterator[Hit]:
    for base, quantity in _quantities(page, model):
        if quantity.per and quantity.per[0] in model.lab_denominators:
            continue  # a laboratory value ("1.0 mEq/L") may show its precision (ISMP)
        for number in quantity.numbers:
            if "." not in number.text or not number.text.endswith("0"):
                continue
            fixed = number.text.rstrip("0").rstrip(".") or "0"
            # '.50' becomes '.5' here; dose-leading-zero inserts the '0', so advise '0.5'.
            advice = "0" + fixed if fixed.startswith(".") else fixed
            fix = Fix(f"Write '{advice}'", (Edit(base + number.start, base + number.end, fixed),))
            message = (
                f"'{number.text} {quantity.unit}': a trailing zero is misread as ten times the dose; "
                f"write '{advice} {quantity.unit}'"
            )
            yield Hit(base + number.start, base + number.end, message, fix)


def check_leading_zero(page: Page, model: ContentModel, options: Mapping[str, Any]) -> Iterator[Hit]:
    for base, quantity in _quantities(page, model):
        for number in quantity.numbers:
            if not number.text.startswith("."):
                continue
            fixed = "0" + number.text
            fix = Fix(f"Write '{fixed}'", (Edit(base + number.start, base + number.start, "0"),))
            message = f"'{number.text} {quantity.unit}': a missing leading zero is misread as ten times the dose; write '{fixed}'"
            yield Hit(base + number.start, base + number.end, message, fix)


def check_unit(page: Page, model: ContentModel, options: Mapping[str, Any]) -> Iterator[Hit]:
    replacements = {written: entry for entry in model.error_prone_units for written in entry.written}
    for base, quantity in _quantities(page, model):
        entry = replacements.get(quantity.unit)
        if entry is None:
            continue
        start, end = base + quantity.unit_start, base + quantity.unit_end
        fix = Fix(f"Write '{entry.use}'", (Edit(start, end, entry.use),), safe=len(entry.use) <= 3)
        yield Hit(start, end, f"'{quantity.unit}' is error-prone: {entry.reason}; write '{entry.use}'", fix)


RULES = (
    Rule(
        id="MON401",
        name="dose-no-space",
        category="dose",
        severity=Severity.ERROR,
        summary="Number run into its unit",
        rationale="ISMP lists doses written without a space ('10mg') as error-prone: the 'm' can "
        "be read as a zero ('100 mg'), and the unit blurs into the number. Units the content "
        "model marks `spaced: false` (such as %) are exempt.",
        bad="Take 10mg twice daily.",
        good="Take 10 mg twice daily.",
        check=check_no_space,
    ),
    Rule(
        id="MON402",
        name="dose-trailing-zero",
        category="dose",
        severity=Severity.ERROR,
        summary="Dose with a trailing zero after the decimal point",
        rationale="On The Joint Commission's Do Not Use list: if the decimal point is missed, "
        "'5.0 mg' is read as '50 mg', a tenfold overdose.",
        bad="The usual dose is 5.0 mg.",
        good="The usual dose is 5 mg.",
        check=check_trailing_zero,
    ),
    Rule(
        id="MON403",
        name="dose-leading-zero",
        category="dose",
        severity=Severity.ERROR,
        summary="Dose below one without a leading zero",
        rationale="On The Joint Commission's Do Not Use list: if the decimal point is missed, "
        "'.5 mg' is read as '5 mg', a tenfold overdose.",
        bad="Start with .5 mg at night.",
        good="Start with 0.5 mg at night.",
        check=check_leading_zero,
    ),
    Rule(
        id="MON404",
        name="dose-unit-error-prone",
        category="dose",
        severity=Severity.ERROR,
        summary="Error-prone unit symbol (µg, cc, U, IU, ml)",
        rationale="ISMP and The Joint Commission list these symbols because they are misread: "
        "'µg' as 'mg', 'U' as '0' or '4', 'IU' as 'IV' or '10', 'cc' as 'u'. The content model "
        "lists each error-prone spelling with its safe replacement.",
        bad="Inject 10 U of insulin; the vial holds 250 µg.",
        good="Inject 10 units of insulin; the vial holds 250 mcg.",
        check=check_unit,
    ),
)
