"""Turn the command line's paths into the list of pages to check.

Folders are searched for Markdown files, honouring .gitignore files and the excludes of the
configuration that governs each folder; symbolic links to folders inside them are not followed
(no loops). Files named explicitly are always checked, unless --force-exclude asks to apply the
excludes to them too.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from validator.config.excludes import Excludes
from validator.content_model.patterns import gitignore_spec
from validator.model.errors import SettingsError
from validator.run import CACHE_DIR_NAME, PAGE_SUFFIXES

_ALWAYS_SKIPPED = {".git", ".hg", ".svn", CACHE_DIR_NAME, "node_modules", ".venv", "__pycache__"}


class MissingPathError(SettingsError, FileNotFoundError):
    """Paths named to be checked that do not exist; raised before any page is checked.

    A symbolic link counts as existing even when its target does not: it is a file of the
    project (git tracks it, pre-commit passes it), so a broken one is a finding (Problem.UNREADABLE) like
    any other page that cannot be read, and the other pages are still checked."""

    def __init__(self, paths: Sequence[str]) -> None:
        self.paths = tuple(paths)
        names = ", ".join(repr(path) for path in self.paths)
        super().__init__(f"no such file or folder: {names}")


def missing_paths(paths: Sequence[str], cwd: Path) -> list[str]:
    """The paths, as given, that name nothing (not even a broken link)."""
    return [given for given in paths if not os.path.lexists(os.path.normpath(cwd / given))]


@dataclass(frozen=True)
class Candidate:
    path: Path
    display: str  # how the path is shown: relative to the working folder when inside it


def display_path(path: Path, cwd: Path) -> str:
    absolute = os.path.normpath(path if path.is_absolute() else cwd / path)
    inside = _inside(absolute, cwd)
    return inside if inside is not None else Path(absolute).as_posix()


def relative_to(path: Path, root: Path) -> str | None:
    return _inside(os.path.normpath(path.absolute()), root)


def _inside(absolute: str, folder: Path) -> str | None:
    """``absolute`` (normalised) relative to ``folder`` in posix form, or None outside it."""
    if os.name != "posix":  # drive letters and case-insensitive names: let pathlib decide
        try:
            return Path(absolute).relative_to(folder).as_posix()
        except ValueError:
            return None
    # String slicing, not pathlib: a run asks this several times for every page.
    top = str(folder)
    if absolute == top:
        return "."
    prefix = top if top.endswith("/") else top + "/"
    return absolute[len(prefix) :] if absolute.startswith(prefix) else None


@dataclass(frozen=True)
class _Folder:
    excludes: Excludes  # those of the configuration that governs the folder
    prefix: str | None  # the folder's path from that root, with a trailing "/"; None outside it
    gitignores: tuple[tuple[Any, str], ...]  # nearest first: a spec, and this folder's path from its own


class _Ignores:
    """gitignore-style matching: the excludes of the configuration that governs each folder,
    plus each folder's .gitignore."""

    def __init__(self, excludes_for: Callable[[Path], Excludes]) -> None:
        self.excludes_for = excludes_for
        self.gitignores: dict[Path, Any] = {}
        self.work_trees: dict[Path, tuple[Path, ...]] = {}

    def _gitignore(self, folder: Path) -> Any:
        if folder not in self.gitignores:
            spec = None
            try:
                lines = (folder / ".gitignore").read_text(encoding="utf-8", errors="replace").splitlines()
                spec = gitignore_spec(lines)
            except OSError:
                pass
            self.gitignores[folder] = spec
        return self.gitignores[folder]

    def excluded(self, path: Path, is_dir: bool) -> bool:
        return self.excluded_in(self.folder(path.parent), path.name, is_dir)

    def folder(self, folder: Path) -> _Folder:
        """What decides for the names in ``folder``, worked out once for all of them."""
        excludes = self.excludes_for(folder)
        relative = relative_to(folder, excludes.root)
        prefix = None if relative is None else "" if relative == "." else relative + "/"
        gitignores = []
        if excludes.respect_gitignore:
            # The nearest .gitignore with a matching pattern decides, so a folder's "!keep.md"
            # re-includes what a parent folder's .gitignore excluded, as in git.
            for above in self._work_tree_folders(folder):
                spec = self._gitignore(above)
                if spec is not None:
                    below = folder.relative_to(above).as_posix()
                    gitignores.append((spec, "" if below == "." else below + "/"))
        return _Folder(excludes, prefix, tuple(gitignores))

    def excluded_in(self, folder: _Folder, name: str, is_dir: bool) -> bool:
        suffix = "/" if is_dir else ""
        excludes = folder.excludes
        if folder.prefix is not None and excludes.patterns and excludes.spec.match_file(folder.prefix + name + suffix):
            return True
        for spec, prefix in folder.gitignores:
            decision = spec.check_file(prefix + name + suffix).include
            if decision is not None:
                return bool(decision)
        return False

    def _work_tree_folders(self, folder: Path) -> tuple[Path, ...]:
        """``folder`` and its parents up to the top of its git work tree (the folder holding
        .git), nearest first. Outside a work tree there are none: like git, a stray
        .gitignore above the project (say ~/.gitignore holding "*") must not hide pages."""
        if folder not in self.work_trees:
            chain: list[Path] = []
            for current in (folder, *folder.parents):
                chain.append(current)
                if (current / ".git").exists():
                    break
            else:
                chain = []
            self.work_trees[folder] = tuple(chain)
        return self.work_trees[folder]


def discover(
    paths: Sequence[str],
    cwd: Path,
    excludes: Excludes | Callable[[Path], Excludes],
    force_exclude: bool = False,
) -> Iterator[Candidate]:
    """Yield each page once, in a stable order: explicit files as given, folders sorted.

    ``excludes`` is one set for every folder, or gives the set of the configuration that
    governs a folder (each folder's own, found per folder)."""
    ignores = _Ignores(excludes if callable(excludes) else lambda _folder: excludes)
    # A folder's walk never yields a file twice: only overlapping paths need remembering.
    seen: set[Path] | None = set() if len(paths) > 1 else None
    for given in paths:
        path = Path(given)
        absolute = Path(os.path.normpath(cwd / path))
        if absolute.is_dir():  # a folder named on the command line is searched even if it is a link
            found: Iterator[Path] = _walk(absolute, ignores)
        elif force_exclude and ignores.excluded(absolute, is_dir=False):
            continue
        else:
            found = iter((absolute,))  # an unreadable (or since vanished) file becomes a finding later
        for file in found:
            if seen is None:
                yield Candidate(file, display_path(file, cwd))
            elif file not in seen:
                seen.add(file)
                yield Candidate(file, display_path(file, cwd))


def _walk(top: Path, ignores: _Ignores) -> Iterator[Path]:
    for folder, dirs, files in os.walk(top, followlinks=False):
        here = Path(folder)
        rules = ignores.folder(here)
        dirs[:] = sorted(
            name for name in dirs if name not in _ALWAYS_SKIPPED and not ignores.excluded_in(rules, name, is_dir=True)
        )
        for name in sorted(files):
            if name.lower().endswith(PAGE_SUFFIXES) and not ignores.excluded_in(rules, name, is_dir=False):
                yield here / name
