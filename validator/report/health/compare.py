"""--compare OLD.json: a previous ``--format json`` report against this run, finding by
finding, by the identity baselines and SARIF use (validator.report.fingerprint: rule, path
and message with line numbers blanked, and the occurrence), so moved lines are not news."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from validator.model.finding import Finding
from validator.report.fingerprint import fingerprints
from validator.report.health.aggregate import Comparison


def compare_reports(file: str, old: Sequence[Finding], findings: Sequence[Finding]) -> Comparison:
    """The findings of this run the previous report (read by ``report.merge.read_report``)
    lacks, and those of it that are gone."""
    before = fingerprints(old, str)
    now = fingerprints(findings, str)
    known, current = set(before), set(now)
    new = tuple(finding for finding, print_ in zip(findings, now, strict=True) if print_ not in known)
    fixed = tuple(finding for finding, print_ in zip(old, before, strict=True) if print_ not in current)
    added, gone = Counter(f.rule for f in new), Counter(f.rule for f in fixed)
    rules = sorted(set(added) | set(gone))
    return Comparison(file, new, fixed, tuple((rule, added[rule], gone[rule]) for rule in rules))
