"""Drug-name rules: error-prone abbreviations of drug names (ISMP's list, in the content model).

Abbreviations are matched as whole, case-sensitive tokens in prose (never in code, HTML,
link targets or front matter). One pattern over the page text first decides whether a page
can hold any of them, so that most pages never build their prose segments.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from validator.content_model.load import ContentModel, DrugName
from validator.facts.doses import Designation, designation_table, nearby_designations
from validator.facts.page_facts import PageFacts
from validator.model.finding import Edit, Fix, Severity
from validator.model.page import Segment
from validator.rules.base import Hit, Rule

_SENTENCE_END = (".", "!", "?")


@dataclass(frozen=True)
class NameTable:
    """The content model's drug-name abbreviations, each spelling with its row."""

    rows: dict[str, DrugName]
    pattern: re.Pattern[str]  # any spelling, for the prose segments
    # The same, one pattern per first character, for the whole page: a pattern that starts
    # with a literal is searched several times faster than a choice of them.
    by_first: tuple[re.Pattern[str], ...]
    other_meanings: dict[int, re.Pattern[str]]  # by id of the row, for the rows that have some
    near_dose: tuple[Designation, ...]  # the rows counted only next to a dose, as the dose scanner reads them

    def tokens(self, text: str, pattern: re.Pattern[str] | None = None) -> Iterator[re.Match[str]]:
        """Whole-token matches: not inside a longer word ("MSc", "AZTreonam", "CYP3A4")."""
        pattern = pattern or self.pattern
        found = pattern.search(text)
        while found is not None:
            start = found.start()
            if start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "_"):
                yield found
                found = pattern.search(text, found.end())
            else:  # a later spelling may start inside this one
                found = pattern.search(text, start + 1)

    def rows_in(self, text: str) -> dict[int, DrugName]:
        """The rows written somewhere in ``text`` and not used there in another sense."""
        found = {
            id(row): row
            for pattern in self.by_first
            for match in self.tokens(text, pattern)
            for row in (self.rows[match.group()],)
        }
        return {key: row for key, row in found.items() if not self._elsewhere(key, text)}

    def _elsewhere(self, key: int, text: str) -> bool:
        phrases = self.other_meanings.get(key)
        return phrases is not None and phrases.search(text) is not None


@lru_cache(maxsize=8)  # by the content model, compared by identity
def _table(model: ContentModel) -> NameTable | None:
    if not model.drug_names:
        return None
    rows = {written: row for row in model.drug_names for written in row.written}
    # Longest first, so that "AT III" is tried before "AT II"; the look-ahead ends the token
    # (a look-behind at the start would make the whole-page search several times slower).
    longest = sorted(rows, key=len, reverse=True)
    groups: dict[str, list[str]] = {}
    for spelling in longest:
        groups.setdefault(spelling[0], []).append(re.escape(spelling[1:]))
    by_first = tuple(re.compile(rf"{re.escape(first)}(?:{'|'.join(rests)})(?!\w)") for first, rests in groups.items())
    pattern = re.compile(rf"(?:{'|'.join(map(re.escape, longest))})(?!\w)")
    other = {
        id(row): re.compile("|".join(map(re.escape, row.other_meanings)), re.IGNORECASE)
        for row in model.drug_names
        if row.other_meanings
    }
    near = tuple(Designation(row.written, row.names[0], row.reason) for row in model.drug_names if row.near_dose)
    return NameTable(rows, pattern, by_first, other, near)


def _ends_with_name(text: str, names: Sequence[str]) -> bool:
    """Whether ``text`` ends with one of ``names`` as whole words, in any case."""
    folded = text.rstrip().casefold()
    for name in map(str.casefold, names):
        if folded.endswith(name) and _word_start(folded, len(folded) - len(name)):
            return True
    return False


def _word_start(text: str, index: int) -> bool:
    return index == 0 or not text[index - 1].isalnum()


def _gloss(text: str, start: int, end: int, row: DrugName) -> str:
    """How an abbreviation at ``text[start:end]`` is introduced: "name" when it is the definition
    of its ISMP meaning, "acetaminophen (APAP)" or "APAP (acetaminophen)"; "other" when it
    glosses another phrase, "hematopoietic cell transplant (HCT)"; "" when it is a plain use."""
    if text[start - 1 : start] == "(" and text[end : end + 1] in (")", ",", ";"):
        return "name" if _ends_with_name(text[: start - 1], row.names) else "other"
    opening = text.rfind("(", 0, start)
    if text[end : end + 1] == ")" and opening > 0 and ")" not in text[opening:start]:
        # It ends a longer aside after its name: "tenofovir disoproxil fumarate (often
        # abbreviated as DTG/3TC/TDF)".
        return "name" if _ends_with_name(text[:opening], row.names) else ""
    after = text[end:].lstrip()
    if after.startswith("(") and any(after[1:].casefold().startswith(name.casefold()) for name in row.names):
        return "name"
    return ""


def _fix(row: DrugName, text: str, found: re.Match[str], page_start: int, page_end: int) -> Fix | None:
    if len(row.names) != 1:
        return None  # two meanings: which one was meant cannot be chosen
    if page_end - page_start != len(found.group()):
        return None  # written across markup ("*AT* III"): replacing it would break the markup
    start = found.start()
    name = row.names[0]
    before = text[:start].rstrip()
    if not before or before.endswith(_SENTENCE_END):
        name = name[:1].upper() + name[1:]
    return Fix(f"Write '{name}'", (Edit(page_start, page_end, name),), safe=False)


def _message(written: str, row: DrugName) -> str:
    if len(row.names) == 1:
        return f"'{written}' is an error-prone drug-name abbreviation: {row.reason}; write '{row.names[0]}'"
    meant = " or ".join(row.names)
    return (
        f"'{written}' is an error-prone drug-name abbreviation that can mean {meant}: {row.reason}; write the full name"
    )


def _near_dose_starts(facts: PageFacts, designations: tuple[Designation, ...]) -> set[int]:
    """Page offsets of the near-dose abbreviations written within a few words of a dose."""
    lookup = designation_table(designations)
    return {
        found.page(mention.start)
        for found in facts.quantities
        for mention in nearby_designations(found.text, found.quantity, lookup)
    }


def drug_name_abbreviation(facts: PageFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    page, model = facts.page, facts.model
    table = _table(model)
    # Most pages hold no candidate, or only one the page uses in another sense (MS on pages
    # about multiple sclerosis): their prose is never built.
    candidates = table.rows_in(page.text) if table is not None else {}
    if table is None or not candidates:
        return
    uses: list[tuple[Segment, re.Match[str], DrugName]] = []
    elsewhere: set[int] = set()  # rows the page defines in another sense (by id)
    for segment in page.segments:
        for found in table.tokens(segment.text):
            row = table.rows[found.group()]
            if id(row) not in candidates:
                continue
            kind = _gloss(segment.text, found.start(), found.end(), row)
            if kind == "other":
                elsewhere.add(id(row))
            elif not kind:
                uses.append((segment, found, row))
    near: set[int] | None = None
    for segment, found, row in uses:
        if id(row) in elsewhere:
            continue
        start = segment.to_page(found.start())
        if row.near_dose:
            if near is None:
                near = _near_dose_starts(facts, table.near_dose)
            if start not in near:
                continue
        end = segment.to_page(found.end() - 1) + 1
        fix = _fix(row, segment.text, found, start, end)
        yield Hit(start, end, _message(found.group(), row), fix)


DRUG_NAME_ABBREVIATION = Rule(
    id="MON501",
    name="drug-name-abbreviation",
    category="names",
    severity=Severity.WARNING,
    summary="Error-prone drug-name abbreviation (APAP, MSO4, HCTZ, MTX, PTU)",
    rationale="ISMP lists these drug-name abbreviations because they have been misread and caused "
    "harm: MSO4 and MgSO4 are taken for each other, HCTZ for hydrocortisone, MTX for "
    "mitoxantrone, AZT for azathioprine. The list, with its source, is data in the content "
    "model (schemas/ismp-drug-names.yaml). An abbreviation counts as a whole word, case as "
    "written, in prose only. Defining it is allowed: the definition itself, 'acetaminophen "
    "(APAP)' or 'APAP (acetaminophen)', is not reported, but every later use is, because each "
    "use is read, and misread, on its own. A page that defines it in another sense "
    "('hematopoietic cell transplant (HCT)'), or has a phrase the list gives as another meaning "
    "(multiple sclerosis for MS), is not checked for it; MS, T3 and TAC count only within a few "
    "words of a dose. The full name is offered as a fix (--unsafe-fixes); where ISMP gives two "
    "meanings (TAC), there is none. A warning: the page's subject usually tells the reader "
    "which drug is meant.",
    check=drug_name_abbreviation,
)
