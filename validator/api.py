"""Lint pages from Python: the functions the command line and other tools build on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Config, load_config
from .discover import discover, display_path, relative_to
from .engine import check_bytes, check_file
from .finding import Finding
from .schema import ContentModel, load_content_model
from .selection import Layer, RuleSettings

if TYPE_CHECKING:
    from .fix import Change, FileFix


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]  # after fixing, the findings that remain
    files: int  # how many files were checked
    fixed: int = 0  # how many fixes were applied (or, with ``diff``, would be)
    changes: tuple[Change, ...] = ()  # the pages the fixes change (written unless ``diff``)
    failures: tuple[Finding, ...] = ()  # why some pages could not be fixed
    output: bytes | None = None  # standard input, fixed: the page to print


@dataclass(frozen=True)
class Options:
    """What the command line adds on top of the configuration file."""

    select: Sequence[str] | None = None
    extend_select: Sequence[str] = ()
    ignore: Sequence[str] = ()
    schema: Path | None = None
    force_exclude: bool = False
    fix: bool = False  # apply the safe fixes of the findings reported, and write the pages
    unsafe_fixes: bool = False  # with fix or diff: the unsafe fixes too
    diff: bool = False  # work out the fixes but write nothing; Report.changes holds them

    @property
    def fixing(self) -> bool:
        return self.fix or self.diff

    def layer(self) -> Layer:
        return Layer(select=self.select, extend_select=tuple(self.extend_select), ignore=tuple(self.ignore))


def resolve_model(config: Config, options: Options) -> ContentModel:
    """--schema, else the configured schema, else the built-in monograph model."""
    return load_content_model(options.schema or config.schema)


def lint_paths(
    paths: Sequence[str | Path],
    config: Config | None = None,
    options: Options | None = None,
    cwd: Path | None = None,
) -> Report:
    """Check files and folders, and fix them when ``options`` say so; raises ConfigError or
    SchemaError only for bad settings."""
    cwd = (cwd or Path.cwd()).resolve()
    config = config if config is not None else load_config(None, cwd)
    options = options or Options()
    model = resolve_model(config, options)
    layer = options.layer()
    outcomes: list[FileFix] = []
    findings: list[Finding] = []
    files = 0
    candidates = discover(
        [str(path) for path in paths], cwd, config.root, config.exclude, config.respect_gitignore, options.force_exclude
    )
    for candidate in candidates:
        files += 1
        settings = config.settings_for(relative_to(candidate.path, config.root) or candidate.display, layer)
        if options.fixing:
            from .fix import fix_file

            unsafe, write = options.unsafe_fixes, not options.diff
            outcomes.append(fix_file(candidate.path, candidate.display, settings, model, unsafe, write))
        else:
            findings.extend(check_file(candidate.path, candidate.display, settings, model))
    if options.fixing:
        return _fix_report(outcomes, files)
    return Report(tuple(findings), files)


def lint_text(
    text: str | bytes,
    path: str | None = None,
    config: Config | None = None,
    options: Options | None = None,
    cwd: Path | None = None,
) -> list[Finding]:
    """Check one page given as text or bytes; ``path`` names it in findings and selects
    per-path overrides."""
    display, settings, model = _text_settings(path, config, options or Options(), cwd)
    return check_bytes(_bytes(text), display, settings, model)


def fix_text(
    text: str | bytes,
    path: str | None = None,
    config: Config | None = None,
    options: Options | None = None,
    cwd: Path | None = None,
) -> Report:
    """Fix one page given as text or bytes, checked as ``lint_text`` checks it; writes
    nothing. ``Report.output`` holds the page's bytes after fixing (the bytes given, when no
    fix applies), ``Report.changes`` the change, ``Report.findings`` what remains. The
    unsafe fixes apply when ``options.unsafe_fixes``."""
    from .fix import fix_bytes

    options = options or Options()
    display, settings, model = _text_settings(path, config, options, cwd)
    outcome = fix_bytes(_bytes(text), display, settings, model, options.unsafe_fixes)
    return _fix_report([outcome], 1, outcome.output)


def _bytes(text: str | bytes) -> bytes:
    return text.encode("utf-8") if isinstance(text, str) else text


def _text_settings(
    path: str | None, config: Config | None, options: Options, cwd: Path | None
) -> tuple[str, RuleSettings, ContentModel]:
    cwd = (cwd or Path.cwd()).resolve()
    config = config if config is not None else load_config(None, cwd)
    display = display_path(Path(path), cwd) if path else "-"
    relative = (relative_to(cwd / path, config.root) if path else None) or display
    return display, config.settings_for(relative, options.layer()), resolve_model(config, options)


def _fix_report(outcomes: Sequence[FileFix], files: int, output: bytes | None = None) -> Report:
    return Report(
        findings=tuple(finding for outcome in outcomes for finding in outcome.findings),
        files=files,
        fixed=sum(outcome.fixed for outcome in outcomes),
        changes=tuple(outcome.change for outcome in outcomes if outcome.change is not None),
        failures=tuple(outcome.failure for outcome in outcomes if outcome.failure is not None),
        output=output,
    )
