"""Rules that compare pages: each reads every page's summary (``model.site.PageSummary``), once,
after all pages are checked, and never a page itself (see ``check.site``)."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from validator.facts.listed_names import outside_parentheses, title_key
from validator.model.finding import Location, Severity
from validator.model.site import NameSpan, PageSummary
from validator.rules.base import Rule, SiteHit, shorten


def _where(page: PageSummary, name: NameSpan) -> str:
    return f"{page.path}:{name.start.line}"


def _location(page: PageSummary, name: NameSpan) -> Location:
    return Location(page.path, name.start, name.end)


def duplicate_title(pages: Sequence[PageSummary], options: Mapping[str, Any]) -> Iterator[SiteHit]:
    groups: dict[str, list[int]] = defaultdict(list)
    for index, page in enumerate(pages):
        if page.title is not None and page.key:
            groups[page.key].append(index)
    hits = []
    for members in groups.values():
        if len(members) < 2:
            continue
        for index in members:
            page = pages[index]
            assert page.title is not None
            others = [(pages[other], pages[other].title) for other in members if other != index]
            named = ", ".join(_where(other, title) for other, title in others if title is not None)
            message = f"title '{shorten(page.title.text)}' is also the title of {named}"
            related = tuple(_location(other, title) for other, title in others if title is not None)
            hits.append(SiteHit(index, page.title.start, page.title.end, message, related))
    yield from sorted(hits, key=lambda hit: hit.page)


DUPLICATE_TITLE = Rule(
    id="MON601",
    name="duplicate-title",
    category="site",
    severity=Severity.ERROR,
    summary="Two pages have the same title",
    # It compares the pages of one run: on for a run over the whole site (CI), by id or name;
    # a pre-commit run over the changed pages, or an editor's one page, would compare a part.
    default_enabled=False,
    rationale="Readers and search find a drug by its title; two pages with one title (often "
    "a digit lost from a name such as 'Vitamin B12' or 'Omega-3') leave them to guess which "
    "page is about their medicine, and one of the two usually meant another drug. Titles are "
    "compared case-folded, NFKC-normalised and with runs of whitespace as one space.",
    compare=duplicate_title,
)


_PARENTHESISED = re.compile(r"\(([^()]*)")


def _alternatives(name: str) -> list[str]:
    """A name and the names its parenthesised remarks give ('Vitamin B6 (Pyridoxine)')."""
    outside = "".join(char for char, kept in zip(name, outside_parentheses(name), strict=True) if kept != "\0")
    return [outside, *_PARENTHESISED.findall(name)]


def _letters(text: str) -> str:
    """Only letters and digits, case-folded: 'Alpha-Lipoic Acid' is 'Alpha Lipoic Acid'."""
    return "".join(char for char in unicodedata.normalize("NFKC", text).casefold() if char.isalnum())


def _agree(one: str, other: str) -> bool:
    """Whether two names name the same drug: one of them, or of the names in their
    parentheses, starts with the other, letters and digits alone compared. The start
    allows a salt or a form after the name ('Beclometasone Dipropionate', 'Capsaicin
    Topical Gel'); 'Vitamin B6' and 'Vitamin B Complex' do not agree."""
    for first in map(_letters, _alternatives(one)):
        for second in map(_letters, _alternatives(other)):
            if first and second and (first.startswith(second) or second.startswith(first)):
                return True
    return False


def _outside(name: str) -> str:
    return " ".join(
        "".join(char for char, kept in zip(name, outside_parentheses(name), strict=True) if kept != "\0").split()
    )


def combination_name_mismatch(pages: Sequence[PageSummary], options: Mapping[str, Any]) -> Iterator[SiteHit]:
    # The pages of single drugs, by title: their generic-name line names one drug.
    singles: dict[str, list[PageSummary]] = defaultdict(list)
    for page in pages:
        if page.generic is not None and len(page.listed) == 1:
            singles[page.key].append(page)
    for index, page in enumerate(pages):
        if page.generic is None or not _lists_its_components(page):
            continue
        for position, component in enumerate(page.components):
            others = singles.get(title_key(component), [])
            if not others:
                continue
            given = page.listed[position]
            if not _agree(given, component):
                given = next((name for name in page.listed if _agree(name, component)), given)
            if any(_agree(name, other.listed[0]) for name in page.listed for other in others):
                continue  # the line names the component as its page does (wherever it lists it)
            spans = [(other, other.generic) for other in others if other.generic is not None]
            gives = "; ".join(
                f"'{shorten(_outside(other.listed[0]))}' ({_where(other, span)})" for other, span in spans
            )
            message = (
                f"the generic name line gives '{shorten(_outside(given))}' for '{component}'; "
                f"the page of '{component}' gives {gives}"
            )
            related = tuple(_location(other, span) for other, span in spans)
            yield SiteHit(index, page.generic.start, page.generic.end, message, related)


def _lists_its_components(page: PageSummary) -> bool:
    """Whether the page is a combination whose generic-name line lists its components: as many
    names as its title has, more than half of them as the title names them (not a sentence
    that happens to hold as many commas)."""
    count = len(page.components)
    if count < 2 or len(page.listed) != count:
        return False
    named = sum(any(_agree(name, component) for component in page.components) for name in page.listed)
    return named * 2 > count


COMBINATION_NAME_MISMATCH = Rule(
    id="MON602",
    name="combination-name-mismatch",
    category="site",
    severity=Severity.WARNING,
    summary="A combination names a component otherwise than the component's own page",
    default_enabled=False,  # as duplicate-title
    rationale="A combination page whose generic name line lists a component under another name "
    "than that component's own page ('Amoxycillin' here, 'Amoxicillin' there), or lists another "
    "drug in its place ('Vitamin B12' where the title says 'Vitamin C'), sends readers who "
    "compare the two pages to different medicines. Checked when the generic name line lists as "
    "many names as the title has components, most of them as the title names them; a component "
    "is compared with the page whose title is that component. Parenthesised remarks are "
    "alternatives ('Vitamin B6 (Pyridoxine)'), and a salt or form after the name agrees with the "
    "name alone ('Beclometasone Dipropionate', 'Beclometasone').",
    compare=combination_name_mismatch,
)
