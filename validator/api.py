"""Lint pages from Python: the functions the command line and other tools build on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .config import Config, load_config
from .discover import discover, display_path, relative_to
from .engine import check_bytes, check_file
from .finding import Finding
from .schema import ContentModel, load_content_model
from .selection import Layer


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]
    files: int  # how many files were checked


@dataclass(frozen=True)
class Options:
    """What the command line adds on top of the configuration file."""

    select: Sequence[str] | None = None
    extend_select: Sequence[str] = ()
    ignore: Sequence[str] = ()
    schema: Path | None = None
    force_exclude: bool = False

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
    """Check files and folders; raises ConfigError or SchemaError only for bad settings."""
    cwd = (cwd or Path.cwd()).resolve()
    config = config if config is not None else load_config(None, cwd)
    options = options or Options()
    model = resolve_model(config, options)
    layer = options.layer()
    findings: list[Finding] = []
    files = 0
    candidates = discover(
        [str(path) for path in paths], cwd, config.root, config.exclude, config.respect_gitignore, options.force_exclude
    )
    for candidate in candidates:
        files += 1
        settings = config.settings_for(relative_to(candidate.path, config.root) or candidate.display, layer)
        findings.extend(check_file(candidate.path, candidate.display, settings, model))
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
    cwd = (cwd or Path.cwd()).resolve()
    config = config if config is not None else load_config(None, cwd)
    options = options or Options()
    model = resolve_model(config, options)
    display = display_path(Path(path), cwd) if path else "-"
    relative = (relative_to(cwd / path, config.root) if path else None) or display
    settings = config.settings_for(relative, options.layer())
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return check_bytes(raw, display, settings, model)
