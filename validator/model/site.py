"""What a page tells the rules that compare pages: a small summary of plain data.

It is worked out where the page is checked (in a worker process or not), travels back with
the page's findings, is stored in the findings cache with them, and is written to a shard's
JSON report, so that the pass that compares pages (after every page is checked, or at
``monolint merge``) never reads a page again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from validator.model.finding import Position, Severity

_SEVERITIES = frozenset(severity.value for severity in Severity)


@dataclass(frozen=True)
class NameSpan:
    """A name as the page writes it (one line), and where: 1-based, end exclusive."""

    text: str
    start: Position
    end: Position

    def to_data(self) -> list[Any]:
        return [self.text, self.start.line, self.start.column, self.end.line, self.end.column]

    @classmethod
    def from_data(cls, data: Any) -> NameSpan | None:
        if data is None:
            return None
        text, line, column, end_line, end_column = data
        numbers = (line, column, end_line, end_column)
        if not isinstance(text, str) or any(type(n) is not int or n < 1 for n in numbers):
            raise ValueError("a name is not [text, line, column, end_line, end_column]")
        return cls(text, Position(line, column), Position(end_line, end_column))


@dataclass(frozen=True)
class PageSummary:
    """One page as the rules that compare pages see it.

    ``key`` is the title normalised for comparison; ``components`` the title's names (one for
    a single drug), ``listed`` the names its generic-name line lists. ``rules`` are the rules
    that compare pages enabled for this page, with their severities; ``quiet`` the (rule id,
    line) pairs its ``monolint-disable`` comments silence at its title or generic-name line.
    """

    path: str
    key: str
    title: NameSpan | None
    generic: NameSpan | None
    components: tuple[str, ...]
    listed: tuple[str, ...]
    rules: tuple[tuple[str, str], ...]
    quiet: tuple[tuple[str, int], ...] = ()

    def at(self, path: str) -> PageSummary:
        """The same summary for the page named ``path`` (a cached page under another name)."""
        return self if path == self.path else replace(self, path=path)

    def to_data(self, with_path: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {"path": self.path} if with_path else {}
        data.update(
            key=self.key,
            title=None if self.title is None else self.title.to_data(),
            generic=None if self.generic is None else self.generic.to_data(),
            components=list(self.components),
            listed=list(self.listed),
            rules=[list(pair) for pair in self.rules],
            quiet=[list(pair) for pair in self.quiet],
        )
        return data

    @classmethod
    def from_data(cls, data: Any, path: str | None = None) -> PageSummary:
        """Read back what ``to_data`` wrote; raises ValueError (or KeyError, TypeError) when
        ``data`` is not that."""
        if not isinstance(data, dict):
            raise ValueError("a page summary is not an object")
        name = data["path"] if path is None else path
        texts = (data["key"], *data["components"], *data["listed"])
        if not isinstance(name, str) or not all(isinstance(text, str) for text in texts):
            raise ValueError("a page summary's path, key or names are not text")
        rules = tuple((str(rule), str(severity)) for rule, severity in data["rules"])
        if any(severity not in _SEVERITIES for _, severity in rules):
            raise ValueError("a page summary's rules have an unknown severity")
        quiet = tuple((str(rule), int(line)) for rule, line in data["quiet"])
        return cls(
            name,
            data["key"],
            NameSpan.from_data(data["title"]),
            NameSpan.from_data(data["generic"]),
            tuple(data["components"]),
            tuple(data["listed"]),
            rules,
            quiet,
        )
