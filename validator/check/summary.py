"""A page's summary for the rules that compare pages (``model.site.PageSummary``): worked out
while the page is checked, only when its settings enable one of them."""

from __future__ import annotations

from validator.check.suppress import Suppressions
from validator.config.selection import RuleSettings
from validator.facts.drug_identity import Named
from validator.facts.listed_names import listed_names, title_key
from validator.facts.page_facts import PageFacts
from validator.model.page import Page
from validator.model.site import NameSpan, PageSummary


def page_summary(facts: PageFacts, settings: RuleSettings, suppressed: Suppressions) -> PageSummary:
    page, model = facts.page, facts.model
    drug = facts.drug
    title, generic = _span(page, drug.title), _span(page, drug.generic)
    lines = {span.start.line for span in (title, generic) if span is not None}
    quiet = tuple(
        (rule.id, line) for rule, _ in settings.site for line in sorted(lines) if suppressed.covers(rule.id, line)
    )
    return PageSummary(
        path=page.path,
        key=title_key(drug.title.text) if drug.title is not None else "",
        title=title,
        generic=generic,
        components=drug.components(model, drug.title),
        listed=listed_names(drug.generic.text, model.drug.components) if drug.generic is not None else (),
        rules=tuple((rule.id, severity.value) for rule, severity in settings.site),
        quiet=quiet,
    )


def _span(page: Page, name: Named | None) -> NameSpan | None:
    if name is None:
        return None
    start = page.position(name.start)
    return NameSpan(name.text, start, page.position(name.end) if name.end > name.start else start)
