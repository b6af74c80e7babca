"""Run the enabled rules on a page and turn their hits into findings.

The engine is the only place that creates Finding values: it adds the path, converts
offsets to positions, applies severities and suppression comments, and sorts. Nothing
here raises for a bad file: read, decode and parse failures are findings too.
"""

from __future__ import annotations

import gc
import os
import signal
import stat
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from validator.check.suppress import suppressions
from validator.config.selection import RuleSettings
from validator.content_model.load import ContentModel
from validator.content_model.scope import front_matter_applies
from validator.facts.page_facts import PageFacts
from validator.model.finding import Finding, Position, Severity
from validator.model.front_matter import SplitResult
from validator.model.page import Page
from validator.model.problems import Problem
from validator.parse.front_matter import split_front_matter
from validator.parse.markdown import parse_page
from validator.parse.source import DecodeProblem, Source, decode
from validator.rules.base import BODY_CATEGORIES, Hit, Rule
from validator.rules.problems import RULE_FOR

if TYPE_CHECKING:
    from validator.model.site import PageSummary

# Files larger than this are reported, not parsed: no monograph is anywhere near it, and
# it bounds the memory and time one hostile file can take.
MAX_FILE_BYTES = 32 * 1024 * 1024

# What one page can exhaust without monolint being at fault; each is the page's finding.
RESOURCE_ERRORS = (MemoryError, RecursionError)
RESOURCE_LIMITS: dict[type[BaseException], str] = {
    MemoryError: "the memory limit (MemoryError)",
    RecursionError: "the recursion limit: it nests too deeply (RecursionError)",
}
# The kinds of problem that say a page could not be checked at all: fixing it must stop there.
FAILURE_KINDS = frozenset({Problem.INTERNAL_ERROR, Problem.RESOURCE_LIMIT, Problem.WORKER_DIED})
_FAILURE_RULE_IDS = frozenset(RULE_FOR[kind].id for kind in FAILURE_KINDS)


def check_file(path: Path, display: str, settings: RuleSettings, model: ContentModel) -> list[Finding]:
    """Read, parse and check one file; every failure becomes a finding for that file."""
    raw = read_file(path, display, settings)
    return raw if isinstance(raw, list) else check_bytes(raw, display, settings, model)


def read_file(path: Path | str, display: str, settings: RuleSettings) -> bytes | list[Finding]:
    """A file's bytes, or the finding that says why it cannot be read."""
    try:
        status = os.stat(path)  # noqa: PTH116 - see _read_bytes
        if not stat.S_ISREG(status.st_mode):
            # Reading a FIFO or a device (/dev/zero) could block or never end.
            kind = "is a directory, not a page" if stat.S_ISDIR(status.st_mode) else "is not a regular file"
            return file_finding(display, Problem.UNREADABLE, kind, settings)
        size = status.st_size
        if size > MAX_FILE_BYTES:
            message = f"file is {size:,} bytes; monolint reads pages up to {MAX_FILE_BYTES:,} bytes"
            return file_finding(display, Problem.UNREADABLE, message, settings)
        return _read_bytes(path, size)
    except OSError as error:
        return file_finding(display, Problem.UNREADABLE, _os_message(error), settings)


def _read_bytes(path: Path | str, size: int) -> bytes:
    """The whole file, read with plain system calls: a run reads thousands of small files,
    and ``Path.read_bytes`` costs twice as much per file. ``size`` is what stat() said."""
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        parts = [os.read(handle, size + 1)]  # stat() may say 0 (/proc): read on to the end
        while parts[-1]:  # until the end, wherever it is now
            parts.append(os.read(handle, max(size, 1 << 16)))
        return b"".join(parts)
    finally:
        os.close(handle)


def check_bytes(raw: bytes, display: str, settings: RuleSettings, model: ContentModel) -> list[Finding]:
    """Check a page given as bytes (a file's content or standard input)."""
    decoded = _decode(raw, display, settings)
    return decoded if isinstance(decoded, list) else check_text(decoded.text, display, settings, model)


def check_in_scope(
    raw: bytes,
    display: str,
    settings: RuleSettings,
    model: ContentModel,
    summaries: list[PageSummary] | None = None,
) -> list[Finding] | None:
    """``check_bytes`` for a page that may be of another type: None when its front matter
    puts it out of the content model's scope (``scope.front_matter_applies``). A page that
    cannot be decoded is reported: we cannot tell what it is. ``summaries`` receives the
    page's summary for the rules that compare pages (see ``check_page``)."""
    decoded = _decode(raw, display, settings)
    if isinstance(decoded, list):
        return decoded
    if model.applies_to is None or not model.applies_to.layouts:
        return check_text(decoded.text, display, settings, model, summaries=summaries)
    split = _split(decoded.text)
    if split is not None and not front_matter_applies(split.front_matter, model.applies_to):
        return None
    return check_text(decoded.text, display, settings, model, split, summaries)  # split once, used twice


def bytes_in_scope(raw: bytes, model: ContentModel) -> bool:
    """Whether a page given as bytes is in the content model's scope, by its front matter;
    one that cannot be decoded or split is (its findings say why)."""
    if model.applies_to is None or not model.applies_to.layouts:
        return True
    decoded = decode(raw)
    split = _split(decoded.text) if isinstance(decoded, Source) else None
    return split is None or front_matter_applies(split.front_matter, model.applies_to)


def _split(text: str) -> SplitResult | None:
    """The front matter, or None when splitting it fails (check_text then reports why)."""
    try:
        return split_front_matter(text)
    except Exception:
        return None


def _decode(raw: bytes, display: str, settings: RuleSettings) -> Source | list[Finding]:
    """A page's text, or the finding that says why it has none."""
    limit: type[BaseException] | None = None
    try:
        decoded = decode(raw)
    except RESOURCE_ERRORS as error:
        limit = type(error)
    except Exception as error:  # a bug in monolint must not stop the run or show a traceback
        return internal_error_finding(display, error, settings)
    if limit is not None:  # out of the handler: the traceback's frames are freed
        return resource_finding(display, limit, settings)
    if isinstance(decoded, DecodeProblem):
        return file_finding(display, decoded.kind, decoded.message, settings, decoded.line, decoded.column)
    return decoded


def check_text(
    text: str,
    display: str,
    settings: RuleSettings,
    model: ContentModel,
    split: SplitResult | None = None,
    summaries: list[PageSummary] | None = None,
) -> list[Finding]:
    """Check decoded page text (``\\n`` newlines, no BOM); fixes re-check their result with
    this. ``split`` is its front matter, when the caller has split it already; ``summaries``
    receives the page's summary (see ``check_page``)."""
    try:
        return check_page(parse_page(display, text, split), settings, model, summaries)
    except RESOURCE_ERRORS as error:
        limit = type(error)
    except Exception as error:  # a bug in monolint must not stop the run or show a traceback
        return internal_error_finding(display, error, settings)
    # Out of the handler, the traceback and the frames it held (tokens, findings) are gone.
    return resource_finding(display, limit, settings)


def resource_finding(
    display: str, limit: type[BaseException], settings: RuleSettings, doing: str = "checking it"
) -> list[Finding]:
    """The finding for a page that hit a resource limit while monolint was ``doing`` something
    with it. Call it outside the ``except`` block, so that what the failed work held is freed:
    after a MemoryError, building even this finding needs memory."""
    gc.collect()  # the cycles among what the failed work built
    what = RESOURCE_LIMITS.get(limit, limit.__name__)
    message = f"the page could not be checked: it hit {what} while {doing}"
    return file_finding(display, Problem.RESOURCE_LIMIT, message, settings)


def worker_died_finding(display: str, exitcode: int | None, settings: RuleSettings) -> list[Finding]:
    """The finding for a page whose worker process died while checking or fixing it (killed
    by the out-of-memory killer or a CPU-time limit, a crash in a C extension)."""
    if exitcode is not None and exitcode < 0:
        try:
            how = f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            how = f"killed by signal {-exitcode}"
    else:
        how = f"exit code {exitcode}"
    message = f"the page could not be checked: the process checking it died ({how})"
    return file_finding(display, Problem.WORKER_DIED, message, settings)


def internal_error_finding(display: str, error: Exception, settings: RuleSettings) -> list[Finding]:
    """The finding for a page that monolint raised ``error`` on: a bug, reported for that page."""
    message = f"monolint failed on this file ({type(error).__name__}: {error}); please report it"
    return file_finding(display, Problem.INTERNAL_ERROR, message, settings)


def is_failure(finding: Finding) -> bool:
    """Whether ``finding`` says its page could not be checked at all: its rule is one that
    reports a kind of ``FAILURE_KINDS`` (a finding keeps its rule, not its kind)."""
    return finding.rule in _FAILURE_RULE_IDS


def check_page(
    page: Page, settings: RuleSettings, model: ContentModel, summaries: list[PageSummary] | None = None
) -> list[Finding]:
    """The page's findings. With ``summaries``, a run that compares pages: the page's summary
    for the rules that do is appended to it when its settings enable one of them."""
    findings: list[Finding] = []
    has_body = page.has_body
    # What the rules share about the page, each worked out when a rule first asks; it goes
    # with this call, so nothing of the page outlives its check.
    facts = PageFacts(page, model)
    for rule, check, options, severity in settings.checks:
        if has_body or rule.category not in BODY_CATEGORIES:
            for hit in check(facts, options):
                findings.append(_finding(page, rule, hit, severity))
    suppressed = suppressions(page)
    if summaries is not None and settings.site:
        from validator.check.summary import page_summary  # only runs that compare pages need it

        summaries.append(page_summary(facts, settings, suppressed))
    bad = RULE_FOR[Problem.BAD_SUPPRESSION]
    if settings.is_enabled(bad.id):
        findings.extend(
            _finding(page, bad, Hit(problem.start, problem.end, problem.message), settings.severity(bad))
            for problem in suppressed.problems
        )
    if suppressed.ranges:
        findings = [f for f in findings if f.rule == bad.id or not suppressed.covers(f.rule, f.start.line)]
    return sort_findings(findings)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda finding: finding.sort_key)


def _finding(page: Page, rule: Rule, hit: Hit, severity: Severity) -> Finding:
    start = page.position(hit.start)
    end = page.position(hit.end) if hit.end > hit.start else start
    fix_spans: tuple[tuple[Position, Position], ...] = ()
    if hit.fix is not None:
        # A page can have hundreds of thousands of findings: positions at the same offset
        # are one value, and so are equal messages.
        known = {hit.start: start, hit.end: end}
        spans = []
        for edit in hit.fix.edits:
            edit_start = known.get(edit.start) or known.setdefault(edit.start, page.position(edit.start))
            edit_end = known.get(edit.end) or known.setdefault(edit.end, page.position(edit.end))
            spans.append((edit_start, edit_end))
        fix_spans = tuple(spans)
    return Finding(
        path=page.path,
        start=start,
        end=end,
        rule=rule.id,
        name=rule.name,
        category=rule.category,
        severity=severity,
        message=sys.intern(hit.message),
        fix=hit.fix,
        fix_spans=fix_spans,
        subject=hit.subject if hit.subject is None else sys.intern(hit.subject),
    )


def file_finding(
    display: str, kind: Problem, message: str, settings: RuleSettings, line: int = 1, column: int = 1
) -> list[Finding]:
    """The one finding about a whole file (it could not be read, decoded, checked or fixed),
    reported by the rule for its ``kind``."""
    # A file that could not be checked at all is reported whatever the selection: a silent
    # pass would hide it. Its severity can still be configured.
    rule = RULE_FOR[kind]
    return [
        Finding(
            path=display,
            start=Position(line, column),
            end=Position(line, column),
            rule=rule.id,
            name=rule.name,
            category=rule.category,
            severity=settings.severity(rule),
            message=message,
            fix=None,
        )
    ]


def _os_message(error: OSError) -> str:
    reason = error.strerror or str(error)
    if isinstance(error, IsADirectoryError):
        return "is a directory, not a page"
    return f"cannot read file: {reason}"


__all__ = [
    "FAILURE_KINDS",
    "RESOURCE_ERRORS",
    "bytes_in_scope",
    "check_bytes",
    "check_file",
    "check_in_scope",
    "check_page",
    "check_text",
    "file_finding",
    "internal_error_finding",
    "is_failure",
    "read_file",
    "resource_finding",
    "sort_findings",
    "worker_died_finding",
]
