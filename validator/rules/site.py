"""Rules that compare pages: each reads every page's summary (``model.site.PageSummary``), once,
after all pages are checked, and never a page itself (see ``check.site``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from validator.model.finding import Location, Severity
from validator.rules.base import Rule, SiteHit, shorten

if TYPE_CHECKING:
    from validator.model.site import NameSpan, PageSummary


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


def combination_name_mismatch(pages: Sequence[PageSummary], options: Mapping[str, Any]) -> Iterator[SiteHit]:
    # Imported here, when pages are compared, not by every run that loads the rules.
    from validator.facts.listed_names import title_key
    from validator.rules.site_names import agree, lists_components, outside

    # The pages of single drugs, by title: their generic-name line names one drug.
    singles: dict[str, list[PageSummary]] = defaultdict(list)
    for page in pages:
        if page.generic is not None and len(page.listed) == 1:
            singles[page.key].append(page)
    for index, page in enumerate(pages):
        if page.generic is None or not lists_components(page.components, page.listed):
            continue
        for position, component in enumerate(page.components):
            others = singles.get(title_key(component), [])
            if not others:
                continue
            given = page.listed[position]
            if not agree(given, component):
                given = next((name for name in page.listed if agree(name, component)), given)
            if any(agree(name, other.listed[0]) for name in page.listed for other in others):
                continue  # the line names the component as its page does (wherever it lists it)
            spans = [(other, other.generic) for other in others if other.generic is not None]
            gives = "; ".join(f"'{shorten(outside(other.listed[0]))}' ({_where(other, span)})" for other, span in spans)
            message = (
                f"the generic name line gives '{shorten(outside(given))}' for '{component}'; "
                f"the page of '{component}' gives {gives}"
            )
            related = tuple(_location(other, span) for other, span in spans)
            yield SiteHit(index, page.generic.start, page.generic.end, message, related)


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
