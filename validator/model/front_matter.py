"""The loaded front matter and what was wrong with it: values, with offsets into the page text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from validator.model.problems import Problem

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class FrontMatterProblem:
    """Why the front matter could not be used as it is; offsets index the page text."""

    kind: Problem
    message: str
    start: int
    end: int


@dataclass(frozen=True)
class FrontMatter:
    """Loaded front matter (``data`` is None when it could not be loaded)."""

    data: Any
    start: int  # offset of the opening delimiter
    end: int  # offset just after the closing delimiter line
    key_spans: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    closed: bool = True  # False when the closing '---' is missing

    def span_of(self, path: KeyPath) -> tuple[int, int]:
        """The span of the deepest key on ``path`` that exists, else the opening delimiter."""
        for depth in range(len(path), 0, -1):
            span = self.key_spans.get(path[:depth])
            if span is not None:
                return span
        return (self.start, self.start + 3)


@dataclass(frozen=True)
class SplitResult:
    front_matter: FrontMatter | None
    body_start: int
    problems: tuple[FrontMatterProblem, ...]
