"""Dose rules about what stands next to a dose: abbreviations and comparison symbols."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from validator.facts.doses import (
    ComparisonScope,
    Designation,
    comparisons,
    designation_table,
    nearby_designations,
    symbol_before,
)
from validator.facts.doses.context import Mention
from validator.facts.page_facts import PageFacts
from validator.model.finding import Edit, Fix, Severity
from validator.model.page import Page
from validator.rules.base import Aspect, Hit, Rule

_REFERENCE = re.compile(r"&(?:[A-Za-z]+|#[0-9]+|#[xX][0-9A-Fa-f]+);")


def _abbreviations(facts: PageFacts, table: Sequence[Designation], label: str) -> Iterator[Hit]:
    lookup = designation_table(table)
    seen: set[int] = set()
    for found in facts.quantities:
        for mention in nearby_designations(found.text, found.quantity, lookup, lookup.adjacent):
            start, end = found.page(mention.start), found.page_end(mention.end)
            if start in seen:
                continue
            seen.add(start)
            entry = mention.designation
            fix = Fix(f"Write '{entry.use}'", (Edit(start, end, entry.use),), safe=False)
            message = f"'{mention.written}' {label}: {entry.reason}; write '{entry.use}'"
            yield Hit(start, end, message, fix, subject=mention.written)


def error_prone_abbreviation(facts: PageFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    doses = facts.model.doses
    if doses is None:  # a page type without doses
        return
    yield from _abbreviations(facts, doses.abbreviations, "is an error-prone abbreviation")


ERROR_PRONE_ABBREVIATION = Rule(
    id="MON408",
    name="error-prone-abbreviation",
    category="dose",
    aspect=Aspect.DOSE_NOTATION,
    severity=Severity.ERROR,
    summary="Error-prone frequency or route abbreviation next to a dose (qd, hs, SC)",
    rationale="ISMP and The Joint Commission list these abbreviations because they are misread: "
    "'qd' as 'qid', 'qod' as 'qd', 'hs' as 'half-strength', 'SC' as 'SL', 'IN' as 'IM', "
    "'D/C' as discharge or discontinue. They are reported within three words after a dose or "
    "two before it (short words such as AD only right next to it); the plain-words fix needs "
    "--unsafe-fixes.",
    check=error_prone_abbreviation,
)


def latin_frequency(facts: PageFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    doses = facts.model.doses
    if doses is None:  # a page type without doses
        return
    yield from _abbreviations(facts, doses.latin_frequencies, "is a Latin abbreviation")


LATIN_FREQUENCY = Rule(
    id="MON409",
    name="latin-frequency",
    category="dose",
    aspect=Aspect.DOSE_NOTATION,
    severity=Severity.WARNING,
    summary="Latin frequency abbreviation next to a dose (bid, tid, q4h)",
    rationale="bid, tid and qid are widely understood by clinicians, so this rule is off by "
    'default; sites written for patients turn it on (extend-select = ["MON409"]) to have '
    "frequencies in plain words.",
    check=latin_frequency,
    default_enabled=False,
)


def dose_comparison_symbol(facts: PageFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    page, model = facts.page, facts.model
    doses = model.doses
    if doses is None:  # a page type without doses
        return
    scopes = comparisons(doses)
    judged: set[int] = set()  # the symbols whose scope is known, reported or not
    for found in facts.quantities:
        mention = symbol_before(found.text, found.quantity, doses.comparison_symbols)
        if mention is None:
            continue
        start = found.page(mention.start)
        judged.add(start)
        scope = scopes.scope_of(found.text, found.quantity)
        if scope is not None and scope.report:
            yield _symbol_hit(page, found.text, mention, start, found.page_end(mention.end), scope)
    if not scopes.maybe_in(page.text):
        return  # the common case: no symbol before a number, and no prose read for one
    # Numbers of the scopes that are not doses ("<12 years"): the dose scanner does not find them.
    for segment in page.numeric_segments:
        for mention, scope in scopes.compared(segment.text):
            start = segment.to_page(mention.start)
            if start not in judged and scope.report:
                judged.add(start)
                end = segment.to_page(mention.end - 1) + 1
                yield _symbol_hit(page, segment.text, mention, start, end, scope)


DOSE_COMPARISON_SYMBOL = Rule(
    id="MON410",
    name="dose-comparison-symbol",
    category="dose",
    aspect=Aspect.DOSE_NOTATION,
    severity=Severity.WARNING,
    summary="Comparison symbol before a dose or another clinical number (>10 mg, <12 years)",
    rationale="ISMP: '>' and '<' are mistaken for each other ('<10' has been read as '40'); "
    "write 'more than' or 'less than' (and 'at least', 'at most' for '≥', '≤'). What the number "
    "measures, its scope, is read from what follows it, as the content model's "
    "`doses.comparison_scopes` lists it, and each scope is reported or not: reported by default "
    "are `dose` (any dose quantity no other scope claims: '>4 g a day'), `dosing-threshold` "
    "(creatinine clearance, body surface area, BMI: 'CrCl <30 mL/min', 'BSA ≥1.2 m²'), "
    "`weight` ('<40 kg'), `age` ('<12 years', '≥6 months', '≤28 days old') and `duration` "
    "('>48 hours apart', '<12 hours late'); not reported by default are `lab-value` "
    "('>8 mmol/L', '<50,000/mm³', '>3 times ULN'), as results and reference ranges are "
    "written with symbols by convention and do not set a dose, and `incidence` ('<1% of "
    "patients', '≥1/10'), the standard notation of side-effect frequency tables. A team turns "
    "a scope on or off with its `report` key in a copy of the content model (`--schema` or "
    "`schema = ...`), and may add scopes of its own with their spellings (`after`) or "
    "denominators (`per`); the message names the scope ('<' before an age). A warning, because "
    "the symbol is rarely in the dose itself.",
    check=dose_comparison_symbol,
)


def _symbol_hit(page: Page, text: str, mention: Mention, start: int, end: int, scope: ComparisonScope) -> Hit:
    use, reason = mention.designation.use, mention.designation.reason
    spaced = text[mention.end : mention.end + 1].isspace()
    fix: Fix | None = None
    if page.text[start:end] != mention.written:  # a character reference, "&lt;": cover it whole
        reference = _REFERENCE.match(page.text, start)
        end = reference.end() if reference is not None else end
    # After "*" or "_" ("*≤0 g*"), a word would open emphasis where none was.
    if not (start and page.text[start - 1] in "*_"):
        fix = Fix(f"Write '{use}'", (Edit(start, end, use + ("" if spaced else " ")),), safe=False)
    message = f"'{mention.written}' before {scope.label}: {reason}; write '{use}'"
    return Hit(start, end, message, fix, subject=mention.written)
