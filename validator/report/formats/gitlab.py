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
tell two identical findings apart. It is the finding identity SARIF and the baseline share
(validator.report.fingerprint: rule, repository-relative path, message with line numbers
blanked, occurrence), as 32 hex digits; never the line.

The JSON is ASCII (other characters as \\u escapes) and has no byte order mark, which GitLab's
parser rejects, so it is valid UTF-8 whatever encoding the console uses.
"""

from __future__ import annotations

import json

from validator.model.finding import Finding, Severity
from validator.report.fingerprint import fingerprints
from validator.report.formats.context import Context
from validator.report.formats.github import last_line
from validator.report.formats.summary import Style, Summary

SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def _issue(finding: Finding, path: str, fingerprint: str) -> dict[str, object]:
    return {
        "description": f"{finding.rule} {finding.name}: {finding.message}",
        "check_name": finding.rule,
        "fingerprint": fingerprint,
        "severity": SEVERITY[finding.severity],
        "location": {"path": path, "lines": {"begin": finding.start.line, "end": last_line(finding)}},
    }


def render(findings: list[Finding], summary: Summary, style: Style, context: Context) -> str:
    prints = fingerprints(findings, context.root_path)
    issues = [
        _issue(finding, context.root_path(finding.path), print_.hex)
        for finding, print_ in zip(findings, prints, strict=True)
    ]
    return json.dumps(issues, indent=2, ensure_ascii=True) + "\n"
