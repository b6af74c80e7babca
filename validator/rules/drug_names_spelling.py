"""The page's own drug name misspelled: a word one or two edits from a word of the page's title
or generic-name line (validator/facts/name_variants.py says which pairs count).

Which spelling is wrong is decided by the page: the spelling its sections use most is taken as
right, and every other spelling of the same name is reported where it stands, the title and
the generic-name line included (real: title "Acrivastine + Pesudoephedrine", generic name
"Acrivastine + Pseudoephedrine", and "pseudoephedrine" nine times in the sections). A page whose
sections use two spellings equally often is not reported: nothing tells which is right.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from validator.facts.drug_identity import Named
from validator.facts.look_alike import name_table, segment_start
from validator.facts.name_variants import WORD, near_words, words_ending_like
from validator.facts.page_facts import PageFacts
from validator.model.finding import Edit, Fix, Severity
from validator.rules.base import Hit, Rule

_ASIDE = re.compile(r"\([^)]*\)?")
_NAME_END = re.compile(r"[.;:]|\s(?:is|are|was)\s")
_NAME_WORDS = 8  # the most words of a generic-name line that is a name, not a sentence


@dataclass(frozen=True)
class _Use:
    start: int
    end: int
    written: str
    where: str  # "title", "generic", "heading" (another heading) or "sections" (prose)


def _reference_words(named: Named | None) -> set[str]:
    """The folded words of a name line that name the drug: without asides in brackets
    ("Adrenaline (also known as Epinephrine)") and without a sentence after the name."""
    if named is None:
        return set()
    words = WORD.findall(_NAME_END.split(_ASIDE.sub(" ", named.text), maxsplit=1)[0])
    # A sentence in place of the name ("This combination has no single generic name ...")
    # names no drug.
    return {word.casefold() for word in words} if len(words) <= _NAME_WORDS else set()


def _line_words(named: Named | None) -> set[str]:
    return {word.casefold() for word in WORD.findall(named.text)} if named is not None else set()


def _candidates(facts: PageFacts, min_length: int) -> dict[str, set[str]]:
    """Each reference word with its near spellings on the page; empty for most pages."""
    identity = facts.drug
    references = _reference_words(identity.title) | _reference_words(identity.generic)
    references = {word for word in references if len(word) >= min_length}
    if not references:
        return {}
    lowered, body = facts.lowered, facts.page.body_start
    table = name_table(facts.model)
    listed = set(table.form) if table is not None else set()
    title_words, generic_words = _line_words(identity.title), _line_words(identity.generic)
    found: dict[str, set[str]] = {}
    for reference in sorted(references):
        for word in near_words(reference, words_ending_like(lowered, reference, body), min_length):
            if reference in listed and word in listed:
                continue  # two names of a look-alike list: two drugs (prednisone, prednisolone)
            pair = {reference, word}
            if pair <= title_words or pair <= generic_words:
                continue  # both in one name line: declared synonyms ("Lidocaine/Lignocaine")
            found.setdefault(reference, set()).add(word)
    return found


def _uses(facts: PageFacts, spellings: set[str]) -> list[_Use]:
    """Where the page writes any of ``spellings``, in the title, the generic-name line or the
    sections' prose."""
    identity, page = facts.drug, facts.page
    title, generic = identity.title, identity.generic
    uses: list[_Use] = []
    if title is not None and not _in_body(facts, title):
        # The title's line in the front matter (there is no title heading that says the same).
        line = page.text[title.start : title.end]
        uses += [
            _Use(title.start + m.start(), title.start + m.end(), m.group(), "title") for m in _words(line, spellings)
        ]
    headings = [(heading.text_start, heading.text_end) for heading in page.headings]
    for segment in page.segments:
        start = segment_start(segment)
        where = "title" if _within(start, title) else "generic" if _within(start, generic) else "sections"
        if where == "sections" and any(low <= start < high for low, high in headings):
            where = "heading"  # not counted: the generic-name heading may repeat the title
        for found in _words(segment.text, spellings):
            page_start, page_end = segment.to_page(found.start()), segment.to_page(found.end() - 1) + 1
            uses.append(_Use(page_start, page_end, found.group(), where))
    return uses


def _in_body(facts: PageFacts, named: Named) -> bool:
    return named.start >= facts.page.body_start


def _within(offset: int, named: Named | None) -> bool:
    return named is not None and named.start <= offset < max(named.end, named.start + 1)


def _words(text: str, spellings: set[str]) -> Iterator[re.Match[str]]:
    return (found for found in WORD.finditer(text) if found.group().casefold() in spellings)


def _declared(text: str, start: int, markers: tuple[str, ...]) -> bool:
    """Whether the word at ``start`` is introduced as another name: right after "(" or one of
    ``markers`` ("also known as lignocaine")."""
    before = text[:start].rstrip().casefold()
    return before.endswith("(") or any(before.endswith(marker) and _word_end(before, marker) for marker in markers)


def _word_end(text: str, marker: str) -> bool:
    index = len(text) - len(marker)
    return index == 0 or not text[index - 1].isalnum()


def _as_written(name: str, written: str) -> str:
    if written.isupper() and len(written) > 1:
        return name.upper()
    return name[:1].upper() + name[1:] if written[:1].isupper() else name


def generic_name_misspelled(facts: PageFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    candidates = _candidates(facts, options["min_length"])
    if not candidates:
        return
    markers = tuple(marker.casefold() for marker in options["alias_markers"])
    declared = _declared_spellings(facts, candidates, markers)
    names = _line_words(facts.drug.title) | _line_words(facts.drug.generic)
    reported: set[tuple[int, int]] = set()
    for reference, near in sorted(candidates.items()):
        spellings = {reference} | (near - declared)
        if len(spellings) < 2:
            continue
        uses = _uses(facts, spellings)
        counts = Counter(use.written.casefold() for use in uses if use.where == "sections")
        right = _right(counts, spellings & names)
        if right is None:
            continue
        for use in uses:
            wrong = use.written.casefold()
            if wrong == right or (use.start, use.end) in reported:
                continue
            if wrong in names and _distance(wrong, right) > 1:
                continue  # the page's own name: only a one-edit slip is evidence enough
            reported.add((use.start, use.end))
            yield _hit(use, right, counts[right])


def _right(counts: Counter[str], names: set[str]) -> str | None:
    """The spelling taken as right: of the page's own names, the one its sections use most,
    if they use it twice or more (on purpose); else the spelling the sections use most. None
    when two tie: nothing tells which is right."""
    ranked = sorted(((counts[name], name) for name in names if counts[name] >= 2), reverse=True)
    ranked = ranked or sorted(((times, word) for word, times in counts.items()), reverse=True)
    if not ranked or (len(ranked) > 1 and ranked[0][0] == ranked[1][0]):
        return None
    return ranked[0][1]


def _distance(one: str, other: str) -> int:
    from rapidfuzz.distance import OSA

    return int(OSA.distance(one, other))


def _declared_spellings(facts: PageFacts, candidates: dict[str, set[str]], markers: tuple[str, ...]) -> set[str]:
    """The near spellings that the page introduces as other names of the drug."""
    near = {word for words in candidates.values() for word in words} | set(candidates)
    declared = set()
    for segment in facts.page.segments:
        for found in _words(segment.text, near):
            if _declared(segment.text, found.start(), markers):
                declared.add(found.group().casefold())
    return declared


def _hit(use: _Use, right: str, times: int) -> Hit:
    suggestion = _as_written(right, use.written)
    counted = f"'{suggestion}' as the page's sections write it {times} time{'s' if times != 1 else ''}"
    if use.where == "title":
        # No fix: the title heading must equal the front matter title (title-mismatch), and the
        # title is usually the page's address; both are changed together, by hand.
        message = (
            f"the title's '{use.written}' is written '{suggestion}' in the page's sections ({times} "
            f"time{'s' if times != 1 else ''}): one of the two is misspelled; if it is the title, "
            "change the front matter title too"
        )
        return Hit(use.start, use.end, message)
    place = "the generic name" if use.where == "generic" else "the page's drug name"
    message = f"'{use.written}' looks like a misspelling of {place}: did you mean {counted}?"
    fix = Fix(f"Write '{suggestion}'", (Edit(use.start, use.end, suggestion),), safe=False)
    return Hit(use.start, use.end, message, fix)


GENERIC_NAME_MISSPELLED = Rule(
    id="MON504",
    name="generic-name-misspelled",
    category="names",
    severity=Severity.WARNING,
    summary="The page's own drug name misspelled (Leucocorin on the leucovorin page)",
    rationale="A misspelt drug name is a name no pharmacist can look up, and may be read as another "
    "drug. A word one or two edits away (rapidfuzz's optimal string alignment distance) from a word of "
    "the page's title or generic-name line is reported with the suggestion. Real different drugs and "
    "words are as close (predniSONE / prednisoLONE, lactase / lactose, injection / infection), so only "
    "pairs that start and end alike count, neither holds the other, two spellings of one word (sulphate, "
    "gonadotrophin) are allowed, two edits count only in names of nine letters or more, and names of the "
    "look-alike lists are never each other's misspellings. A spelling the page introduces as another name "
    "('Ciclosporin (also known as cyclosporine)', 'Lidocaine/Lignocaine') is not reported. When spellings "
    "disagree, the one the page's sections use most is taken as right and the others are reported, the "
    "title and generic-name line included ('Acrivastine + Pesudoephedrine'); the title gets no fix, as it "
    "must change with the front matter title. A page that uses two spellings equally often is not "
    "reported.",
    check=generic_name_misspelled,
    options={
        "min_length": {
            "type": "integer",
            "minimum": 5,
            "default": 7,
            "description": "Words of the page's names shorter than this are not checked (short words are "
            "too close to ordinary words).",
        },
        "alias_markers": {
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "default": ["also known as", "known as", "also called", "formerly", "or", "aka"],
            "description": "Words after which a spelling is introduced as another name of the drug "
            "('also known as lignocaine'); a word right after '(' is too.",
        },
    },
)
