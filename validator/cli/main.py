"""The monolint command: options -> configuration -> engine -> format -> exit code."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

import click

from validator import __version__
from validator.report import FORMATS
from validator.run import CACHE_DIR_NAME

if TYPE_CHECKING:
    from validator.api import Options, Report
    from validator.config.files import Config
    from validator.config.resolver import Resolver
    from validator.model.finding import Finding
    from validator.report.formats import Context, Summary
    from validator.run.shard import Shard

F = TypeVar("F", bound=Callable[..., Any])
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _DefaultToCheck(click.Group):
    """`monolint PATHS...` is short for `monolint check PATHS...`; a first word that is no path
    but close to a command's name (`monolint chek content`) is a typo, not a page."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version", "-V"):
            _no_command_typo(args[0], list(self.commands))
            args = ["check", *args]
        return super().parse_args(ctx, args)


def _no_command_typo(word: str, commands: list[str]) -> None:
    """Raise a usage error when ``word`` reads as a misspelt command rather than a path."""
    if word.startswith("-") or os.path.lexists(word) or any(mark in word for mark in "/\\."):
        return
    import difflib

    close = difflib.get_close_matches(word, commands, n=1, cutoff=0.75)
    if close:
        raise click.UsageError(f"no command or path '{word}'; did you mean '{close[0]}'?")


def _split(values: tuple[str, ...]) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def _selectors(values: tuple[str, ...], key: str) -> list[str]:
    """The comma-separated, repeatable rule selectors of one option, checked now so that a
    typo is a usage error naming the option rather than a failure deep in the run."""
    from validator.config.selection import SelectorError, resolve_all

    selectors = _split(values)
    try:
        resolve_all(selectors)
    except SelectorError as error:
        raise click.UsageError(f"--{key.replace('_', '-')}: {error}") from None
    return selectors


def _shared_fields(opts: dict[str, Any], config: Config) -> dict[str, Any]:
    """The API Options that the shared selection and run options set (check, report); the
    cache folder defaults to the project root's."""
    selectors = {key: _selectors(opts[key], key) for key in ("select", "extend_select", "ignore")}
    return {
        "select": selectors["select"] or None,
        "extend_select": selectors["extend_select"],
        "ignore": selectors["ignore"],
        "schema": opts["schema"],
        "force_exclude": opts["force_exclude"],
        "jobs": opts["jobs"],
        "cache_dir": None if opts["no_cache"] else (opts["cache_dir"] or config.root / CACHE_DIR_NAME),
    }


def _options(*decorators: Callable[[F], F]) -> Callable[[F], F]:
    """Options that several commands share, applied in the order given."""

    def apply(function: F) -> F:
        for decorator in reversed(decorators):
            function = decorator(function)
        return function

    return apply


# Which rules, against which model and configuration: check and report.
_selection_options = _options(
    click.option(
        "--select", multiple=True, help="Only these rules (ids, prefixes, names, categories; comma-separated)."
    ),
    click.option("--extend-select", multiple=True, help="Add rules to the selection."),
    click.option("--ignore", multiple=True, help="Leave these rules out."),
    click.option("--schema", type=click.Path(path_type=Path), help="Content model to check against."),
    click.option("--config", "config_path", type=click.Path(path_type=Path), help="Configuration file to use."),
    click.option("--isolated", is_flag=True, help="Ignore all configuration files."),
)
# How a run over many files goes: check and report.
_run_options = _options(
    click.option(
        "-j",
        "--jobs",
        type=click.IntRange(min=1),
        help="Worker processes for large runs (default: one per CPU; a few files always run in one).",
    ),
    click.option("--no-cache", is_flag=True, help="Neither read nor write the findings cache."),
    click.option(
        "--cache-dir",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="MONOLINT_CACHE_DIR",
        help=f"Where to cache findings [default: {CACHE_DIR_NAME} in the project root].",
    ),
)
# What a report of findings prints, where, and how it exits: check and merge.
_summary_options = _options(
    click.option(
        "--format",
        "output_format",
        type=click.Choice(FORMATS),
        default="text",
        show_default=True,
        help="Report format: text for people; github, sarif, junit, gitlab and json for CI.",
    ),
    click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to FILE."),
    click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are error findings."),
    click.option("-q", "--quiet", is_flag=True, help="Print findings only, no summary."),
    click.option("--statistics", is_flag=True, help="Count findings per rule instead of listing them."),
)


@click.group(cls=_DefaultToCheck, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="monolint")
def cli() -> None:
    """Lint drug monograph pages (Markdown with YAML front matter) against a content model.

    `monolint PATHS...` is short for `monolint check PATHS...`.
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@_selection_options
@click.option("--stdin-filename", help="Read the page from standard input and report it under this name.")
@click.option("--force-exclude", is_flag=True, help="Apply excludes to files named on the command line too.")
@_summary_options
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True)
@click.option("--fix", is_flag=True, help="Apply the safe fixes of the findings reported; report what remains.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, apply the unsafe fixes too.")
@click.option("--diff", is_flag=True, help="Print a diff of what --fix would change and write nothing.")
@_run_options
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Report only findings this baseline file does not record.",
)
@click.option("--no-baseline", is_flag=True, help="Ignore the baseline file the configuration names.")
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Record the findings in this file (for --baseline) and exit 0. An existing file keeps "
    "its entries for pages not checked in this run.",
)
@click.option("--diff-base", metavar="REF", help="Report only findings on lines changed since the git revision REF.")
@click.option(
    "--shard",
    metavar="K/N",
    callback=lambda _ctx, _param, value: _shard(value),
    help="Check only part K of N (1-based) of the pages: N runs check disjoint parts that together make "
    "the whole run (merge their JSON reports with 'monolint merge').",
)
@click.option(
    "--show-settings", is_flag=True, help="Print the configuration the one page given is checked with; lint nothing."
)
@click.option("--show-files", is_flag=True, help="List the files that would be checked; lint nothing.")
def check(paths: tuple[str, ...], **opts: Any) -> int:
    """Check PATHS (files and folders; '-' reads standard input). Exit 1 on error findings."""
    from validator.api import Options
    from validator.config.resolver import Resolver
    from validator.report.formats import Style, chunk_renderer, summarize

    cwd = Path.cwd()
    # Each file's configuration is the nearest to it; the one found from here is the fallback.
    resolver = Resolver.for_run(cwd, opts["config_path"], opts["isolated"])
    config = resolver.fallback
    shared = _shared_fields(opts, config)
    narrowing = [flag for flag in ("baseline_file", "write_baseline", "diff_base") if opts[flag]]
    if narrowing and (opts["fix"] or opts["diff"]):
        flag = "--" + narrowing[0].removesuffix("_file").replace("_", "-")
        raise click.UsageError(f"{flag} cannot be combined with --fix or --diff")
    # --write-baseline records every finding: no baseline or --diff-base narrows them first.
    writing = opts["write_baseline"] is not None
    options = Options(
        **shared,
        fix=opts["fix"],
        unsafe_fixes=opts["unsafe_fixes"],
        diff=opts["diff"],
        list_checked=writing,
        baseline=None if writing else opts["baseline_file"],
        configured_baseline=not (writing or opts["no_baseline"]),
        diff_base=None if writing else opts["diff_base"],
        shard=opts["shard"],
    )
    stdin_name = opts["stdin_filename"]
    if (stdin_name is not None or "-" in paths) and paths not in ((), ("-",)):
        raise click.UsageError("standard input ('-' or --stdin-filename) cannot be combined with other paths")
    if options.shard is not None and (stdin_name is not None or paths == ("-",) or opts["show_settings"]):
        raise click.UsageError(
            "--shard splits the pages found in paths; it cannot be used with standard input or --show-settings"
        )
    if opts["show_settings"] or opts["show_files"]:
        return _show(paths, resolver, options, opts, cwd)
    if not paths and stdin_name is None:
        raise click.UsageError("no paths given; try 'monolint check .'")
    report = _run(paths, stdin_name, resolver, options, cwd)
    if options.diff:
        return _print_diff(report, opts)
    # Fixing standard input prints the fixed page, so the report goes to standard error.
    stream = sys.stdout
    if options.fix and report.output is not None:
        _write_bytes(report.output, sys.stdout)
        stream = sys.stderr
    color = opts["color"] == "always" or (
        opts["color"] == "auto" and opts["output"] is None and stream.isatty() and "NO_COLOR" not in os.environ
    )
    style = Style(color=color, quiet=opts["quiet"], statistics=opts["statistics"])
    if writing:
        return _write_baseline(opts["write_baseline"], report, cwd, opts["quiet"])
    if report.stale and not opts["quiet"]:
        click.echo(
            f"monolint: {report.stale:,} baseline entries match no finding any more; "
            f"run with --write-baseline {report.baseline} to drop them",
            err=True,
        )
    findings = list(report.findings)
    shard = None if options.shard is None else (options.shard.index, options.shard.count)
    summary = summarize(
        findings,
        report.files,
        fixed=report.fixed if options.fix else None,
        skipped=report.skipped,
        shard=shard,
        site_pages=report.site_pages,
    )
    if report.site_pages and not opts["quiet"]:
        where = "its JSON report carries" if opts["output_format"] == "json" else "only a JSON report carries"
        click.echo(
            f"monolint: shard {options.shard}: the rules that compare pages (category site) run at "
            f"'monolint merge' of all shards' reports; {where} this shard's pages for them",
            err=True,
        )
    context = _context(opts["output_format"], cwd)
    _write(chunk_renderer(opts["output_format"])(findings, summary, style, context), opts["output"], stream)
    if opts["output_format"] == "github":
        _append_job_summary(findings, summary, context)
    failed = any(finding.severity.value == "error" for finding in findings)
    return EXIT_FINDINGS if failed and not opts["exit_zero"] else EXIT_OK


def _shard(value: str | None) -> Shard | None:
    """--shard K/N, checked now: a bad value is a usage error naming the option."""
    if value is None:
        return None
    from validator.run.shard import Shard, ShardError

    try:
        return Shard.parse(value)
    except ShardError as error:
        raise click.UsageError(f"--shard: {error}") from None


def _show(paths: tuple[str, ...], resolver: Resolver, options: Options, opts: dict[str, Any], cwd: Path) -> int:
    """--show-settings (for one page) or --show-files (every file a run would check)."""
    if opts["show_settings"] and opts["show_files"]:
        raise click.UsageError("--show-settings and --show-files cannot be combined")
    if opts["show_files"]:
        if opts["stdin_filename"] is not None or paths in ((), ("-",)):
            raise click.UsageError("--show-files needs paths, not standard input; try 'monolint check --show-files .'")
        from validator.api import discover_files

        _write(
            (candidate.display + "\n" for candidate in discover_files(paths, resolver, options, cwd)), opts["output"]
        )
        return EXIT_OK
    from validator.cli.show_settings import page_settings, render_json, render_text

    page = opts["stdin_filename"] if paths in ((), ("-",)) else paths[0] if len(paths) == 1 else None
    if page is None or page == "-":
        raise click.UsageError("--show-settings needs exactly one page (or --stdin-filename NAME)")
    if Path(cwd, page).is_dir():
        raise click.UsageError(f"--show-settings needs a page, not a folder: {page}")
    if opts["output_format"] not in ("text", "json"):
        raise click.UsageError("--show-settings prints text or json")
    data = page_settings(page, resolver, options, cwd)
    _write(render_json(data) if opts["output_format"] == "json" else render_text(data), opts["output"])
    return EXIT_OK


def _run(paths: tuple[str, ...], stdin_name: str | None, resolver: Resolver, options: Options, cwd: Path) -> Report:
    """Lint (or fix) the paths, or standard input; a baseline or git problem is a usage error."""
    from validator.api import fix_text, lint_paths, lint_text_report
    from validator.report.baseline import BaselineError
    from validator.report.changed_lines import GitError

    try:
        if stdin_name is not None or paths == ("-",):
            data = sys.stdin.buffer.read()
            if options.fixing:
                return fix_text(data, stdin_name, resolver, options, cwd)
            return lint_text_report(data, stdin_name, resolver, options, cwd)
        from validator.run.parallel import collect_less_often

        collect_less_often()
        return lint_paths(paths, resolver, options, cwd)
    except BaselineError as error:
        raise click.UsageError(str(error)) from None
    except GitError as error:
        raise click.UsageError(f"--diff-base: {error}") from None


def _write_baseline(file: Path, report: Report, cwd: Path, quiet: bool) -> int:
    from validator.api import write_baseline
    from validator.report.baseline import BaselineError

    try:
        written = write_baseline(file, report, cwd)
    except BaselineError as error:
        raise click.UsageError(str(error)) from None
    if not quiet:
        click.echo(
            f"Wrote {_plural(written.findings, 'finding')} for {_plural(len(report.checked), 'file')} checked "
            f"to {file}; kept {_plural(written.kept, 'entry', 'entries')} of files not checked.",
            err=True,
        )
    return EXIT_OK


def _plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else words or word + 's'}"


def _context(output_format: str, cwd: Path) -> Context:
    """What the format needs besides findings; only SARIF describes the rules."""
    from validator.report.formats import Context
    from validator.report.formats.context import repository_root

    environ = dict(os.environ)
    context = Context(version=__version__, cwd=cwd, root=repository_root(cwd, environ), environ=environ)
    if output_format != "sarif":
        return context
    from validator.docs.rules_doc import rule_catalogue

    return Context(
        rules=rule_catalogue(), version=__version__, cwd=cwd, root=repository_root(cwd, environ), environ=environ
    )


def _append_job_summary(findings: list[Finding], summary: Summary, context: Context) -> None:
    """On GitHub Actions, add a Markdown job summary next to the annotations."""
    from validator.report.formats.github import job_summary

    target = context.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    try:
        with Path(target).open("a", encoding="utf-8") as handle:
            handle.write(job_summary(findings, summary, context))
    except OSError as error:
        raise click.UsageError(f"cannot write the job summary to {target}: {error.strerror or error}") from None


def _print_diff(report: Report, opts: dict[str, Any]) -> int:
    """--diff: the diff on standard output; why pages could not be fixed, and the count, on
    standard error. Exit 1 when there is something to fix (like ruff)."""
    from validator.report.formats import Style, renderer, summarize
    from validator.report.formats.text import would_fix

    _write("".join(change.diff() for change in report.changes), opts["output"])
    failures = list(report.failures)
    quiet = Style(quiet=True)
    notes = renderer("text")(failures, summarize(failures, report.files), quiet, _context("text", Path.cwd()))
    if not opts["quiet"]:
        notes += would_fix(report.fixed, len(report.changes)) + "\n"
    _write(notes, None, sys.stderr)
    return EXIT_FINDINGS if (report.changes or failures) and not opts["exit_zero"] else EXIT_OK


@cli.command("merge")
@click.argument("reports", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@_summary_options
def merge_command(reports: tuple[Path, ...], **opts: Any) -> int:
    """Merge the JSON reports of the shards of one run (monolint check --shard K/N --format json)
    into one report. Run it from the folder the shards ran in (paths are relative to it).
    Exit 1 on error findings."""
    from validator.report.formats import Style, chunk_renderer
    from validator.report.merge import merge

    merged = merge(list(reports))
    style = Style(quiet=opts["quiet"], statistics=opts["statistics"])
    context = _context(opts["output_format"], Path.cwd())
    _write(chunk_renderer(opts["output_format"])(merged.findings, merged.summary, style, context), opts["output"])
    if opts["output_format"] == "github":
        _append_job_summary(merged.findings, merged.summary, context)
    failed = merged.summary.errors > 0
    return EXIT_FINDINGS if failed and not opts["exit_zero"] else EXIT_OK


@cli.command("report")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The HTML file.")
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Show what this baseline still holds and what is paid down.",
)
@click.option(
    "--compare",
    "compare_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A previous --format json report: show new and fixed findings.",
)
@_selection_options
@click.option("--force-exclude", is_flag=True, help="Apply excludes to files named on the command line too.")
@_run_options
def report_command(paths: tuple[str, ...], **opts: Any) -> int:
    """Write a health report of PATHS to one self-contained HTML file (from one lint run)."""
    from validator.api import Options
    from validator.cli.health_report import build, generated_line, link_prefix, write_atomically
    from validator.config.resolver import Resolver
    from validator.report.health.html import HealthOptions, render

    if "-" in paths:
        raise click.UsageError("monolint report reads files and folders, not standard input")
    cwd = Path.cwd()
    resolver = Resolver.for_run(cwd, opts["config_path"], opts["isolated"])
    config = resolver.fallback
    options = Options(
        **_shared_fields(opts, config),
        list_checked=opts["baseline_file"] is not None,
        configured_baseline=False,
    )
    output: Path = opts["output"]
    health = build(paths, resolver, options, cwd, opts["baseline_file"], opts["compare_file"])
    page = render(health, HealthOptions(link_prefix=link_prefix(output, cwd), generated=generated_line(paths)))
    write_atomically(output, page)
    summary = health.summary
    click.echo(
        f"Wrote {output}: {_plural(summary.files, 'page')} checked, {_plural(summary.findings, 'finding')}",
        err=True,
    )
    return EXIT_OK


@cli.command("rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "markdown"]), default="text")
def rules_command(output_format: str) -> int:
    """List every rule."""
    from validator.docs import rules_doc as ruledocs

    render = {"text": ruledocs.rules_text, "json": ruledocs.rules_json, "markdown": ruledocs.rules_markdown}
    click.echo(render[output_format](), nl=False)
    return EXIT_OK


@cli.command("explain")
@click.argument("rule")
def explain_command(rule: str) -> int:
    """Explain RULE, given by its id or its name in any case (see 'monolint rules')."""
    from validator.docs.rules_doc import explain
    from validator.rules.registry import lookup

    found = lookup(rule)
    if found is None:
        raise click.UsageError(f"unknown rule '{rule}' (see 'monolint rules')")
    click.echo(explain(found), nl=False)
    return EXIT_OK


@cli.command("version")
def version_command() -> int:
    """Print monolint's version (the same as --version)."""
    click.echo(f"monolint, version {__version__}")
    return EXIT_OK


@cli.command("lsp")
def lsp_command() -> int:
    """Run the language server over standard input and output (for editors)."""
    from validator.lsp.server import serve

    serve()
    return EXIT_OK


def _write(text: str | Iterable[str], path: Path | None, stream: TextIO | None = None) -> None:
    """Write the report, or its pieces as they come (a report can be hundreds of megabytes)."""
    pieces = (text,) if isinstance(text, str) else text
    if path is None:
        stream = stream or sys.stdout
        buffer = getattr(stream, "buffer", None)
        if buffer is None:
            for piece in pieces:
                stream.write(piece)
        else:
            stream.flush()
            encoding, errors = stream.encoding or "utf-8", stream.errors or "strict"
            for piece in pieces:
                buffer.write(_encode(piece, encoding, errors))
            buffer.flush()
        return
    try:
        with path.open("wb") as file:
            for piece in pieces:
                file.write(_encode(piece, "utf-8", "strict"))
    except OSError as error:
        raise click.UsageError(f"cannot write {path}: {error.strerror or error}") from None


def _write_bytes(data: bytes, stream: TextIO) -> None:
    """A page, byte for byte (its BOM and line endings too)."""
    buffer = getattr(stream, "buffer", None)
    stream.flush()
    if buffer is None:
        stream.write(data.decode("utf-8", errors="replace"))
    else:
        buffer.write(data)
        buffer.flush()


def _encode(text: str, encoding: str, errors: str) -> bytes:
    """The report as bytes. What the output cannot hold (a file name that is not UTF-8, a
    character a legacy console code page lacks) is escaped instead of losing the report."""
    try:
        return text.encode(encoding, errors)
    except UnicodeEncodeError:
        return text.encode(encoding, "backslashreplace")


def main(argv: list[str] | None = None, prog_name: str = "monolint") -> None:
    """Entry point: every outcome is an exit code; no traceback reaches the user."""
    from validator.model.errors import SettingsError  # not the stages that raise it: --version stays light

    try:
        code = cli.main(args=argv, prog_name=prog_name, standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as error:
        click.echo(error.ctx.get_help() if error.ctx else "", err=True)
        code = EXIT_USAGE
    except click.UsageError as error:
        click.echo(f"monolint: error: {error.format_message()}", err=True)
        code = EXIT_USAGE
    except SettingsError as error:  # a configuration, a content model, a missing path
        click.echo(f"monolint: error: {error}", err=True)
        code = EXIT_USAGE
    except click.exceptions.Abort:
        code = 130
    except click.ClickException as error:
        click.echo(f"monolint: error: {error.format_message()}", err=True)
        code = error.exit_code
    except BrokenPipeError:
        # The reader went away (`monolint ... | head`); exit quietly like other CLI tools.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = EXIT_FINDINGS
    except KeyboardInterrupt:
        code = 130
    except Exception as error:  # last resort: one line, not a traceback
        click.echo(f"monolint: internal error: {type(error).__name__}: {error}", err=True)
        code = EXIT_USAGE
    sys.exit(code if isinstance(code, int) else EXIT_OK)
