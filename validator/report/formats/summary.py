"""Totals that every format reports, and the presentation choices the CLI passes down."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from validator.model.finding import Finding, Severity

if TYPE_CHECKING:
    from validator.model.site import PageSummary


@dataclass(frozen=True)
class Style:
    color: bool = False
    quiet: bool = False  # findings only, no summary
    statistics: bool = False  # counts per rule instead of each finding


@dataclass(frozen=True)
class Summary:
    files: int
    files_with_findings: int
    findings: int
    by_severity: dict[str, int] = field(default_factory=dict)
    by_rule: dict[str, int] = field(default_factory=dict)
    fixable: int = 0  # findings with a fix, safe or not
    fixable_safe: int = 0  # of those, the ones --fix applies without --unsafe-fixes
    fixed: int | None = None  # with --fix: how many fixes were applied
    skipped: int = 0  # files out of the content model's scope (its applies_to)
    shard: tuple[int, int] | None = None  # with --shard K/N: (K, N); the totals are that shard's
    # With --shard: its pages' summaries for the rules that compare pages, which only
    # `monolint merge` can run; the JSON report carries them ("site_pages"), no total counts them.
    site_pages: tuple[PageSummary, ...] = ()

    @property
    def skipped_note(self) -> str | None:
        """'3 files skipped: no matching content model', or None when none was."""
        if not self.skipped:
            return None
        return f"{self.skipped:,} file{'' if self.skipped == 1 else 's'} skipped: no matching content model"

    @property
    def errors(self) -> int:
        return self.by_severity.get(Severity.ERROR.value, 0)

    def to_dict(self) -> dict[str, object]:
        fixed = {"fixed": self.fixed} if self.fixed is not None else {}
        shard = {"shard": {"index": self.shard[0], "count": self.shard[1]}} if self.shard is not None else {}
        return {
            "files": self.files,
            "files_with_findings": self.files_with_findings,
            "findings": self.findings,
            "errors": self.errors,
            "warnings": self.by_severity.get(Severity.WARNING.value, 0),
            "info": self.by_severity.get(Severity.INFO.value, 0),
            "fixable": self.fixable,
            "by_rule": dict(sorted(self.by_rule.items())),
            "skipped": self.skipped,
            **fixed,
            **shard,
        }


def summarize(
    findings: Sequence[Finding],
    files: int,
    fixed: int | None = None,
    skipped: int = 0,
    shard: tuple[int, int] | None = None,
    site_pages: tuple[PageSummary, ...] = (),
) -> Summary:
    """Totals of the findings; ``fixed`` is given when fixes were applied (even none);
    ``skipped`` counts the files out of the content model's scope; ``shard`` is the (K, N)
    of a --shard run."""
    return Summary(
        files=files,
        files_with_findings=len({finding.path for finding in findings}),
        findings=len(findings),
        by_severity=dict(Counter(finding.severity.value for finding in findings)),
        by_rule=dict(Counter(finding.rule for finding in findings)),
        fixable=sum(1 for finding in findings if finding.fix is not None),
        fixable_safe=sum(1 for finding in findings if finding.fix is not None and finding.fix.safe),
        fixed=fixed,
        skipped=skipped,
        shard=shard,
        site_pages=site_pages,
    )
