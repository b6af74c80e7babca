"""Dose rules about what stands next to a dose: abbreviations and comparison symbols."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ..doses import Designation, designation_table, nearby_designations, symbol_before
from ..finding import Edit, Fix, Severity
from ..page import Page
from ..schema import ContentModel
from .base import Hit, Rule
from .dose_scan import quantities


def _abbreviations(page: Page, model: ContentModel, table: Sequence[Designation], label: str) -> Iterator[Hit]:
    lookup = designation_table(table)
    seen: set[int] = set()
    for found in quantities(page, model):
        for mention in nearby_designations(found.text, found.quantity, lookup, lookup.adjacent):
            start, end = found.page(mention.start), found.page_end(mention.end)
            if start in seen:
                continue
            seen.add(start)
            entry = mention.designation
            fix = Fix(f"Write '{entry.use}'", (Edit(start, end, entry.use),), safe=False)
            yield Hit(start, end, f"'{mention.written}' {label}: {entry.reason}; write '{entry.use}'", fix)


def check_abbreviation(page: Page, model: ContentModel, options: Mapping[str, Any]) -> Iterator[Hit]:
    yield from _abbreviations(page, model, model.doses.abbreviations, "is an error-prone abbreviation")


def check_latin(page: Page, model: ContentModel, options: Mapping[str, Any]) -> Iterator[Hit]:
    yield from _abbreviations(page, model, model.doses.latin_frequencies, "is a Latin abbreviation")


def check_symbol(page: Page, model: ContentModel, options: Mapping[str, Any]) -> Iterator[Hit]:
    for found in quantities(page, model):
        written = found.quantity.unit
        kind, unit = model.doses.kind_of(written.text)
        if kind in ("unit", "variant") and not unit.compare:
            continue
        if written.per and written.per[0] in model.doses.lab_denominators:
            continue  # a laboratory value ("lactate >8 mmol/L"), not a dose
        mention = symbol_before(found.text, found.quantity, model.doses.comparison_symbols)
        if mention is None:
            continue
        start, end = found.page(mention.start), found.page_end(mention.end)
        spaced = found.text[mention.end : mention.end + 1].isspace()
        words = mention.designation.use + ("" if spaced else " ")
        fix: Fix | None = Fix(f"Write '{mention.designation.use}'", (Edit(start, end, words),), safe=False)
        if start and page.text[start - 1] in "*_":
            fix = None  # "*≤0 g*": a word after the marker would open emphasis where none was
        message = f"'{mention.written}' before a dose: {mention.designation.reason}; write '{mention.designation.use}'"
        yield Hit(start, end, message, fix)


RULES = (
    Rule(
        id="MON408",
        name="error-prone-abbreviation",
        category="dose",
        severity=Severity.ERROR,
        summary="Error-prone frequency or route abbreviation next to a dose (qd, hs, SC)",
        rationale="ISMP and The Joint Commission list these abbreviations because they are misread: "
        "'qd' as 'qid', 'qod' as 'qd', 'hs' as 'half-strength', 'SC' as 'SL', 'IN' as 'IM', "
        "'D/C' as discharge or discontinue. They are reported within three words after a dose or "
        "two before it (short words such as AD only right next to it); the plain-words fix needs "
        "--unsafe-fixes.",
        bad="Take 10 mg qd, or 5 mg SC hs.",
        good="Take 10 mg daily, or 5 mg subcutaneously at bedtime.",
        check=check_abbreviation,
    ),
    Rule(
        id="MON409",
        name="latin-frequency",
        category="dose",
        severity=Severity.WARNING,
        summary="Latin frequency abbreviation next to a dose (bid, tid, q4h)",
        rationale="bid, tid and qid are widely understood by clinicians, so this rule is off by "
        'default; sites written for patients turn it on (extend-select = ["MON409"]) to have '
        "frequencies in plain words.",
        bad="Take 500 mg bid.",
        good="Take 500 mg twice daily.",
        check=check_latin,
        default_enabled=False,
    ),
    Rule(
        id="MON410",
        name="dose-comparison-symbol",
        category="dose",
        severity=Severity.WARNING,
        summary="Comparison symbol before a dose (>10 mg)",
        rationale="ISMP: '>' and '<' are mistaken for each other and for the number 7 or the "
        "letter L; write 'more than' or 'less than'. This includes dosing thresholds (weight, "
        "creatinine clearance); laboratory values (mmol/L, mg/dL) and units the content model "
        "marks `compare: false`, such as % in '<1% of patients', are exempt. A warning, because the symbol is rarely in the dose itself.",
        bad="Do not exceed >4 g a day.",
        good="Do not take more than 4 g a day.",
        check=check_symbol,
    ),
)
