"""Positions and edits between monolint and an editor: pure text arithmetic, no LSP library.

Findings count 1-based lines and Unicode code points in the decoded page (no BOM, ``\\n``
newlines). An editor counts 0-based lines and, per line, units of the position encoding it
negotiated: UTF-16 by default, UTF-8 or UTF-32 when both sides agree. Lines break at
``\\r\\n``, ``\\r`` and ``\\n`` in both, so only the columns need converting, plus one
column on the first line when the editor's text keeps a BOM (U+FEFF) that decoding drops.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from validator.model.finding import Position

_NEWLINE = re.compile(r"\r\n|\r|\n")

# Code units of a string in each LSP position encoding ("surrogatepass": a lone surrogate
# is one UTF-16 unit, not an error).
UNITS: dict[str, Callable[[str], int]] = {
    "utf-8": lambda text: len(text.encode("utf-8", "surrogatepass")),
    "utf-16": lambda text: len(text.encode("utf-16-le", "surrogatepass")) // 2,
    "utf-32": len,
}

ClientPosition = tuple[int, int]  # 0-based line, column in the negotiated code units


class Lines:
    """A document's text as the editor holds it, for one position encoding."""

    def __init__(self, text: str, encoding: str = "utf-16") -> None:
        self.text = text
        self.units = UNITS.get(encoding, UNITS["utf-16"])
        self.starts = [0, *(match.end() for match in _NEWLINE.finditer(text))]
        self.bom = 1 if text.startswith("\ufeff") else 0
        first = _NEWLINE.search(text)
        self.newline = first.group() if first else "\n"

    def line(self, index: int) -> str:
        """Line ``index`` (0-based) without its line break."""
        start = self.starts[index]
        end = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def end(self) -> ClientPosition:
        last = len(self.starts) - 1
        return last, self.units(self.line(last))

    def to_client(self, position: Position) -> ClientPosition:
        """A finding's position in the editor's terms; past the end is clamped to it."""
        index = max(position.line - 1, 0)
        if index >= len(self.starts):
            return self.end()
        column = position.column - 1 + (self.bom if index == 0 else 0)
        return index, self.units(self.line(index)[: max(column, 0)])

    def from_client(self, line: int, character: int) -> Position:
        """The code-point position (1-based, as findings count) of an editor position."""
        if line >= len(self.starts):
            line, character = self.end()
        text = self.line(line)
        count, units = 0, 0
        while count < len(text) and units < character:
            units += self.units(text[count])
            count += 1
        column = count - (self.bom if line == 0 else 0)
        return Position(line + 1, max(column, 0) + 1)

    def offset_to_client(self, offset: int) -> ClientPosition:
        """The editor position of an index into ``text``."""
        index = bisect.bisect_right(self.starts, offset) - 1
        return index, self.units(self.text[self.starts[index] : offset])

    def with_newlines(self, inserted: str) -> str:
        """Text to insert, with the document's own line break instead of ``\\n``."""
        return inserted.replace("\n", self.newline) if self.newline != "\n" else inserted


def changed_span(before: str, after: str) -> tuple[int, int, str]:
    """The one replacement that turns ``before`` into ``after``: the start and end in
    ``before`` and the new text, after trimming what both share at each end (never
    splitting a ``\\r\\n``)."""
    limit = min(len(before), len(after))
    start = 0
    while start < limit and before[start] == after[start]:
        start += 1
    end = 0
    while end < limit - start and before[-1 - end] == after[-1 - end]:
        end += 1
    if start and before[start - 1] == "\r" and before[start : start + 1] == "\n":
        start -= 1
    old_end, new_end = len(before) - end, len(after) - end
    if end and before[old_end - 1 : old_end] == "\r" and before[old_end] == "\n":
        old_end, new_end = old_end + 1, new_end + 1
    return start, old_end, after[start:new_end]


_DISABLE_LINE = re.compile(r"<!--\s*monolint-disable-line\b.*?(?=\s*-->)")


def disable_line_insertion(line: str, rule: str) -> tuple[int, str]:
    """Where in ``line`` (an index) to insert what to disable ``rule`` on it: the rule added
    to a ``monolint-disable-line`` comment already there, else such a comment appended
    before trailing spaces or a backslash (a hard line break must stay last)."""
    existing = _DISABLE_LINE.search(line)
    if existing is not None:
        return existing.end(), f" {rule}"
    content = line.rstrip(" \t")
    return len(content.removesuffix("\\")), f" <!-- monolint-disable-line {rule} -->"
