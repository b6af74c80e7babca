"""Title rules: exactly one H1, equal to the front matter title."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from validator.content_model.load import ContentModel
from validator.facts.page_facts import PageFacts
from validator.model.finding import Edit, Fix, Severity
from validator.model.page import Page
from validator.rules.base import Hit, Rule, shorten


def _title(page: Page, model: ContentModel) -> str | None:
    data = page.front_matter.data if page.front_matter else None
    value = data.get(model.title_key) if isinstance(data, dict) else None
    return value.strip() if isinstance(value, str) and value.strip() else None


# Characters that Markdown may read as markup or as the start of an entity; a title written into
# a heading escapes them so that the heading renders as the title ("0&ap;" would render as "0≈").
_MARKUP = str.maketrans({char: "\\" + char for char in "\\`*_[]<>&!~|#"})


def _as_heading_text(title: str) -> str:
    return title.translate(_MARKUP)


def title_missing(facts: PageFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    page, model = facts.page, facts.model
    if not model.title_in_body or any(heading.level == model.title_level for heading in page.headings):
        return
    title = _title(page, model)
    where = page.body_start
    fix = None
    if title is not None:
        marker = "#" * model.title_level
        text = _as_heading_text(title)
        fix = Fix(f"Insert '{marker} {text}'", (Edit(where, where, f"{marker} {text}\n"),), safe=False)
    suffix = f" ('{'#' * model.title_level} {title}')" if title else ""
    yield Hit(where, page.line_end(where), f"page has no level-{model.title_level} heading{suffix}", fix)


TITLE_MISSING = Rule(
    id="MON201",
    whole_page=True,
    name="title-missing",
    category="structure",
    severity=Severity.ERROR,
    summary="Page has no H1 heading",
    rationale="The H1 is the visible page title and what screen readers announce first. A page "
    "type whose site renders the front matter title itself (title.in_body: false in its content "
    "model) has no title heading to miss.",
    check=title_missing,
)


def title_multiple(facts: PageFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    page, model = facts.page, facts.model
    titles = [heading for heading in page.headings if heading.level == model.title_level]
    if not model.title_in_body:  # the site shows the front matter title: any such heading is a second one
        title = _title(page, model)
        shown = f" ('{shorten(title)}')" if title else ""
        for heading in titles:
            message = (
                f"level-{model.title_level} heading in the page body; "
                f"the site shows the front matter {model.title_key}{shown} as the page title"
            )
            yield Hit(heading.start, heading.end, message)
        return
    for heading in titles[1:]:
        message = f"more than one level-{model.title_level} heading; the page title is '{titles[0].plain}'"
        yield Hit(heading.start, heading.end, message)


TITLE_MULTIPLE = Rule(
    id="MON202",
    name="title-multiple",
    category="structure",
    severity=Severity.ERROR,
    summary="Page has more than one H1 heading",
    rationale="A monograph is about one drug; a second H1 usually is a pasted page or a "
    "section written at the wrong level. Where the site renders the front matter title itself "
    "(title.in_body: false in the content model), every H1 in the body is a second one.",
    check=title_multiple,
)


def title_mismatch(facts: PageFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    page, model = facts.page, facts.model
    title = _title(page, model)
    first = next((heading for heading in page.headings if heading.level == model.title_level), None)
    if not model.title_in_body or title is None or first is None or first.plain.strip() == title:
        return
    fix = None
    if first.raw and first.text_end - first.text_start == len(first.raw):  # '#' alone: no text to replace
        text = _as_heading_text(title)
        fix = Fix(f"Replace with '{text}'", (Edit(first.text_start, first.text_end, text),), safe=False)
    message = f"heading '{shorten(first.plain)}' does not match the front matter {model.title_key} '{title}'"
    yield Hit(first.text_start, first.text_end, message, fix)


TITLE_MISMATCH = Rule(
    id="MON203",
    name="title-mismatch",
    category="structure",
    severity=Severity.ERROR,
    summary="H1 differs from the front matter title",
    rationale="The title in front matter feeds navigation and search; when the H1 says something "
    "else, readers land on a page that seems to be about another drug.",
    check=title_mismatch,
)
