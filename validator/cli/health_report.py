"""`monolint report`: one lint run, then the health report's figures and its HTML, written
atomically. The figures and the page are validator.report.health's; this module only joins
the run to them."""

from __future__ import annotations

import datetime
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import click

from validator import __version__
from validator.api import Options, lint_paths, resolve_model
from validator.config.resolver import Resolver
from validator.report.health.aggregate import BaselineHealth, Comparison, Health, aggregate, baseline_health


def build(
    paths: Sequence[str],
    resolver: Resolver,
    options: Options,
    cwd: Path,
    baseline: Path | None,
    compare: Path | None,
) -> Health:
    """Lint once (never narrowed by a baseline: the report shows every finding) and work out
    the figures; a baseline or previous report that cannot be read is a usage error."""
    from validator.report import baseline as baselines
    from validator.report.health.compare import compare_reports
    from validator.report.merge import MergeError, read_report

    old = None
    if compare is not None:  # read it before linting: a bad file fails fast
        try:
            old = read_report(compare).findings
        except MergeError as error:
            raise click.UsageError(f"--compare: {error}") from None
    report = lint_paths(paths, resolver, options, cwd)
    findings = list(report.findings)
    held: BaselineHealth | None = None
    if baseline is not None:
        try:
            outcome = baselines.apply(baseline, findings, report.checked, cwd)
            entries = baselines.entries_by_rule(baseline, report.checked, cwd)
        except baselines.BaselineError as error:
            raise click.UsageError(str(error)) from None
        held = baseline_health(str(baseline), findings, outcome.findings, entries, outcome.stale)
    comparison: Comparison | None = None
    if old is not None and compare is not None:
        comparison = compare_reports(str(compare), old, findings)
    sections = [section.heading for section in resolve_model(resolver.fallback, options).sections]
    return aggregate(findings, report.files, sections, report.skipped, held, comparison)


def generated_line(paths: Sequence[str]) -> str:
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"{' '.join(paths)}, checked with monolint {__version__} on {when}"


def link_prefix(output: Path, cwd: Path) -> str:
    """What to put before a page's path (relative to ``cwd``) to reach it from the report."""
    relative = Path(os.path.relpath(cwd, output.resolve().parent)).as_posix()
    return "" if relative == "." else relative + "/"


def write_atomically(output: Path, text: str) -> None:
    """Write the page whole or not at all: a temporary file in the same folder, renamed."""
    folder = output.resolve().parent
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{output.name}.", suffix=".tmp")
    except OSError as error:
        raise click.UsageError(f"cannot write {output}: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        Path(temporary).chmod(0o644)  # mkstemp makes it 0600; a report is for sharing
        Path(temporary).replace(output)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise click.UsageError(f"cannot write {output}: {error.strerror or error}") from None
