"""--format text: one finding a line, `path:line:col: ID [name] message`, then a summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from itertools import islice

from validator.model.finding import Finding, Severity
from validator.report.formats.context import Context
from validator.report.formats.summary import Style, Summary

_SEVERITY_COLOR = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _paint(text: str, code: str, style: Style) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if style.color else text


def _line(finding: Finding, style: Style) -> str:
    where = _paint(finding.path, "1", style) + _paint(f":{finding.start.line}:{finding.start.column}:", "2", style)
    rule = _paint(finding.rule, "1;" + _SEVERITY_COLOR[finding.severity], style)
    name = _paint(f"[{finding.name}]", "2", style)
    message = finding.message.replace("\r", "\\r").replace("\n", "\\n")
    return f"{where} {rule} {name} {message}"


def _statistics(findings: list[Finding], style: Style) -> list[str]:
    counts = Counter((finding.rule, finding.name, finding.severity) for finding in findings)
    fixable = Counter(finding.rule for finding in findings if finding.fix is not None)
    width = max((len(str(count)) for count in counts.values()), default=1)
    name_width = max((len(name) for _, name, _ in counts), default=0)
    lines = []
    for (rule, name, severity), count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        mark = " [*]" if fixable[rule] else ""
        painted = _paint(rule, "1;" + _SEVERITY_COLOR[severity], style)
        lines.append(f"{count:>{width}}  {painted}  {name:<{name_width}}  {severity.value}{mark}")
    return lines


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _summary(summary: Summary, style: Style) -> list[str]:
    lines = _counts(summary, style)
    if summary.skipped_note:
        lines.append(f"{summary.skipped_note}.")
    if summary.fixed is not None:
        lines.append(f"Fixed {_plural(summary.fixed, 'finding')} ({summary.findings:,} remaining).")
    return lines


def _counts(summary: Summary, style: Style) -> list[str]:
    checked = _plural(summary.files, "file")
    if summary.findings == 0:
        return [_paint(f"All checks passed ({checked} checked).", "32", style)]
    parts = [
        _plural(summary.by_severity.get(severity.value, 0), severity.value)
        for severity in Severity
        if summary.by_severity.get(severity.value)
    ]
    lines = [f"Found {', '.join(parts)} in {_plural(summary.files_with_findings, 'file')} ({checked} checked)."]
    if summary.fixable:
        unsafe = summary.fixable - summary.fixable_safe
        more = f" ({unsafe:,} more with --unsafe-fixes)" if unsafe else ""
        if summary.fixable_safe:
            lines.append(f"[*] {summary.fixable_safe:,} fixable with --fix{more}.")
        else:
            lines.append(f"[*] {unsafe:,} fixable with --fix --unsafe-fixes.")
    return lines


def render(findings: list[Finding], summary: Summary, style: Style, context: Context) -> str:
    return "".join(chunks(findings, summary, style, context))


def chunks(findings: list[Finding], summary: Summary, style: Style, context: Context) -> Iterator[str]:
    """The report in pieces of many lines, each line ending in a newline: a page can have
    hundreds of thousands of findings, and the report need not be held whole."""
    listed = bool(findings)
    if style.statistics:
        lines = _statistics(findings, style)
        listed = bool(lines)
        yield "".join(line + "\n" for line in lines)
    else:
        rest = iter(findings)
        while batch := list(islice(rest, 4096)):
            yield "".join(_line(finding, style) + "\n" for finding in batch)
    if not style.quiet:
        yield "\n" if listed else ""
        yield "".join(line + "\n" for line in _summary(summary, style))


def would_fix(fixed: int, files: int) -> str:
    """The summary of --diff."""
    if not fixed:
        return "No fixes to apply."
    return f"Would fix {_plural(fixed, 'finding')} in {_plural(files, 'file')}."
