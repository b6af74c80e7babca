"""Look-alike drug names on a page: where the content model's names are written, which of
them the page is about, and where its dosing text is.

The content model's groups become one case-insensitive pattern of whole words; a page whose
text holds none of the names costs one search.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from validator.content_model.load import ContentModel
from validator.facts.drug_identity import DrugIdentity
from validator.facts.outline import Outline
from validator.model.page import Page, Segment


@dataclass(frozen=True)
class NameTable:
    """The look-alike names of a content model, by their case-folded spelling."""

    form: dict[str, str]  # folded name -> its Tall Man form
    partners: dict[str, frozenset[str]]  # folded name -> the folded names it is confused with
    other_sense: frozenset[str]  # folded names that usually mean something else
    pattern: re.Pattern[str]  # any name, any case, as a whole word

    def mentions(self, text: str) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(text)


@lru_cache(maxsize=8)  # by the content model, compared by identity
def name_table(model: ContentModel) -> NameTable | None:
    if not model.look_alike:
        return None
    form: dict[str, str] = {}
    partners: dict[str, set[str]] = {}
    other: set[str] = set()
    for group in model.look_alike:
        folded = group.folded()
        for name, key in zip(group.names, folded, strict=True):
            form.setdefault(key, name)
            partners.setdefault(key, set()).update(other for other in folded if other != key)
        other.update(name.casefold() for name in group.other_sense)
    longest = sorted(form, key=len, reverse=True)
    pattern = re.compile(rf"(?<![\w-])(?:{'|'.join(map(re.escape, longest))})(?!\w)", re.IGNORECASE)
    return NameTable(form, {key: frozenset(value) for key, value in partners.items()}, frozenset(other), pattern)


def names_about(model: ContentModel, identity: DrugIdentity) -> frozenset[str]:
    """The folded look-alike names that the page's title or generic-name line names: the
    drugs the page is about."""
    table = name_table(model)
    if table is None:
        return frozenset()
    found = (identity.title, identity.generic)
    return frozenset(match.group().casefold() for named in found if named for match in table.mentions(named.text))


def section_spans(page: Page, found: Outline, sections: tuple[int, ...]) -> tuple[tuple[int, int], ...]:
    """The page-text spans of the given model sections: from each one's heading to the next
    heading at section level (or the end of the page)."""
    if not sections:
        return ()
    spans = []
    entries = found.headings
    for index, entry in enumerate(entries):
        if entry.section in sections:
            end = entries[index + 1].heading.start if index + 1 < len(entries) else len(page.text)
            spans.append((entry.heading.end, end))
    return tuple(spans)


def segment_start(segment: Segment) -> int:
    """The page offset where a prose segment starts."""
    return segment.pieces[0][1] if segment.pieces else 0
