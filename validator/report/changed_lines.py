"""--diff-base REF: which lines of which pages changed since a git revision.

The working tree (committed, staged and unstaged changes alike) is compared with the merge
base of REF and HEAD, as `git diff --merge-base REF` does, so what REF gained since the
branch left it is not counted as this branch's change; files git does not track yet count
as wholly new. Each way this can fail (git missing, no repository, an unknown or unfetched
REF, a shallow clone without the merge base) is one line saying what to do. A finding is kept
when its page changed and either it is about the page as a whole (a missing section) or
its lines overlap an added or changed line.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from validator.model.finding import Finding

_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.MULTILINE)
WHOLE = None  # a page that is new: every line counts as changed


class GitError(Exception):
    """git could not tell what changed; the message is one line."""


@dataclass(frozen=True)
class ChangedLines:
    """Absolute page paths mapped to their changed line numbers (None: the whole page)."""

    pages: dict[str, frozenset[int] | None]

    def keep(self, finding: Finding, cwd: Path, whole_page: bool) -> bool:
        key = os.path.normpath(cwd.resolve() / finding.path)
        if key not in self.pages:
            return False
        lines = self.pages[key]
        if lines is None or whole_page:
            return True
        return any(line in lines for line in range(finding.start.line, finding.end.line + 1))


def only_changed(findings: Iterable[Finding], ref: str, cwd: Path) -> list[Finding]:
    """The findings on lines changed since ``ref`` (and those about a changed page as a
    whole: input problems and whole-page rules). Raises GitError."""
    from validator.rules.registry import BY_ID

    changed = changed_lines(ref, cwd)

    def whole_page(finding: Finding) -> bool:
        rule = BY_ID.get(finding.rule)
        return finding.category == "input" or (rule is not None and rule.whole_page)

    return [finding for finding in findings if changed.keep(finding, cwd, whole_page(finding))]


def _run_git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=120, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH); --diff-base needs it") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took more than 120 s") from None


def _git(args: list[str], cwd: Path) -> bytes:
    completed = _run_git(args, cwd)
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {message[-1] if message else completed.returncode}")
    return completed.stdout


def _top(cwd: Path) -> Path:
    """The top folder of the work tree holding ``cwd``."""
    completed = _run_git(["rev-parse", "--show-toplevel"], cwd)
    if completed.returncode != 0:
        error = completed.stderr.decode("utf-8", "replace")
        if "not a git repository" in error:
            raise GitError(f"'{cwd}' is not in a git repository")
        _git(["rev-parse", "--show-toplevel"], cwd)  # any other failure: git's own last line
    return Path(completed.stdout.decode().strip())


def _shallow(top: Path) -> bool:
    return _git(["rev-parse", "--is-shallow-repository"], top).strip() == b"true"


def _unknown(ref: str, top: Path) -> GitError:
    """Why ``ref`` names no commit, with the command that would fetch it."""
    remotes = _git(["remote"], top).decode("utf-8", "replace").split()
    remote, _, branch = ref.partition("/")
    if branch and remote in remotes:
        return GitError(f"unknown revision '{ref}'; fetch it first (git fetch {remote} {branch})")
    return GitError(f"unknown revision '{ref}' (no branch, tag or commit of that name here)")


def _merge_base(ref: str, top: Path) -> str:
    """Where HEAD's history left REF's, so that changes made on REF since are not counted."""
    completed = _run_git(["merge-base", "--end-of-options", ref, "HEAD"], top)
    if completed.returncode == 0:
        return completed.stdout.decode().strip()
    if _shallow(top):
        raise GitError(
            f"'{ref}' and HEAD have no common commit here because the clone is shallow; "
            "use actions/checkout with fetch-depth: 0 (or run git fetch --unshallow)"
        )
    if _run_git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], top).returncode != 0:
        raise GitError("HEAD has no commit yet to compare with")
    raise GitError(f"'{ref}' and HEAD have no common commit (unrelated histories)")


def changed_lines(ref: str, cwd: Path) -> ChangedLines:
    top = _top(cwd)
    verify = _run_git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], top)
    if verify.returncode != 0:
        raise _unknown(ref, top)
    base = _merge_base(ref, top)
    diff = _git(
        [
            "-c",
            "core.quotePath=false",
            "diff",
            "--no-color",
            "--no-ext-diff",
            "-U0",
            "--no-renames",
            "--src-prefix=a/",
            "--dst-prefix=b/",
            base,
        ],
        cwd,
    )
    pages: dict[str, frozenset[int] | None] = dict(_parse(diff, top))
    untracked = _git(["ls-files", "-z", "--others", "--exclude-standard"], top)
    for name in untracked.split(b"\0"):
        if name:
            pages[os.path.normpath(top / os.fsdecode(name))] = WHOLE
    return ChangedLines(pages)


def _parse(diff: bytes, top: Path) -> Iterable[tuple[str, frozenset[int] | None]]:
    """Pages and added line numbers from `git diff --unified=0`."""
    for section in re.split(rb"^diff --git ", diff, flags=re.MULTILINE)[1:]:
        target = re.search(rb"^\+\+\+ (.*?)\t?$", section, re.MULTILINE)
        if target is None or target.group(1) == b"/dev/null":
            continue  # deleted, or only its mode changed
        name = _unquote(target.group(1)).removeprefix(b"b/")
        lines: set[int] = set()
        for hunk in _HUNK.finditer(section):
            start, count = int(hunk.group(1)), int(hunk.group(2) or 1)
            lines.update(range(start, start + count))  # a pure deletion (count 0) adds none
        yield os.path.normpath(top / os.fsdecode(name)), frozenset(lines)


def _unquote(name: bytes) -> bytes:
    """git writes a name with quotes, backslashes or control characters C-quoted:
    "a\\"b.md" with octal escapes for bytes."""
    if not (name.startswith(b'"') and name.endswith(b'"')):
        return name
    body = name[1:-1].decode("ascii", "backslashreplace")
    return body.encode("latin-1", "backslashreplace").decode("unicode_escape").encode("latin-1")
