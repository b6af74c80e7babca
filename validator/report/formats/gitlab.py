"""--format gitlab: a GitLab Code Quality report, the JSON array of issues that GitLab reads from
``artifacts: reports: codequality`` (https://docs.gitlab.com/ci/testing/code_quality/, "Code
Quality report format"; a subset of the Code Climate spec):

    [{"description": "<rule id> <rule name>: <message>", "check_name": "<rule id>",
      "fingerprint": "<32 hex digits>", "severity": "major",
      "location": {"path": "site/a.md", "lines": {"begin": 12, "end": 12}}}]

Severity: error -> major, warning -> minor, info -> info. "major" is what other linters report
for their errors (ESLint's and PHPStan's GitLab formats), and leaves "critical" and "blocker" to
security scanners that share the merge request widget.

Fingerprint: GitLab matches issues across pipelines by fingerprint (a new fingerprint is a new
issue; equal ones are shown once), so it must survive edits elsewhere in the page and still
tell two identical findings apart. It hashes the rule, the repository-relative path, the message
and the finding's index among findings with that same rule, path and message, never the line.

The JSON is ASCII (other characters as \\u escapes) and has no byte order mark, which GitLab's
parser rejects, so it is valid UTF-8 whatever encoding the console uses.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter

from validator.model.finding import Finding, Severity
from validator.report.formats.context import Context
from validator.report.formats.github import last_line
from validator.report.formats.summary import Style, Summary

SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def fingerprint(rule: str, path: str, message: str, occurrence: int) -> str:
    """32 hex digits (the length of the MD5 in GitLab's example) of a SHA-256."""
    key = "\0".join((rule, path, message, str(occurrence)))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _issue(finding: Finding, path: str, occurrence: int) -> dict[str, object]:
    return {
        "description": f"{finding.rule} {finding.name}: {finding.message}",
        "check_name": finding.rule,
        "fingerprint": fingerprint(finding.rule, path, finding.message, occurrence),
        "severity": SEVERITY[finding.severity],
        "location": {"path": path, "lines": {"begin": finding.start.line, "end": last_line(finding)}},
    }


def render(findings: list[Finding], summary: Summary, style: Style, context: Context) -> str:
    seen: Counter[tuple[str, str, str]] = Counter()
    issues = []
    for finding in findings:
        path = context.root_path(finding.path)
        key = (finding.rule, path, finding.message)
        issues.append(_issue(finding, path, seen[key]))
        seen[key] += 1
    return json.dumps(issues, indent=2, ensure_ascii=True) + "\n"
