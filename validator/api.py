"""Lint pages from Python: the functions the command line and other tools build on."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Config, load_config
from .discover import discover, display_path, relative_to
from .engine import RESOURCE_ERRORS, bytes_in_scope, check_in_scope, read_file, resource_finding
from .finding import Finding
from .schema import ContentModel, load_content_model, model_identity, scope_of
from .scope import path_applies
from .selection import Layer, RuleSettings

if TYPE_CHECKING:
    from . import parallel
    from .cache import Cached, FindingsCache
    from .fix import Change, FileFix


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]  # after fixing, the findings that remain
    files: int  # how many files were checked
    fixed: int = 0  # how many fixes were applied (or, with ``diff``, would be)
    changes: tuple[Change, ...] = ()  # the pages the fixes change (written unless ``diff``)
    failures: tuple[Finding, ...] = ()  # why some pages could not be fixed
    output: bytes | None = None  # standard input, fixed: the page to print
    checked: tuple[str, ...] = ()  # with Options.list_checked: the files looked at (checked or skipped), in order
    skipped: int = 0  # files out of the content model's scope (applies_to): neither checked nor fixed


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
    jobs: int | None = None  # worker processes for many files; None: one per CPU
    cache_dir: Path | None = None  # where to keep findings between runs; None: no cache
    # Fill Report.checked with the path of every file checked (a baseline needs them to tell
    # stale entries); off, a run over many files keeps nothing per file but its findings.
    list_checked: bool = False

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
    SchemaError only for bad settings. Findings come in the order files are discovered,
    whatever ``options.jobs``."""
    from . import parallel

    cwd = (cwd or Path.cwd()).resolve()
    config = config if config is not None else load_config(None, cwd)
    options = options or Options()
    schema = options.schema or config.schema
    layer = options.layer()
    candidates = discover(
        [str(path) for path in paths],
        cwd,
        config.root,
        config.exclude,
        config.respect_gitignore,
        options.force_exclude,
    )
    from .cache import Cached

    cache = _open_cache(options, schema)
    # The paths the model applies to are known without reading a page (or loading the model,
    # which a run whose pages are all cached never does); its layouts are the workers' job.
    criteria = scope_of(schema)
    off_path = Cached([], skipped=True)
    files = 0
    checked: list[str] = []
    found = _Found()
    # In discovery order, the files after the oldest still being checked: their cached
    # findings (or that they are out of scope), or None while a worker checks them. Only a
    # window of files is ever held.
    slots: deque[Cached | None] = deque()

    def tasks() -> Iterator[parallel.Task]:
        nonlocal files
        for candidate in candidates:
            files += 1
            if options.list_checked:
                checked.append(candidate.display)
            relative = relative_to(candidate.path, config.root) or candidate.display
            settings = config.settings_for(relative, layer)
            if not path_applies(relative, criteria):
                cached: Cached | None = off_path
                found.off_path += 1
            else:
                cached = _cached(cache, candidate.path, candidate.display, settings) if cache else None
            if cached is not None and not slots:
                found.add(cached)  # every file before it is reported already
                continue
            slots.append(cached)
            if cached is None:
                yield parallel.Task(str(candidate.path), candidate.display, settings.data)

    job = parallel.Job(
        schema=str(schema) if schema is not None else None,
        fix=options.fixing,
        unsafe=options.unsafe_fixes,
        write=not options.diff,
        cache_keys=cache is not None,
    )
    outcomes = parallel.run(tasks(), job, options.jobs or parallel.default_jobs())
    if options.fixing:
        fixes = list(outcomes)
        skipped = found.off_path + sum(outcome.skipped for outcome in fixes)
        return replace(_fix_report(fixes, files - skipped), checked=tuple(checked), skipped=skipped)
    for outcome in outcomes:
        while (cached := slots.popleft()) is not None:
            found.add(cached)
        if cache is not None and outcome.key is not None:
            cache.put(outcome.key, outcome.findings, outcome.skipped)
        found.add(outcome)
    for cached in slots:  # the files after the last one checked were all cached
        found.add(cached or off_path)
    if found.off_path == files:
        resolve_model(config, options)  # a bad --schema is an error even with no pages
    if cache is not None:
        cache.save()
    return Report(tuple(found.findings), files - found.skipped, checked=tuple(checked), skipped=found.skipped)


@dataclass
class _Found:
    """What a run found so far: findings in order, and the files skipped as out of scope."""

    findings: list[Finding] = field(default_factory=list)
    skipped: int = 0
    off_path: int = 0  # of those, the ones whose path the content model does not apply to

    def add(self, outcome: Cached | parallel.Checked) -> None:
        self.findings.extend(outcome.findings)
        self.skipped += outcome.skipped


def _open_cache(options: Options, schema: Path | None) -> FindingsCache | None:
    if options.cache_dir is None or options.fixing:
        return None
    from .cache import FindingsCache

    return FindingsCache.open(options.cache_dir, model_identity(schema))


def _cached(cache: FindingsCache, path: Path, display: str, settings: RuleSettings) -> Cached | None:
    """The cached findings of a file, or None when it must be checked."""
    if not cache.loaded:
        return None  # a cold cache: don't read every file twice (the worker reads it)
    from .cache import entry_key

    raw = read_file(path, display, settings)
    if isinstance(raw, list):
        return None  # unreadable: the worker reports it
    return cache.lookup(entry_key(raw, settings.data.key), display)


def lint_text(
    text: str | bytes,
    path: str | None = None,
    config: Config | None = None,
    options: Options | None = None,
    cwd: Path | None = None,
) -> list[Finding]:
    """Check one page given as text or bytes; ``path`` names it in findings and selects
    per-path overrides. A page out of the content model's scope has no findings."""
    return list(lint_text_report(text, path, config, options, cwd).findings)


def lint_text_report(
    text: str | bytes,
    path: str | None = None,
    config: Config | None = None,
    options: Options | None = None,
    cwd: Path | None = None,
) -> Report:
    """``lint_text`` as the Report of one file: checked, or out of scope (``skipped``)."""
    target = _text_target(path, config, options or Options(), cwd)
    findings = None
    if path_applies(target.relative, target.model.applies_to):
        findings = check_in_scope(_bytes(text), target.display, target.settings, target.model)
    if findings is None:
        return Report((), 0, checked=(target.display,), skipped=1)
    return Report(tuple(findings), 1, checked=(target.display,))


def fix_text(
    text: str | bytes,
    path: str | None = None,
    config: Config | None = None,
    options: Options | None = None,
    cwd: Path | None = None,
) -> Report:
    """Fix one page given as text or bytes, checked as ``lint_text`` checks it; writes
    nothing. ``Report.output`` holds the page's bytes after fixing (the bytes given, when no
    fix applies or the page is out of scope), ``Report.changes`` the change,
    ``Report.findings`` what remains. The unsafe fixes apply when ``options.unsafe_fixes``."""
    from .fix import FileFix, fix_bytes

    options = options or Options()
    target = _text_target(path, config, options, cwd)
    display, settings, model = target.display, target.settings, target.model
    raw = _bytes(text)
    if not (path_applies(target.relative, model.applies_to) and bytes_in_scope(raw, model)):
        return Report((), 0, output=raw, skipped=1)
    try:
        outcome = fix_bytes(raw, display, settings, model, options.unsafe_fixes)
        return _fix_report([outcome], 1, outcome.output)
    except RESOURCE_ERRORS as error:
        limit = type(error)
    # Out of the handler, what the failed fix held is freed; the page is given back unchanged.
    failure = resource_finding(display, limit, settings, "fixing it")
    return _fix_report([FileFix(tuple(failure), 0, raw, original=tuple(failure), failure=failure[0])], 1, raw)


def _bytes(text: str | bytes) -> bytes:
    return text.encode("utf-8") if isinstance(text, str) else text


@dataclass(frozen=True)
class _Target:
    """A page given as text: its name in findings, its path relative to the configuration's
    root (None without a path), its rule settings and content model."""

    display: str
    relative: str | None
    settings: RuleSettings
    model: ContentModel


def _text_target(path: str | None, config: Config | None, options: Options, cwd: Path | None) -> _Target:
    cwd = (cwd or Path.cwd()).resolve()
    config = config if config is not None else load_config(None, cwd)
    display = display_path(Path(path), cwd) if path else "-"
    relative = (relative_to(cwd / path, config.root) or display) if path else None
    settings = config.settings_for(relative or display, options.layer())
    return _Target(display, relative, settings, resolve_model(config, options))


def _fix_report(outcomes: Sequence[FileFix], files: int, output: bytes | None = None) -> Report:
    return Report(
        findings=tuple(finding for outcome in outcomes for finding in outcome.findings),
        files=files,
        fixed=sum(outcome.fixed for outcome in outcomes),
        changes=tuple(outcome.change for outcome in outcomes if outcome.change is not None),
        failures=tuple(outcome.failure for outcome in outcomes if outcome.failure is not None),
        output=output,
    )
