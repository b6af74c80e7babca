"""--compare OLD.json: a previous ``--format json`` report against this run, finding by
finding, by the identity baselines and SARIF use (validator.report.fingerprint: rule, path
and message with line numbers blanked, and the occurrence), so moved lines are not news."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from validator.model.finding import Finding
from validator.report.fingerprint import Fingerprint, digest, fingerprints
from validator.report.health.aggregate import Comparison


class CompareError(Exception):
    """A previous report that cannot be read; the message is one line."""


def read_report(file: Path) -> list[dict[str, object]]:
    """The findings of a ``monolint --format json`` report."""
    try:
        data = json.loads(file.read_bytes())
    except OSError as error:
        raise CompareError(f"cannot read {file}: {error.strerror or error}") from None
    except ValueError as error:
        raise CompareError(f"{file} is not valid JSON: {error}") from None
    findings = data.get("findings") if isinstance(data, dict) else None
    if not isinstance(findings, list) or not all(_is_finding(item) for item in findings):
        raise CompareError(f"{file} is not a monolint JSON report (write one with --format json)")
    return findings


def _is_finding(item: object) -> bool:
    return isinstance(item, dict) and all(isinstance(item.get(key), str) for key in ("path", "rule", "message"))


def compare_reports(file: str, old: Sequence[dict[str, object]], findings: Sequence[Finding]) -> Comparison:
    """The findings of this run the previous report lacks, and those of it that are gone."""
    seen: Counter[str] = Counter()
    before = []
    for item in old:
        hashed = digest(str(item["rule"]), str(item["path"]), str(item["message"]))
        seen[hashed] += 1
        before.append(Fingerprint(hashed, seen[hashed]))
    now = fingerprints(findings, str)
    known, current = set(before), set(now)
    new = tuple(finding for finding, print_ in zip(findings, now, strict=True) if print_ not in known)
    fixed = tuple(item for item, print_ in zip(old, before, strict=True) if print_ not in current)
    added, gone = Counter(f.rule for f in new), Counter(str(item["rule"]) for item in fixed)
    rules = sorted(set(added) | set(gone))
    return Comparison(file, new, fixed, tuple((rule, added[rule], gone[rule]) for rule in rules))
