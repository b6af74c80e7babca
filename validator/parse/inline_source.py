"""Where an inline token's content sits in the page source.

markdown-it-py gives inline tokens a line range but no columns, and strips block quote
markers, list indent and table pipes from their content. These helpers find each content
line in its source line so that every prose run maps back to exact page offsets.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass


@dataclass
class ContentMap:
    """Maps offsets in an inline token's content to offsets in the page text."""

    content_line_starts: list[int]
    page_line_starts: list[int]
    # Content offsets of '|' characters written '\|' in the source (escaped pipes in table cells).
    shifts: list[int]

    def to_page(self, offset: int) -> int:
        if len(self.content_line_starts) == 1 and not self.shifts:  # most inline content: one line
            return self.page_line_starts[0] + offset
        number = bisect.bisect_right(self.content_line_starts, offset) - 1
        line_start = self.content_line_starts[number]
        skipped = bisect.bisect_right(self.shifts, offset) - bisect.bisect_left(self.shifts, line_start)
        return self.page_line_starts[number] + offset - line_start + skipped

    def pieces(self, start: int, text: str) -> list[tuple[int, str]]:
        """``text`` (found at ``start`` in the content) cut where the source has an extra
        character, so that every piece is a verbatim slice of the page."""
        if not self.shifts:
            return [(start, text)]
        cuts = [shift - start for shift in self.shifts if start < shift < start + len(text)]
        bounds = [0, *cuts, len(text)]
        return [(start + begin, text[begin:end]) for begin, end in itertools.pairwise(bounds)]


def locate(source: str, line: str, cursor: int) -> tuple[int, int]:
    """Column of a content line in its source line (searching from ``cursor``) and the width
    it takes there. The column may be negative: see the tab case below."""
    if not line:
        return cursor, 0
    column = source.find(line, cursor)
    if column >= 0:
        return column, len(line)
    if "|" in line:  # a table cell: markdown-it turned each '\\|' into '|'
        escaped = line.replace("|", "\\|")
        column = source.find(escaped, cursor)
        if column >= 0:
            return column, len(escaped)
    stripped = line.lstrip()
    if stripped != line:
        # A tab in the source that markdown-it expanded to spaces: locate the rest of the line.
        # The spaces then map before it, where markdown-it never puts prose.
        column = source.find(stripped, cursor)
        if column >= 0:
            return column - (len(line) - len(stripped)), len(line)
    return max(0, len(source) - len(line)), len(line)


def skip_code_span(content: str, cursor: int, markup: str) -> int:
    """Offset just past the code span that starts at or after ``cursor``."""
    opening = find_backtick_run(content, cursor, len(markup))
    if opening < 0:
        return cursor
    closing = find_backtick_run(content, opening + len(markup), len(markup))
    return cursor if closing < 0 else closing + len(markup)


def find_backtick_run(content: str, start: int, length: int) -> int:
    """Offset of the next run of exactly ``length`` backticks at or after ``start``."""
    index = content.find("`", start)
    while index >= 0:
        end = index
        while end < len(content) and content[end] == "`":
            end += 1
        if end - index == length:
            return index
        index = content.find("`", end)
    return -1
