"""The pass that compares pages: the rules of category ``site`` over every page's summary,
once, after all pages are checked; their hits become findings with each page's own settings.

A hit on a page becomes a finding only when its rule is enabled for that page, at that
page's severity for it, unless the page's ``monolint-disable`` comments silence it at that
line (the summary carries all three: the page is not read again). A run, or ``monolint
merge`` of a sharded run's reports, calls this with the pages in the order the run found
them, and ``insert`` puts each page's findings among the others of that page.
"""

from __future__ import annotations

from collections.abc import Sequence

from validator.check.engine import sort_findings
from validator.model.finding import Finding, Severity
from validator.model.site import PageSummary
from validator.rules.registry import ALL_RULES


def site_findings(pages: Sequence[PageSummary]) -> list[list[Finding]]:
    """The findings of the rules that compare pages, for each page of ``pages`` (in order)."""
    found: list[list[Finding]] = [[] for _ in pages]
    if len(pages) < 2:
        return found
    for rule in ALL_RULES:
        if rule.compare is None or not any(rule.id in dict(page.rules) for page in pages):
            continue
        for hit in rule.compare(pages, rule.defaults):
            page = pages[hit.page]
            severity = dict(page.rules).get(rule.id)
            if severity is None or (rule.id, hit.start.line) in page.quiet:
                continue
            found[hit.page].append(
                Finding(
                    path=page.path,
                    start=hit.start,
                    end=hit.end,
                    rule=rule.id,
                    name=rule.name,
                    category=rule.category,
                    severity=Severity(severity),
                    message=hit.message,
                    related=hit.related,
                )
            )
    return found


def insert(findings: list[Finding], pages: Sequence[tuple[int, int]], added: Sequence[list[Finding]]) -> list[Finding]:
    """``findings`` with ``added[i]`` put among the findings of page ``i``, which are
    ``findings[start:end]`` for ``pages[i] == (start, end)``, in position order."""
    result: list[Finding] = []
    done = 0
    for (start, end), more in zip(pages, added, strict=True):
        if not more:
            continue
        result.extend(findings[done:start])
        result.extend(sort_findings([*findings[start:end], *more]))
        done = end
    result.extend(findings[done:])
    return result
