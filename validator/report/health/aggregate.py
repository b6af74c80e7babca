"""The health report's figures: a pure function of one run's findings, the rules' records
and the content model's section names. What a finding is about comes from its rule's
``aspect`` and its ``subject``, never from its message."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from validator.model.finding import Finding, Severity
from validator.report.formats.summary import Summary, summarize
from validator.rules.base import CATEGORIES, Aspect, Rule
from validator.rules.registry import ALL_RULES, BY_ID

WORST_PAGES = 25  # the pages to fix first that the report lists


@dataclass(frozen=True)
class RuleCount:
    rule: Rule
    findings: int
    pages: int


@dataclass(frozen=True)
class PageCount:
    path: str
    errors: int
    findings: int
    first_line: int  # of its first error (its first finding when it has no error)


@dataclass(frozen=True)
class SectionHealth:
    section: str
    missing: int  # pages
    misplaced: int
    misspelled: int


@dataclass(frozen=True)
class DoseForm:
    form: str  # the finding's subject
    rule: Rule
    findings: int
    pages: int
    example: Finding  # the first one found


@dataclass(frozen=True)
class BaselineHealth:
    file: str
    held: int  # findings the baseline still accounts for
    paid: int  # entries (counted) that no finding matches any more
    new: int  # findings it does not record
    by_rule: tuple[tuple[Rule, int, int], ...]  # rule, held, paid


@dataclass(frozen=True)
class Comparison:
    file: str
    new: tuple[Finding, ...]
    fixed: tuple[Finding, ...]  # the previous report's findings that are gone
    by_rule: tuple[tuple[str, int, int], ...]  # rule id, new, fixed


@dataclass(frozen=True)
class Health:
    summary: Summary
    by_category: tuple[tuple[str, tuple[RuleCount, ...]], ...]
    worst: tuple[PageCount, ...]
    sections: tuple[SectionHealth, ...]
    doses: tuple[DoseForm, ...]
    baseline: BaselineHealth | None = None
    comparison: Comparison | None = None


def aggregate(
    findings: Sequence[Finding],
    files: int,
    sections: Sequence[str],
    skipped: int = 0,
    baseline: BaselineHealth | None = None,
    comparison: Comparison | None = None,
) -> Health:
    """The figures of one run: ``files`` checked, ``sections`` the content model's section
    names in order. Totals are the JSON report's (the same ``summarize``)."""
    return Health(
        summary=summarize(findings, files, skipped=skipped),
        by_category=_by_category(findings),
        worst=_worst_pages(findings),
        sections=_sections(findings, sections),
        doses=_dose_forms(findings),
        baseline=baseline,
        comparison=comparison,
    )


def _by_category(findings: Iterable[Finding]) -> tuple[tuple[str, tuple[RuleCount, ...]], ...]:
    counts: Counter[str] = Counter()
    pages: defaultdict[str, set[str]] = defaultdict(set)
    for finding in findings:
        counts[finding.rule] += 1
        pages[finding.rule].add(finding.path)
    groups = []
    for category in CATEGORIES:
        rows = tuple(
            RuleCount(rule, counts[rule.id], len(pages[rule.id]))
            for rule in ALL_RULES
            if rule.category == category and counts[rule.id]
        )
        if rows:
            groups.append((category, rows))
    return tuple(groups)


def _worst_pages(findings: Iterable[Finding], limit: int = WORST_PAGES) -> tuple[PageCount, ...]:
    errors: Counter[str] = Counter()
    total: Counter[str] = Counter()
    first: dict[str, int] = {}
    first_error: dict[str, int] = {}
    for finding in findings:
        total[finding.path] += 1
        first.setdefault(finding.path, finding.start.line)
        if finding.severity is Severity.ERROR:
            errors[finding.path] += 1
            first_error.setdefault(finding.path, finding.start.line)
    order = sorted(total, key=lambda path: (-errors[path], -total[path], path))[:limit]
    return tuple(PageCount(path, errors[path], total[path], first_error.get(path, first[path])) for path in order)


_COLUMNS = (Aspect.SECTION_MISSING, Aspect.SECTION_MISPLACED, Aspect.SECTION_MISSPELLED)


def _sections(findings: Iterable[Finding], sections: Sequence[str]) -> tuple[SectionHealth, ...]:
    pages: dict[tuple[Aspect, str], set[str]] = defaultdict(set)
    for finding in findings:
        aspect = _aspect(finding)
        if aspect in _COLUMNS and finding.subject is not None:
            pages[aspect, finding.subject].add(finding.path)
    return tuple(SectionHealth(name, *(len(pages.get((aspect, name), ())) for aspect in _COLUMNS)) for name in sections)


def _dose_forms(findings: Iterable[Finding]) -> tuple[DoseForm, ...]:
    counts: Counter[tuple[str, str]] = Counter()
    pages: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
    examples: dict[tuple[str, str], Finding] = {}
    for finding in findings:
        if _aspect(finding) is not Aspect.DOSE_NOTATION or finding.subject is None:
            continue
        key = (finding.subject, finding.rule)
        counts[key] += 1
        pages[key].add(finding.path)
        examples.setdefault(key, finding)
    order = sorted(counts, key=lambda key: (-counts[key], key))
    return tuple(
        DoseForm(form, BY_ID[rule], counts[form, rule], len(pages[form, rule]), examples[form, rule])
        for form, rule in order
    )


def _aspect(finding: Finding) -> Aspect | None:
    rule = BY_ID.get(finding.rule)
    return rule.aspect if rule is not None else None


def baseline_health(
    file: str, findings: Sequence[Finding], new: Sequence[Finding], entries: Counter[str], stale: int
) -> BaselineHealth:
    """What the baseline in ``file`` still holds and what is paid down. ``new`` are the
    findings it does not record; ``entries`` counts its entries per rule id for the pages
    checked; ``stale`` is how many of them match no finding any more."""
    fresh = Counter(id(finding) for finding in new)
    held: Counter[str] = Counter(finding.rule for finding in findings if not fresh[id(finding)])
    rows = tuple(
        (rule, held[rule.id], max(0, entries[rule.id] - held[rule.id]))
        for rule in ALL_RULES
        if held[rule.id] or entries[rule.id]
    )
    return BaselineHealth(file, sum(held.values()), stale, len(new), rows)
