"""Gitignore-style path patterns, as a configuration's excludes and overrides and a content
model's ``applies_to.paths`` write them (pathspec does the matching)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any


def gitignore_spec(lines: Sequence[str]) -> Any:
    """A compiled pathspec ``GitIgnoreSpec``; imported here, when first needed."""
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(lines)


def patterns_match(patterns: tuple[str, ...], relative: str) -> bool:
    """Whether gitignore-style ``patterns`` (a configuration's overrides, a content model's
    ``applies_to.paths``) match a posix path relative to their root."""
    return bool(_cached_spec(patterns).match_file(relative))


@lru_cache(maxsize=64)
def _cached_spec(patterns: tuple[str, ...]) -> Any:
    return gitignore_spec(patterns)  # the same few pattern lists are asked for every page of a run
