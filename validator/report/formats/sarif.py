"""--format sarif: a SARIF 2.1.0 log for GitHub code scanning and other SARIF viewers.

What GitHub needs, and how this log gives it:

- ``$schema`` naming the final OASIS schema, ``version`` "2.1.0", and one run.
- ``tool.driver`` with ``name`` and ``rules``: every rule of the catalogue (not only those
  that fired), each with ``shortDescription``, ``fullDescription`` and ``help.text`` (GitHub
  rejects rules without them), ``help.markdown``, ``helpUri``, ``defaultConfiguration``
  and ``properties.tags``. Results point at their rule by ``ruleId`` and ``ruleIndex``.
- Each result has ``message.text`` and one location whose ``artifactLocation.uri`` is the
  path relative to the repository root, percent-encoded (RFC 3986): GitHub resolves relative
  URIs against the checkout, so no ``uriBaseId`` is given. A file outside the repository
  gets a relative URI starting with '..', not an absolute ``file:`` URI: GitHub rejects a
  whole log whose absolute URIs lie outside the checkout path (the validator's GH1006).
  Standard input ("-", when no ``--stdin-filename`` names it) keeps the URI "-" with a
  description saying what it is: GitHub cannot link it to a file, but it is not lost.
- ``region`` with 1-based lines and columns, the end column exclusive, as SARIF defines
  them; ``run.columnKind`` says columns count Unicode code points, as monolint's do.
- ``partialFingerprints`` (GitHub matches alerts across runs with them): a hash of the rule,
  the path and the message with line numbers blanked, plus the occurrence index, so an
  alert keeps its identity when lines are added above it.

A finding's fix becomes a SARIF ``fixes`` entry (GitHub ignores it; editors use it).
GitHub rejects a run of more than 25,000 results and keeps 5,000 of them; the log is not
truncated here (choose fewer rules or paths instead).
"""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePath
from urllib.parse import quote

from validator.model.finding import STDIN_PATH, Finding, Position
from validator.report.fingerprint import fingerprints as finding_fingerprints
from validator.report.formats.context import REPOSITORY_URL, Context, RuleInfo
from validator.report.formats.summary import Style, Summary

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "monolint/v1"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
# GitHub sorts non-security alerts by problem.severity ("recommendation" is its lowest).
PROBLEM_SEVERITIES = {"error": "error", "warning": "warning", "info": "recommendation"}


def render(findings: list[Finding], summary: Summary, style: Style, context: Context) -> str:
    rules = _rule_list(context.rules, findings)
    rule_index = {rule.id: index for index, rule in enumerate(rules)}
    results = [
        _result(finding, rule_index[finding.rule], fingerprint, context)
        for finding, fingerprint in zip(findings, fingerprints(findings, context), strict=True)
    ]
    run = {
        "tool": {
            "driver": {
                "name": "monolint",
                "version": context.version,
                "informationUri": REPOSITORY_URL,
                "rules": [_descriptor(rule) for rule in rules],
            }
        },
        "invocations": [{"executionSuccessful": True}],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def artifact_uri(path: str, context: Context) -> str:
    """The percent-encoded URI of a finding's file, relative to the repository root (with
    '..' segments when the file is outside it), or "-" for standard input."""
    if path == STDIN_PATH:
        return STDIN_PATH
    absolute = os.path.normpath(context.cwd / path)
    try:
        relative = os.path.relpath(absolute, context.root)
    except ValueError:  # Windows: another drive than the repository's; no relative path exists
        return Path(absolute).as_uri()
    return quote(PurePath(relative).as_posix(), safe="/")


def fingerprints(findings: list[Finding], context: Context) -> list[str]:
    """One fingerprint per finding, stable across runs and line moves: the shared finding
    identity (validator.report.fingerprint) of its root-relative path, as "<hash>:<occurrence>"."""
    return [str(print_) for print_ in finding_fingerprints(findings, context.root_path)]


def _rule_list(catalogue: tuple[RuleInfo, ...], findings: list[Finding]) -> list[RuleInfo]:
    """The catalogue, plus a bare entry for any rule a finding names that it lacks (so every
    ruleIndex resolves even when the caller passed no catalogue)."""
    known = {rule.id for rule in catalogue}
    extra: dict[str, RuleInfo] = {}
    for finding in findings:
        if finding.rule not in known and finding.rule not in extra:
            extra[finding.rule] = RuleInfo(
                finding.rule, finding.name, finding.category, finding.severity.value, finding.name, finding.name
            )
    return [*catalogue, *extra.values()]


def _descriptor(rule: RuleInfo) -> dict[str, object]:
    configuration: dict[str, object] = {"level": LEVELS[rule.severity]}
    if not rule.default_enabled:
        configuration["enabled"] = False
    markdown = f"**{rule.summary}**\n\n{rule.description}\n\nSee [{rule.id} {rule.name}]({rule.help_uri})."
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.description},
        "help": {"text": f"{rule.summary}\n\n{rule.description}\n\nSee {rule.help_uri}", "markdown": markdown},
        "helpUri": rule.help_uri,
        "defaultConfiguration": configuration,
        "properties": {
            "tags": [rule.category],
            "precision": "very-high",
            "problem.severity": PROBLEM_SEVERITIES[rule.severity],
        },
    }


def _result(finding: Finding, rule_index: int, fingerprint: str, context: Context) -> dict[str, object]:
    uri = artifact_uri(finding.path, context)
    artifact: dict[str, object] = {"uri": uri}
    if finding.path == STDIN_PATH:
        artifact["description"] = {"text": "standard input"}
    result: dict[str, object] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity.value],
        "message": {"text": finding.message},
        "locations": [
            {"physicalLocation": {"artifactLocation": artifact, "region": _region(finding.start, finding.end)}}
        ],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
    }
    if finding.related:  # the other pages a rule that compares pages names: SARIF 2.1.0 relatedLocations
        result["relatedLocations"] = [
            {
                "id": number,
                "physicalLocation": {
                    "artifactLocation": {"uri": artifact_uri(location.path, context)},
                    "region": _region(location.start, location.end),
                },
            }
            for number, location in enumerate(finding.related, 1)
        ]
    if finding.fix is not None:
        replacements = [
            {"deletedRegion": _region(start, end), "insertedContent": {"text": edit.text}}
            for edit, (start, end) in zip(finding.fix.edits, finding.fix_spans, strict=True)
        ]
        result["fixes"] = [
            {
                "description": {"text": finding.fix.message},
                "artifactChanges": [{"artifactLocation": {"uri": uri}, "replacements": replacements}],
                "properties": {"safe": finding.fix.safe},
            }
        ]
    return result


def _region(start: Position, end: Position) -> dict[str, int]:
    return {"startLine": start.line, "startColumn": start.column, "endLine": end.line, "endColumn": end.column}
