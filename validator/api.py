"""Lint pages from Python: the functions the command line and other tools build on."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Config
from .discover import Candidate, Excludes, MissingPathError, discover, display_path, missing_paths, relative_to
from .engine import RESOURCE_ERRORS, check_bytes, read_file, resource_finding
from .finding import Finding
from .resolver import Resolver
from .schema import ContentModel, load_content_model, model_identity
from .selection import Layer, RuleSettings

if TYPE_CHECKING:
    from . import parallel
    from .cache import FindingsCache
    from .fix import Change, FileFix


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]  # after fixing, the findings that remain
    files: int  # how many files were checked
    fixed: int = 0  # how many fixes were applied (or, with ``diff``, would be)
    changes: tuple[Change, ...] = ()  # the pages the fixes change (written unless ``diff``)
    failures: tuple[Finding, ...] = ()  # why some pages could not be fixed
    output: bytes | None = None  # standard input, fixed: the page to print
    checked: tuple[str, ...] = ()  # with Options.list_checked: the files checked, in order


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


def resolver_for(config: Config | Resolver | None, cwd: Path) -> Resolver:
    """A Resolver as given; one that uses ``config`` for every file; or, for None, one that
    finds each file's own configuration (the command line's way)."""
    if isinstance(config, Resolver):
        return config
    return Resolver(cwd, config)


def discover_files(
    paths: Sequence[str | Path],
    config: Config | Resolver | None = None,
    options: Options | None = None,
    cwd: Path | None = None,
) -> Iterator[Candidate]:
    """The files ``lint_paths`` would check, in its order, after excludes; raises
    MissingPathError as it does."""
    cwd = (cwd or Path.cwd()).resolve()
    _refuse_missing(paths, cwd)
    resolver = resolver_for(config, cwd)
    return discover([str(path) for path in paths], cwd, _excludes(resolver), (options or Options()).force_exclude)


def _refuse_missing(paths: Sequence[str | Path], cwd: Path) -> None:
    missing = missing_paths([str(path) for path in paths], cwd)
    if missing:
        raise MissingPathError(missing)


def _excludes(resolver: Resolver) -> Callable[[Path], Excludes]:
    return lambda folder: resolver.config_for(folder).excludes


def lint_paths(
    paths: Sequence[str | Path],
    config: Config | Resolver | None = None,
    options: Options | None = None,
    cwd: Path | None = None,
) -> Report:
    """Check files and folders, and fix them when ``options`` say so. Each file uses the
    configuration nearest to it, unless ``config`` is one Config for every file. Raises
    MissingPathError (a FileNotFoundError) naming every path that does not exist, before
    checking anything, and ConfigError or SchemaError for bad settings; a file that cannot be
    read, or vanishes once found, is a finding (MON001) and the run goes on. Findings come in
    the order files are discovered, whatever ``options.jobs``."""
    from . import parallel

    cwd = (cwd or Path.cwd()).resolve()
    _refuse_missing(paths, cwd)
    resolver = resolver_for(config, cwd)
    options = options or Options()
    layer = options.layer()
    candidates = discover([str(path) for path in paths], cwd, _excludes(resolver), options.force_exclude)
    cache = None
    if options.cache_dir is not None and not options.fixing:
        from .cache import FindingsCache

        cache = FindingsCache.open(options.cache_dir)
    models = _Models(options.schema, cwd, cache is not None)
    files = 0
    checked: list[str] = []
    findings: list[Finding] = []
    # In discovery order, the files after the oldest still being checked: their cached
    # findings, or None while a worker checks them. Only a window of files is ever held.
    slots: deque[list[Finding] | None] = deque()

    def tasks() -> Iterator[parallel.Task]:
        nonlocal files
        for candidate in candidates:
            files += 1
            if options.list_checked:
                checked.append(candidate.display)
            config = resolver.for_file(candidate.path)
            settings = config.settings_for(relative_to(candidate.path, config.root) or candidate.display, layer)
            model = models.ref(config)
            cached = _cached(cache, candidate.path, candidate.display, settings, model) if cache else None
            if cached is not None and not slots:
                findings.extend(cached)  # every file before it is reported already
                continue
            slots.append(cached)
            if cached is None:
                yield parallel.Task(str(candidate.path), candidate.display, settings.data, model)

    job = parallel.Job(
        fix=options.fixing, unsafe=options.unsafe_fixes, write=not options.diff, cache_keys=cache is not None
    )
    outcomes = parallel.run(tasks(), job, options.jobs or parallel.default_jobs())
    if options.fixing:
        fixes = list(outcomes)
        return replace(_fix_report(fixes, files), checked=tuple(checked))
    for outcome in outcomes:
        while (cached := slots.popleft()) is not None:
            findings.extend(cached)
        if cache is not None and outcome.key is not None:
            cache.put(outcome.key, outcome.findings)
        findings.extend(outcome.findings)
    for cached in slots:  # the files after the last one checked were all cached
        findings.extend(cached or ())
    if not files:
        resolve_model(resolver.fallback, options)  # a bad --schema is an error even with no pages
    if cache is not None:
        cache.save()
    return Report(tuple(findings), files, checked=tuple(checked))


class _Models:
    """The content model each configuration uses in a run, as workers receive it: one
    ModelRef per model file, its fingerprint worked out once (only when caching)."""

    def __init__(self, schema: Path | None, cwd: Path, fingerprint: bool) -> None:
        self.schema = None if schema is None else cwd / schema  # --schema beats every configuration
        self.fingerprint = fingerprint
        self.by_config: dict[Config, parallel.ModelRef] = {}
        self.by_file: dict[str | None, parallel.ModelRef] = {}

    def ref(self, config: Config) -> parallel.ModelRef:
        ref = self.by_config.get(config)
        if ref is None:
            from .parallel import ModelRef

            schema = self.schema or config.schema
            file = None if schema is None else str(Path(schema).resolve())
            ref = self.by_file.get(file)
            if ref is None:
                identity = model_identity(file) if self.fingerprint else ""
                ref = self.by_file[file] = ModelRef(file, identity)
            self.by_config[config] = ref
        return ref


def _cached(
    cache: FindingsCache, path: Path, display: str, settings: RuleSettings, model: parallel.ModelRef
) -> list[Finding] | None:
    """The cached findings of a file, or None when it must be checked."""
    if not cache.loaded:
        return None  # a cold cache: don't read every file twice (the worker reads it)
    from .cache import entry_key

    raw = read_file(path, display, settings)
    if isinstance(raw, list):
        return None  # unreadable: the worker reports it
    return cache.get(entry_key(raw, settings.data.key, model.identity), display)


def lint_text(
    text: str | bytes,
    path: str | None = None,
    config: Config | Resolver | None = None,
    options: Options | None = None,
    cwd: Path | None = None,
) -> list[Finding]:
    """Check one page given as text or bytes; ``path`` names it in findings, and chooses the
    configuration (the nearest to it, unless ``config`` is a Config) and its per-path overrides."""
    display, settings, model = _text_settings(path, config, options or Options(), cwd)
    return check_bytes(_bytes(text), display, settings, model)


def fix_text(
    text: str | bytes,
    path: str | None = None,
    config: Config | Resolver | None = None,
    options: Options | None = None,
    cwd: Path | None = None,
) -> Report:
    """Fix one page given as text or bytes, checked as ``lint_text`` checks it; writes
    nothing. ``Report.output`` holds the page's bytes after fixing (the bytes given, when no
    fix applies), ``Report.changes`` the change, ``Report.findings`` what remains. The
    unsafe fixes apply when ``options.unsafe_fixes``."""
    from .fix import FileFix, fix_bytes

    options = options or Options()
    display, settings, model = _text_settings(path, config, options, cwd)
    raw = _bytes(text)
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


def _text_settings(
    path: str | None, config: Config | Resolver | None, options: Options, cwd: Path | None
) -> tuple[str, RuleSettings, ContentModel]:
    cwd = (cwd or Path.cwd()).resolve()
    absolute = Path(os.path.normpath(cwd / path)) if path else None
    chosen = resolver_for(config, cwd).config_for(cwd if absolute is None else absolute.parent)
    display = display_path(absolute, cwd) if absolute is not None else "-"
    relative = (relative_to(absolute, chosen.root) if absolute is not None else None) or display
    return display, chosen.settings_for(relative, options.layer()), resolve_model(chosen, options)


def _fix_report(outcomes: Sequence[FileFix], files: int, output: bytes | None = None) -> Report:
    return Report(
        findings=tuple(finding for outcome in outcomes for finding in outcome.findings),
        files=files,
        fixed=sum(outcome.fixed for outcome in outcomes),
        changes=tuple(outcome.change for outcome in outcomes if outcome.change is not None),
        failures=tuple(outcome.failure for outcome in outcomes if outcome.failure is not None),
        output=output,
    )
