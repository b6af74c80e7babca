"""Apply fixes: resolve conflicting edits, loop lint -> apply -> re-lint, write back safely.

The loop is ruff's: each pass applies, in finding order, every fix that does not conflict
with one already taken, then lints the result again; a fix left out is retried on the next
pass, if its finding is still there. The safety net is mdformat's: a pass whose result has
a Markdown structure that its fixes cannot explain is refused (see ``structure``), and the
file is left alone. Files keep their BOM, line endings and permission bits, and are
replaced atomically, never when their text is unchanged.
"""

from __future__ import annotations

import bisect
import codecs
import contextlib
import difflib
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from validator.check.engine import (
    bytes_in_scope,
    check_bytes,
    check_in_scope,
    check_text,
    file_finding,
    is_failure,
    read_file,
)
from validator.config.selection import RuleSettings
from validator.content_model.load import ContentModel
from validator.fix.safety_net import structure_problem
from validator.model.finding import Edit, Finding, Fix
from validator.model.problems import Problem
from validator.parse.source import Source, decode

if TYPE_CHECKING:
    from validator.model.site import PageSummary

MAX_PASSES = 10

Lint = Callable[[str], list[Finding]]


def applicable(finding: Finding, unsafe: bool = False) -> Fix | None:
    """The finding's fix, when this run may apply it."""
    fix = finding.fix
    return fix if fix is not None and fix.edits and (fix.safe or unsafe) else None


def _order(edit: Edit) -> tuple[int, int]:
    # At one offset an insertion goes before a replacement: "10ml" + (2,2," ") + (2,4,"mL").
    return (edit.start, edit.end)


def _conflicts(taken: list[Edit], edit: Edit) -> bool:
    """Does ``edit`` overlap an edit already taken (kept sorted, so their ends ascend too)?

    Spans overlap when each starts before the other ends; two insertions at one offset
    conflict too, as their order would be arbitrary. An insertion at the edge of a
    replacement does not conflict with it.
    """
    index = bisect.bisect_left(taken, edit.end, key=lambda other: other.start)
    if index and taken[index - 1].end > edit.start:
        return True
    if edit.start == edit.end:
        same = bisect.bisect_left(taken, (edit.start, edit.start), key=_order)
        return same < len(taken) and _order(taken[same]) == (edit.start, edit.start)
    return False


def _usable(edits: Sequence[Edit], text: str) -> bool:
    """Edits of one fix: inside the text, not overlapping each other, not all no-ops."""
    taken: list[Edit] = []
    for edit in edits:
        if not 0 <= edit.start <= edit.end <= len(text) or _conflicts(taken, edit):
            return False
        bisect.insort(taken, edit, key=_order)
    return any(text[edit.start : edit.end] != edit.text for edit in edits)


def apply_fixes(text: str, fixes: Iterable[Fix]) -> tuple[str, tuple[Fix, ...]]:
    """Apply each fix whose edits conflict with no fix before it; all of a fix's edits or
    none. Returns the new text and the fixes applied, in order."""
    taken: list[Edit] = []
    applied: list[Fix] = []
    for fix in fixes:
        edits = sorted(fix.edits, key=_order)
        if not _usable(edits, text) or any(_conflicts(taken, edit) for edit in edits):
            continue
        for edit in edits:
            bisect.insort(taken, edit, key=_order)
        applied.append(fix)
    parts, cursor = [], 0
    for edit in taken:
        parts += [text[cursor : edit.start], edit.text]
        cursor = edit.end
    return "".join(parts) + text[cursor:], tuple(applied)


@dataclass(frozen=True)
class FixResult:
    """What the fix loop made of a page's text."""

    text: str  # the fixed text; the original when nothing was fixed or it was refused
    original: tuple[Finding, ...]  # the findings of the original text
    findings: tuple[Finding, ...]  # the findings of ``text``
    fixed: int  # how many fixes were applied, over all passes
    problem: str | None = None  # why the fixes were refused (nothing may be written)


def fix_text(text: str, lint: Lint, unsafe: bool = False) -> FixResult:
    """Lint, apply the applicable fixes, re-lint; up to MAX_PASSES passes, until no fix
    applies or a pass changes nothing."""
    original = current = tuple(lint(text))
    fixed_text, fixed = text, 0
    for _ in range(MAX_PASSES):
        fixes = [fix for finding in current if (fix := applicable(finding, unsafe)) is not None]
        new, applied = apply_fixes(fixed_text, fixes)
        if new == fixed_text:
            break
        problem = structure_problem(fixed_text, new, applied)
        again = () if problem else tuple(lint(new))
        crash = next((finding for finding in again if is_failure(finding)), None)
        if problem is None and crash is not None:
            problem = f"the fixed text could not be checked: {crash.message}"
        if problem is not None:
            return FixResult(text, original, original, 0, f"{problem}; nothing was written")
        fixed_text, current, fixed = new, again, fixed + len(applied)
    return FixResult(fixed_text, original, current, fixed)


_NEWLINE = re.compile(r"\r\n|\r|\n")


def encode(source: Source, text: str) -> bytes:
    """Fixed text as the file's bytes: its BOM and its line endings. A file with mixed
    endings keeps each line's own while the number of lines is unchanged."""
    body = source.raw[len(codecs.BOM_UTF8) :] if source.bom else source.raw
    endings = _NEWLINE.findall(body.decode("utf-8"))
    if len(set(endings)) > 1 and text.count("\n") == len(endings):
        lines = text.split("\n")
        text = "".join(line + ending for line, ending in zip(lines[:-1], endings, strict=True)) + lines[-1]
    elif source.newline != "\n":
        text = text.replace("\n", source.newline)
    data = text.encode("utf-8")
    return codecs.BOM_UTF8 + data if source.bom else data


def write_back(path: Path, expected: bytes, data: bytes) -> str | None:
    """Replace the file's content with ``data``, atomically, keeping its permission bits.
    Returns why it could not, or None. A file or folder without write permission bits is
    left alone even when the user could override them (as root can)."""
    target = Path(os.path.realpath(path))  # a symbolic link stays a link to the fixed file
    try:
        status = target.stat()
        if not status.st_mode & 0o222:
            return "the file is read-only"
        if not target.parent.stat().st_mode & 0o222:
            return "its folder is read-only"
        if target.read_bytes() != expected:
            return "the file changed while monolint was fixing it"
        # Beside the file, so that the rename stays on one file system; short, for long names.
        handle, temp = tempfile.mkstemp(prefix=f".{target.name[:60]}.", suffix=".monolint-tmp", dir=target.parent)
    except OSError as error:
        return f"cannot write the fixes: {error.strerror or error}"
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if hasattr(os, "chown") and (status.st_uid, status.st_gid) != (os.geteuid(), os.getegid()):
            with contextlib.suppress(OSError):  # only root may give a file away
                os.chown(temp, status.st_uid, status.st_gid)
        Path(temp).chmod(stat.S_IMODE(status.st_mode))  # after chown, which clears set-id bits
        Path(temp).replace(target)
    except BaseException as error:  # an interrupt too: never leave the temporary file behind
        with contextlib.suppress(OSError):
            Path(temp).unlink()
        if not isinstance(error, OSError):
            raise
        return f"cannot write the fixes: {error.strerror or error}"
    _sync_folder(target.parent)
    return None


def _sync_folder(folder: Path) -> None:
    """Make the rename durable (POSIX); where folders cannot be opened this is a no-op."""
    with contextlib.suppress(OSError, AttributeError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


@dataclass(frozen=True)
class Change:
    """A page whose text the fixes change (normalised text, ``\\n`` newlines)."""

    path: str
    before: str
    after: str

    def diff(self) -> str:
        """A unified diff, `--- a/path` and `+++ b/path`, like git's."""
        lines = difflib.unified_diff(
            _lines(self.before), _lines(self.after), f"a/{self.path}", f"b/{self.path}", lineterm="\n"
        )
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def _lines(text: str) -> list[str]:
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


@dataclass(frozen=True)
class FileFix:
    """The outcome of fixing one page."""

    findings: tuple[Finding, ...]  # what to report: the findings left after fixing
    fixed: int
    output: bytes  # the page's bytes after fixing (its original bytes when unchanged)
    change: Change | None = None
    original: tuple[Finding, ...] = ()  # the findings of the page before fixing
    failure: Finding | None = None  # why the page could not be read, checked, fixed or written
    skipped: bool = False  # out of the content model's scope: neither checked nor fixed
    # The summary, for the rules that compare pages, of the text ``findings`` describe (the
    # page as fixed, or as it was when nothing was written); None when no such rule is enabled.
    summary: PageSummary | None = None


def _unfixable(findings: Sequence[Finding], raw: bytes) -> FileFix:
    failure = next((finding for finding in findings if finding.category == "input" and finding.fix is None), None)
    return FileFix(tuple(findings), 0, raw, original=tuple(findings), failure=failure)


def fix_bytes(raw: bytes, display: str, settings: RuleSettings, model: ContentModel, unsafe: bool = False) -> FileFix:
    """Fix a page given as bytes; writes nothing."""
    source = decode(raw)
    if not isinstance(source, Source):  # never fix what could not be read as text
        return _unfixable(check_bytes(raw, display, settings, model), raw)
    summaries: list[PageSummary | None] = []  # of each text checked: the original first, the last one last

    def lint(text: str) -> list[Finding]:
        found: list[PageSummary] = []
        findings = check_text(text, display, settings, model, summaries=found)
        summaries.append(found[0] if found else None)
        return findings

    result = fix_text(source.text, lint, unsafe)
    crash = next((finding for finding in result.findings if is_failure(finding)), None)
    if result.problem is not None:
        (refused,) = file_finding(display, Problem.FIX_REFUSED, result.problem, settings)
        return FileFix(
            (*result.findings, refused), 0, raw, original=result.original, failure=refused, summary=summaries[0]
        )
    if result.text == source.text:
        return FileFix(result.findings, 0, raw, original=result.original, failure=crash, summary=summaries[-1])
    change = Change(display, source.text, result.text)
    return FileFix(
        result.findings, result.fixed, encode(source, result.text), change, result.original, summary=summaries[-1]
    )


def fix_file(
    path: Path,
    display: str,
    settings: RuleSettings,
    model: ContentModel,
    unsafe: bool = False,
    write: bool = True,
    scoped: bool = False,
) -> FileFix:
    """Fix one file, and write the result back when ``write`` (else only report it). When
    ``scoped``, a page whose front matter puts it out of the model's scope is left alone."""
    raw = read_file(path, display, settings)
    if isinstance(raw, list):
        return _unfixable(raw, b"")
    if scoped and not bytes_in_scope(raw, model):
        return FileFix((), 0, raw, skipped=True)
    outcome = fix_bytes(raw, display, settings, model, unsafe)
    if not write or outcome.change is None:
        return outcome
    problem = write_back(path, raw, outcome.output)
    if problem is None:
        return outcome
    # The file keeps its old text, so it keeps its old findings (and its old summary).
    (failure,) = file_finding(display, Problem.FIX_NOT_WRITTEN, f"{problem}; the fixes were not written", settings)
    summary = _summary_of(raw, display, settings, model) if outcome.summary is not None else None
    return FileFix((*outcome.original, failure), 0, raw, original=outcome.original, failure=failure, summary=summary)


def _summary_of(raw: bytes, display: str, settings: RuleSettings, model: ContentModel) -> PageSummary | None:
    """The summary, for the rules that compare pages, of a page given as bytes."""
    found: list[PageSummary] = []
    check_in_scope(raw, display, settings, model, found)
    return found[0] if found else None
