"""--format github: one GitHub Actions workflow command per finding, a one-line summary, and a
Markdown job summary (``job_summary``) that the CLI appends to ``$GITHUB_STEP_SUMMARY``.

    ::error file=site/a.md,line=12,endLine=12,col=7,endColumn=10,title=<rule id> <rule name>::<message>
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from validator.model.finding import Finding, Severity
from validator.report.formats.context import Context
from validator.report.formats.summary import Style, Summary

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
# GitHub shows at most 10 annotations of each kind per step (50 per job), so errors go first.
_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
_TOP_PAGES = 10


# Escaping exactly as the runner's toolkit writes commands (actions/toolkit,
# packages/core/src/command.ts, escapeData and escapeProperty); the runner undoes it in
# actions/runner src/Runner.Common/ActionCommand.cs (UnescapeData, UnescapeProperty), decoding
# "%25" last, so "%" must be encoded first.
def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def last_line(finding: Finding) -> int:
    """The line of the finding's last character: ``end`` is exclusive, so an end at column 1
    of a later line means the span stops at the newline before it."""
    if finding.end.line > finding.start.line and finding.end.column == 1:
        return finding.end.line - 1
    return max(finding.end.line, finding.start.line)


def _columns(finding: Finding) -> list[tuple[str, int]]:
    """``col`` and ``endColumn``, only for a single-line span: the runner drops both when
    line != endLine (actions/runner src/Runner.Worker/ActionCommandManager.cs,
    ValidateLinesAndColumns), as the checks API says ("Annotations only support start_column
    and end_column on the same line"). ``endColumn`` is inclusive: the toolkit documents that it
    "defaults to startColumn" (packages/core/src/core.ts, AnnotationProperties), i.e. equal
    values mark one character, so our exclusive end becomes end - 1. A span that runs to the end
    of its line (an end at column 1 of the next line) has no known last column: col only."""
    if last_line(finding) != finding.start.line:
        return []
    column = finding.start.column
    if finding.end.line != finding.start.line:
        return [("col", column)]
    return [("col", column), ("endColumn", max(column, finding.end.column - 1))]


def annotation(finding: Finding, context: Context) -> str:
    """One workflow command. Standard input ('-') is no file of the repository: no ``file``."""
    properties: list[tuple[str, str | int]] = []
    if finding.path != "-":
        properties.append(("file", context.root_path(finding.path)))
    properties += [("line", finding.start.line), ("endLine", last_line(finding)), *_columns(finding)]
    properties.append(("title", f"{finding.rule} {finding.name}"))
    listed = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties)
    return f"::{_COMMAND[finding.severity]} {listed}::{escape_data(finding.message)}"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 or word == 'info' else 's'}"


def _totals(summary: Summary) -> str:
    """'3 errors, 1 warning' (only the severities that occur)."""
    return ", ".join(
        _plural(summary.by_severity[severity.value], severity.value)
        for severity in Severity
        if summary.by_severity.get(severity.value)
    )


def _summary_line(summary: Summary) -> str:
    checked = _plural(summary.files, "file")
    if summary.findings == 0:
        line = f"monolint: no findings ({checked} checked)"
    else:
        line = f"monolint: {_totals(summary)} in {_plural(summary.files_with_findings, 'file')} ({checked} checked)"
    if summary.skipped_note:
        line += f"; {summary.skipped_note}"
    if summary.fixed is not None:
        line += f"; fixed {_plural(summary.fixed, 'finding')}"
    return line


def render(findings: list[Finding], summary: Summary, style: Style, context: Context) -> str:
    ordered = sorted(findings, key=lambda finding: _RANK[finding.severity])  # stable
    lines = [annotation(finding, context) for finding in ordered]
    if not style.quiet:
        lines.append(_summary_line(summary))
    return "".join(f"{line}\n" for line in lines)


# --- the job summary (GitHub-flavoured Markdown) ---------------------------------------------

_PUNCTUATION = frozenset("\\`*_[]<>|&~!")


def _cell(text: str) -> str:
    """Plain table-cell text: the punctuation that starts inline Markdown or HTML, and the '|'
    that ends a cell, backslash-escaped; line breaks as <br> since a table row is one line."""
    escaped = "".join(f"\\{char}" if char in _PUNCTUATION else char for char in text)
    return escaped.replace("\r\n", "<br>").replace("\r", "<br>").replace("\n", "<br>")


def _code(text: str) -> str:
    """A code span in a table cell: a fence longer than any backtick run inside, '|' escaped
    (GFM tables split on '|' even inside code spans) and line breaks as spaces."""
    text = text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
    fence = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}".replace("|", "\\|")


def _table(header: Iterable[str], align: str, rows: Iterable[Iterable[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", align]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _rules_table(findings: list[Finding]) -> list[str]:
    counts = Counter((finding.rule, finding.name) for finding in findings)
    severities: dict[tuple[str, str], set[Severity]] = {}
    for finding in findings:
        severities.setdefault((finding.rule, finding.name), set()).add(finding.severity)

    def worst(key: tuple[str, str]) -> int:
        return min(_RANK[severity] for severity in severities[key])

    rows = [
        (
            _cell(rule),
            _cell(name),
            _cell(", ".join(s.value for s in sorted(severities[rule, name], key=_RANK.__getitem__))),
            str(counts[rule, name]),
        )
        for rule, name in sorted(counts, key=lambda key: (worst(key), -counts[key], key))
    ]
    return _table(("Rule", "Name", "Severity", "Findings"), "| --- | --- | --- | ---: |", rows)


def _pages_table(findings: list[Finding], context: Context) -> list[str]:
    errors = Counter(context.root_path(f.path) for f in findings if f.severity is Severity.ERROR)
    totals = Counter(context.root_path(finding.path) for finding in findings)
    ranked = sorted(totals, key=lambda path: (-errors[path], -totals[path], path))
    rows = [(_code(path), str(errors[path]), str(totals[path])) for path in ranked[:_TOP_PAGES]]
    lines = _table(("Page", "Errors", "Findings"), "| --- | ---: | ---: |", rows)
    if len(ranked) > _TOP_PAGES:
        lines += ["", f"… and {_plural(len(ranked) - _TOP_PAGES, 'more page')}."]
    return lines


def job_summary(findings: list[Finding], summary: Summary, context: Context) -> str:
    """Markdown for the run's summary page: totals, findings per rule, the pages to fix first."""
    lines = ["## monolint", ""]
    fixed = f" Fixed {_plural(summary.fixed, 'finding')}." if summary.fixed is not None else ""
    fixed += f" {summary.skipped_note}." if summary.skipped_note else ""
    checked = _plural(summary.files, "file")
    if not findings:
        lines.append(f":white_check_mark: All checks passed ({checked} checked).{fixed}")
        return "\n".join(lines) + "\n\n"
    verdict = ":x: **Failed**" if summary.errors else ":warning: **Passed with findings**"
    where = f"{summary.files_with_findings:,} of {checked} checked"
    lines += [f"{verdict}: {_totals(summary)} in {where}.{fixed}", "", "### Findings per rule", ""]
    lines += _rules_table(findings)
    lines += ["", "### Pages to fix first", ""]
    lines += _pages_table(findings, context)
    return "\n".join(lines) + "\n\n"
