"""`monolint merge`: one report from the JSON reports of several runs, typically the N jobs
of a ``--shard K/N`` CI matrix, so the whole run can be printed in any format.

Inputs that would count a page twice, or leave a part of a sharded run out, are refused
with one line (MergeError): shard reports must all be of the same N, each K once, all K
present, and no page may appear in two reports.

The findings are read back from what ``Finding.to_dict`` wrote: values the engine made in the
shard jobs, not new ones. The JSON gives a fix's edits as positions (kept in ``fix_spans``,
which the formats use) and not as offsets in the page, so merged findings are for printing.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from validator.model.errors import SettingsError
from validator.model.finding import Edit, Finding, Fix, Location, Position, Severity
from validator.model.site import PageSummary
from validator.report.formats.summary import Summary, summarize

# Unknown in a JSON report, which gives edits as positions (kept in Finding.fix_spans): a
# merged finding is for printing, never for applying.
UNKNOWN_OFFSET = -1


class MergeError(SettingsError):
    """Reports that cannot be merged; the message is one line."""


@dataclass(frozen=True)
class ReportFile:
    name: str
    findings: list[Finding]
    files: int
    skipped: int
    fixed: int | None
    shard: tuple[int, int] | None
    site_pages: tuple[PageSummary, ...] = ()  # a shard's pages, for the rules that compare pages


@dataclass(frozen=True)
class Merged:
    findings: list[Finding]  # in path order (a folder's pages before its subfolders'), each page's as reported
    summary: Summary


def merge(files: Sequence[Path]) -> Merged:
    """Read and merge the JSON reports in ``files``; raises MergeError."""
    if not files:
        raise MergeError("no reports given; try 'monolint merge shard-*.json'")
    given = [file.resolve() for file in files]
    for number, file in enumerate(given):
        if file in given[:number]:
            raise MergeError(f"{files[number]} is given twice")
    inputs = [read_report(file) for file in files]
    _check_shards(inputs)
    _check_disjoint(inputs)
    findings = sorted((finding for one in inputs for finding in one.findings), key=lambda f: _walk_order(f.path))
    pages = sorted((page for one in inputs for page in one.site_pages), key=lambda page: _walk_order(page.path))
    if pages:
        # The shards could not compare their pages with each other's: the whole run's pass, here.
        from validator.check.site import site_findings

        added = [finding for more in site_findings(pages) for finding in more]
        findings = sorted(
            [*findings, *added], key=lambda f: (_walk_order(f.path), f.start.line, f.start.column, f.rule)
        )
    fixes = [one.fixed for one in inputs]
    fixed = None if None in fixes else sum(fix for fix in fixes if fix is not None)
    files_total = sum(one.files for one in inputs)
    summary = summarize(findings, files_total, fixed=fixed, skipped=sum(one.skipped for one in inputs))
    return Merged(findings, summary)


def _walk_order(path: str) -> tuple[tuple[int, str], ...]:
    """Sorts paths as a folder's walk finds them: its files by name, then each subfolder's."""
    parts = path.split("/")
    return (*((1, part) for part in parts[:-1]), (0, parts[-1]))


def _check_shards(inputs: list[ReportFile]) -> None:
    sharded = [one for one in inputs if one.shard is not None]
    if not sharded:
        return
    if len(sharded) != len(inputs):
        whole = next(one for one in inputs if one.shard is None)
        raise MergeError(f"{sharded[0].name} is the report of one shard but {whole.name} is not")
    counts = {one.shard[1] for one in sharded if one.shard is not None}
    if len(counts) > 1:
        low, high = sorted(counts)[:2]
        raise MergeError(f"the reports come from runs split into different numbers of shards ({low} and {high})")
    (count,) = counts
    by_index: dict[int, str] = {}
    for one in sharded:
        assert one.shard is not None
        index = one.shard[0]
        if index in by_index:
            raise MergeError(f"{by_index[index]} and {one.name} are both the report of shard {index}/{count}")
        by_index[index] = one.name
    missing = [str(index) for index in range(1, count + 1) if index not in by_index]
    if missing:
        many = len(missing) > 1
        raise MergeError(
            f"shard{'s' if many else ''} {', '.join(missing)} of {count} {'are' if many else 'is'} missing: "
            f"the merged report would leave {'their' if many else 'its'} pages out"
        )


def _check_disjoint(inputs: list[ReportFile]) -> None:
    owner: dict[str, int] = {}
    for number, one in enumerate(inputs):
        for path in {finding.path for finding in one.findings} | {page.path for page in one.site_pages}:
            other = owner.setdefault(path, number)
            if other != number:
                raise MergeError(
                    f"{inputs[other].name} and {one.name} both report the page {path}: the reports overlap"
                )


def read_report(file: Path) -> ReportFile:
    """One ``--format json`` report, checked and read back into Findings (``merge`` and the
    health report's ``--compare`` read reports through this); raises MergeError, one line."""
    name = str(file)
    try:
        data = json.loads(file.read_bytes())
    except OSError as error:
        raise MergeError(f"cannot read {name}: {error.strerror or error}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise MergeError(f"{name} is not JSON: {error}") from None
    if not (
        isinstance(data, dict) and isinstance(data.get("findings"), list) and isinstance(data.get("summary"), dict)
    ):
        raise MergeError(f"{name} is not a monolint JSON report (monolint check --format json)")
    summary = data["summary"]
    try:
        findings = [_finding(item) for item in data["findings"]]
        files, skipped = _count(summary, "files"), _count(summary, "skipped")
        fixed = None if summary.get("fixed") is None else _count(summary, "fixed")
        shard = _shard(summary.get("shard"))
        site_pages = tuple(PageSummary.from_data(page) for page in data.get("site_pages", ()))
    except KeyError as error:
        raise MergeError(f"{name} is not a monolint JSON report: a finding or the summary has no {error}") from None
    except (TypeError, ValueError) as error:
        raise MergeError(f"{name} is not a monolint JSON report: {error}") from None
    if summary.get("findings") != len(findings):
        raise MergeError(f"{name}'s summary counts {summary.get('findings')} findings but it lists {len(findings)}")
    return ReportFile(name, findings, files, skipped, fixed, shard, site_pages)


def _count(summary: dict[str, Any], key: str) -> int:
    value = summary[key]
    if type(value) is not int or value < 0:
        raise ValueError(f"summary.{key} is not a count")
    return value


def _shard(value: object) -> tuple[int, int] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ValueError("summary.shard is not an object")
    index, count = value.get("index"), value.get("count")
    if type(index) is not int or type(count) is not int or not 1 <= index <= count:
        raise ValueError("summary.shard is not {index: K, count: N} with 1 <= K <= N")
    return index, count


def _finding(item: Any) -> Finding:
    """A finding as ``Finding.to_dict`` wrote it."""
    if not isinstance(item, dict):
        raise TypeError("a finding is not an object")
    fix = item["fix"]
    spans: tuple[tuple[Position, Position], ...] = ()
    parsed_fix = None
    if fix is not None:
        edits = fix["edits"]
        spans = tuple((_position(edit, "line", "column"), _position(edit, "end_line", "end_column")) for edit in edits)
        parsed_fix = Fix(
            _text(fix, "message"),
            tuple(Edit(UNKNOWN_OFFSET, UNKNOWN_OFFSET, _text(edit, "text")) for edit in edits),
            _flag(fix, "safe"),
        )
    return Finding(
        path=_text(item, "path"),
        start=_position(item, "line", "column"),
        end=_position(item, "end_line", "end_column"),
        rule=_text(item, "rule"),
        name=_text(item, "name"),
        category=_text(item, "category"),
        severity=Severity(item["severity"]),
        message=_text(item, "message"),
        fix=parsed_fix,
        fix_spans=spans,
        subject=_optional_text(item, "subject"),
        related=tuple(_location(place) for place in item.get("related", ())),
    )


def _location(item: Any) -> Location:
    if not isinstance(item, dict):
        raise TypeError("a finding's related location is not an object")
    return Location(_text(item, "path"), _position(item, "line", "column"), _position(item, "end_line", "end_column"))


def _optional_text(item: dict[str, Any], key: str) -> str | None:
    """A key a report may lack (written by an older monolint) or hold as null."""
    value = item.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"a finding's {key} is not text")
    return value


def _position(item: dict[str, Any], line: str, column: str) -> Position:
    values = item[line], item[column]
    if any(type(value) is not int or value < 1 for value in values):
        raise ValueError(f"a finding's {line} or {column} is not a 1-based number")
    return Position(*values)


def _text(item: dict[str, Any], key: str) -> str:
    value = item[key]
    if not isinstance(value, str):
        raise TypeError(f"a finding's {key} is not a string")
    return value


def _flag(item: dict[str, Any], key: str) -> bool:
    value = item[key]
    if not isinstance(value, bool):
        raise TypeError(f"a fix's {key} is not true or false")
    return value
