"""Lint pages from Python: the functions the command line and other tools build on."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from validator.check.engine import RESOURCE_ERRORS, bytes_in_scope, check_in_scope, resource_finding
from validator.config.excludes import Excludes
from validator.config.files import Config
from validator.config.resolver import Resolver
from validator.config.selection import Layer, RuleSettings
from validator.content_model.load import ContentModel, load_content_model, scope_of
from validator.content_model.scope import AppliesTo, path_applies
from validator.model.finding import STDIN_PATH, Finding
from validator.run.discover import (
    Candidate,
    MissingPathError,
    discover,
    display_path,
    missing_paths,
    relative_to,
)
from validator.run.shard import Shard

if TYPE_CHECKING:
    from validator.fix.apply import Change, FileFix
    from validator.model.site import PageSummary
    from validator.report.baseline import Written
    from validator.run import parallel
    from validator.run.cache import Cached, FindingsCache


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
    baseline: Path | None = None  # the baseline file the findings were narrowed with, if any
    stale: int = 0  # that baseline's entries (counted) for the files checked that match no finding
    # With Options.shard: the summaries of its pages for the rules that compare pages, which
    # `monolint merge` runs (a shard cannot see the other shards' pages); else empty.
    site_pages: tuple[PageSummary, ...] = ()


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
    # Report only the findings this baseline file does not record. None: the one the
    # configuration names (``baseline``), unless ``configured_baseline`` is off.
    baseline: Path | None = None
    configured_baseline: bool = True
    diff_base: str | None = None  # report only findings on lines changed since this git revision
    # Check only the pages of this part of the run (see validator.run.shard); the others are
    # not read, counted or listed in Report.checked, so a baseline calls none of theirs stale.
    shard: Shard | None = None

    def __post_init__(self) -> None:
        if self.fixing and (self.baseline is not None or self.diff_base is not None):
            raise ValueError("a baseline or diff_base cannot be combined with fix or diff")

    @property
    def fixing(self) -> bool:
        return self.fix or self.diff

    def baseline_for(self, config: Config) -> Path | None:
        """The baseline file a run narrows its findings with: the one given, else the
        configuration's (never when fixing: a fix run reports what remains)."""
        if self.baseline is not None:
            return self.baseline
        return config.baseline if self.configured_baseline and not self.fixing else None

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
    options = options or Options()
    found = discover([str(path) for path in paths], cwd, _excludes(resolver), options.force_exclude)
    shard = options.shard
    if shard is None:
        return found
    return (candidate for candidate in found if shard.holds(_relative(candidate, resolver.for_file(candidate.path))))


def _relative(candidate: Candidate, config: Config) -> str:
    """The page's path from its project root (its configuration's folder), as per-path
    settings and shards see it; its display path when it lies outside that folder."""
    return relative_to(candidate.path, config.root) or candidate.display


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
    read, or vanishes once found, is a finding (Problem.UNREADABLE) and the run goes on. Findings come in
    the order files are discovered, whatever ``options.jobs``."""
    from validator.run import parallel

    cwd = (cwd or Path.cwd()).resolve()
    _refuse_missing(paths, cwd)
    resolver = resolver_for(config, cwd)
    options = options or Options()
    baseline = options.baseline_for(resolver.fallback)
    list_checked = options.list_checked or baseline is not None
    layer = options.layer()
    shard = options.shard
    candidates = discover([str(path) for path in paths], cwd, _excludes(resolver), options.force_exclude)
    from validator.run.cache import Cached, FindingsCache

    cache = FindingsCache.for_run(options.cache_dir, options.fixing)
    models = _Models(options.schema, cwd, cache)
    off_path = Cached([], skipped=True)
    found = _Found()
    # In discovery order, the files after the oldest still being checked: their cached
    # findings (or that they are out of scope), or None while a worker checks them. Only a
    # window of files is ever held.
    slots: deque[Cached | None] = deque()

    def tasks() -> Iterator[parallel.Task]:
        for candidate in candidates:
            config = resolver.for_file(candidate.path)
            relative = _relative(candidate, config)
            if shard is not None and not shard.holds(relative):
                continue  # another shard's page: not read, not counted
            found.files += 1
            if list_checked:
                found.checked.append(candidate.display)
            settings = config.settings_for(relative, layer)
            model = models.ref(config)
            # The paths a model applies to are known without reading a page (or loading the
            # model, which a run whose pages are all cached never does); layouts are the workers'.
            if not path_applies(relative, models.criteria(model)):
                cached: Cached | None = off_path
                found.off_path += 1
            else:
                cached = (
                    cache.lookup_page(candidate.path, candidate.display, settings, model.identity) if cache else None
                )
            if cached is not None and not slots:
                found.add(cached)  # every file before it is reported already
                continue
            slots.append(cached)
            if cached is None:
                yield parallel.Task(str(candidate.path), candidate.display, settings.data, model)

    job = parallel.Job(
        fix=options.fixing, unsafe=options.unsafe_fixes, write=not options.diff, cache_keys=cache is not None
    )
    outcomes = parallel.run(tasks(), job, options.jobs or parallel.default_jobs())
    if options.fixing:
        return _fixed(list(outcomes), found, shard is not None)
    _gather(outcomes, slots, found, cache, off_path)
    if found.off_path == found.files:
        resolve_model(resolver.fallback, options)  # a bad --schema is an error even with no pages
    if cache is not None:
        cache.save()
    findings, deferred = _site_pass(found, shard is not None)
    report = Report(
        tuple(findings),
        found.files - found.skipped,
        checked=tuple(found.checked),
        skipped=found.skipped,
        site_pages=deferred,
    )
    return _narrowed(report, options, baseline, cwd)


def _site_pass(found: _Found, sharded: bool) -> tuple[list[Finding], tuple[PageSummary, ...]]:
    """The run's findings with those of the rules that compare pages among them; a shard's
    run leaves them to `monolint merge`, and gives its pages' summaries for it instead."""
    if not found.summaries:
        return found.findings, ()
    if sharded:
        return found.findings, tuple(found.summaries)
    return _with_site_findings(found.findings, found.summaries, found.slices), ()


def _fixed(fixes: list[FileFix], found: _Found, sharded: bool) -> Report:
    """A fix run's report: what the fixes left, with the findings of the rules that compare
    pages among them (of the pages as fixed; such rules have no fixes). A shard's fix run
    reports what its own pages left: `monolint merge` takes check runs."""
    skipped = found.off_path + sum(outcome.skipped for outcome in fixes)
    report = _fix_report(fixes, found.files - skipped)
    if not sharded:
        left = _Found()  # what the fixes left, page by page, as a check run gathers it
        for outcome in fixes:
            left.add(outcome)
        report = replace(report, findings=tuple(_with_site_findings(left.findings, left.summaries, left.slices)))
    return replace(report, checked=tuple(found.checked), skipped=skipped)


def _with_site_findings(
    findings: list[Finding], summaries: Sequence[PageSummary], slices: Sequence[tuple[int, int]]
) -> list[Finding]:
    """``findings`` with those of the rules that compare pages put among each page's own;
    ``slices[i]`` is where the findings of the page of ``summaries[i]`` are."""
    if not summaries:
        return findings
    from validator.check.site import insert, site_findings

    return insert(findings, slices, site_findings(summaries))


def _gather(
    outcomes: Iterable[parallel.Checked],
    slots: deque[Cached | None],
    found: _Found,
    cache: FindingsCache | None,
    off_path: Cached,
) -> None:
    """Add the findings in discovery order: each checked file's after the cached ones before
    it; store what the workers checked in the cache."""
    for outcome in outcomes:
        while (cached := slots.popleft()) is not None:
            found.add(cached)
        if cache is not None:
            cache.store(outcome.key, outcome.findings, outcome.skipped, outcome.summary)
        found.add(outcome)
    for cached in slots:  # the files after the last one checked were all cached
        found.add(cached or off_path)


class _Models:
    """The content model each configuration uses in a run, as workers receive it: one
    ModelRef per model file, its part of the cache key worked out once (only when caching)."""

    def __init__(self, schema: Path | None, cwd: Path, cache: FindingsCache | None) -> None:
        self.schema = None if schema is None else cwd / schema  # --schema beats every configuration
        self.cache = cache
        self.by_config: dict[Config, parallel.ModelRef] = {}
        self.by_file: dict[str | None, parallel.ModelRef] = {}
        self.scopes: dict[str | None, AppliesTo | None] = {}

    def ref(self, config: Config) -> parallel.ModelRef:
        ref = self.by_config.get(config)
        if ref is None:
            from validator.run.parallel import ModelRef

            schema = self.schema or config.schema
            file = None if schema is None else str(Path(schema).resolve())
            ref = self.by_file.get(file)
            if ref is None:
                identity = self.cache.model_key(file) if self.cache is not None else ""
                ref = self.by_file[file] = ModelRef(file, identity)
            self.by_config[config] = ref
        return ref

    def criteria(self, ref: parallel.ModelRef) -> AppliesTo | None:
        """The model's ``applies_to``, read once per model file."""
        if ref.schema not in self.scopes:
            self.scopes[ref.schema] = scope_of(ref.schema)
        return self.scopes[ref.schema]


@dataclass
class _Found:
    """What a run found so far: the files found (their paths when asked), findings in order,
    and the files skipped as out of scope."""

    files: int = 0
    checked: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    skipped: int = 0
    off_path: int = 0  # of those, the ones whose path the content model does not apply to
    # The pages that take part in the rules that compare pages: their summaries, and where
    # each one's findings are in ``findings`` (start, end).
    summaries: list[PageSummary] = field(default_factory=list)
    slices: list[tuple[int, int]] = field(default_factory=list)

    def add(self, outcome: Cached | parallel.Checked | FileFix) -> None:
        start = len(self.findings)
        self.findings.extend(outcome.findings)
        self.skipped += outcome.skipped
        if outcome.summary is not None:
            self.summaries.append(outcome.summary)
            self.slices.append((start, len(self.findings)))


def lint_text(
    text: str | bytes,
    path: str | None = None,
    config: Config | Resolver | None = None,
    options: Options | None = None,
    cwd: Path | None = None,
) -> list[Finding]:
    """Check one page given as text or bytes; ``path`` names it in findings, and chooses the
    configuration (the nearest to it, unless ``config`` is a Config) and its per-path overrides.
    A page out of the content model's scope has no findings."""
    return list(lint_text_report(text, path, config, options, cwd).findings)


def lint_text_report(
    text: str | bytes,
    path: str | None = None,
    config: Config | Resolver | None = None,
    options: Options | None = None,
    cwd: Path | None = None,
) -> Report:
    """``lint_text`` as the Report of one file: checked, or out of scope (``skipped``)."""
    options = options or Options()
    target = _text_target(path, config, options, cwd)
    findings = None
    if path_applies(target.relative, target.model.applies_to):
        findings = check_in_scope(_bytes(text), target.display, target.settings, target.model)
    if findings is None:
        return Report((), 0, checked=(target.display,), skipped=1)
    report = Report(tuple(findings), 1, checked=(target.display,))
    return _narrowed(report, options, options.baseline_for(target.config), target.cwd)


def _narrowed(report: Report, options: Options, baseline: Path | None, cwd: Path) -> Report:
    """The report with only the findings on lines changed since ``options.diff_base``, then
    only those ``baseline`` does not record. Raises GitError or BaselineError (one line each)."""
    findings = list(report.findings)
    if options.diff_base is not None:
        from validator.report.changed_lines import only_changed

        findings = only_changed(findings, options.diff_base, cwd)
    stale = 0
    if baseline is not None:
        from validator.report.baseline import apply

        outcome = apply(cwd / baseline, findings, report.checked, cwd)
        findings, stale = outcome.findings, outcome.stale
    if options.diff_base is None and baseline is None:
        return report
    return replace(report, findings=tuple(findings), baseline=baseline, stale=stale)


def write_baseline(file: Path, report: Report, cwd: Path | None = None) -> Written:
    """Record ``report``'s findings in ``file`` for a later ``Options.baseline`` (atomically):
    the entries of the files it checked are replaced, those of other files kept. ``cwd`` is
    the folder the report's paths are relative to (the ``cwd`` the run was given). Raises
    BaselineError (one line) when the file cannot be read or written."""
    from validator.report.baseline import write

    return write(file, report.findings, report.checked, (cwd or Path.cwd()).resolve())


def fix_text(
    text: str | bytes,
    path: str | None = None,
    config: Config | Resolver | None = None,
    options: Options | None = None,
    cwd: Path | None = None,
) -> Report:
    """Fix one page given as text or bytes, checked as ``lint_text`` checks it; writes
    nothing. ``Report.output`` holds the page's bytes after fixing (the bytes given, when no
    fix applies or the page is out of scope), ``Report.changes`` the change,
    ``Report.findings`` what remains. The unsafe fixes apply when ``options.unsafe_fixes``."""
    from validator.fix.apply import FileFix, fix_bytes

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
    config: Config  # the configuration chosen for the page
    cwd: Path  # the folder the display path is relative to


def _text_target(path: str | None, config: Config | Resolver | None, options: Options, cwd: Path | None) -> _Target:
    cwd = (cwd or Path.cwd()).resolve()
    absolute = Path(os.path.normpath(cwd / path)) if path else None
    chosen = resolver_for(config, cwd).config_for(cwd if absolute is None else absolute.parent)
    display = display_path(absolute, cwd) if absolute is not None else STDIN_PATH
    relative = (relative_to(absolute, chosen.root) or display) if absolute is not None else None
    settings = chosen.settings_for(relative or display, options.layer())
    return _Target(display, relative, settings, resolve_model(chosen, options), chosen, cwd)


def _fix_report(outcomes: Sequence[FileFix], files: int, output: bytes | None = None) -> Report:
    return Report(
        findings=tuple(finding for outcome in outcomes for finding in outcome.findings),
        files=files,
        fixed=sum(outcome.fixed for outcome in outcomes),
        changes=tuple(outcome.change for outcome in outcomes if outcome.change is not None),
        failures=tuple(outcome.failure for outcome in outcomes if outcome.failure is not None),
        output=output,
    )
