"""--diff-base REF: which lines of which pages changed since a git revision.

The working tree (committed, staged and unstaged changes alike) is compared with REF, as
`git diff REF` does; files git does not track yet count as wholly new. A finding is kept
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

from .finding import Finding

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


def _git(args: list[str], cwd: Path) -> bytes:
    try:
        completed = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=120, check=False)
    except FileNotFoundError:
        raise GitError("--diff-base needs git, which is not installed") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took more than 120 s") from None
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {message[-1] if message else completed.returncode}")
    return completed.stdout


def changed_lines(ref: str, cwd: Path) -> ChangedLines:
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd).decode().strip())
    _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], cwd)
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
            ref,
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
