"""The parsed page: frozen values with offsets into the page text.

Every position is an offset into ``Page.text`` (the normalised source). The conversion to
1-based line and column happens in exactly one place, :meth:`Page.position`.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from validator.model.finding import Position
from validator.model.front_matter import FrontMatter, FrontMatterProblem


@dataclass(frozen=True)
class TextRun:
    """Prose exactly as written in the source (no code, HTML or link targets)."""

    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class Segment:
    """Prose as a reader sees it: the runs of one inline block joined across emphasis, link
    text and line breaks (a line break reads as a space), cut at code, HTML, images and
    autolinks. ``pieces`` maps it back: (offset in ``text``, page offset) where each run starts.
    """

    text: str
    pieces: tuple[tuple[int, int], ...]

    def to_page(self, offset: int) -> int:
        pieces = self.pieces
        # Most segments are one piece; a bisect with a key calls back into Python at each step.
        index = bisect.bisect_right(self._starts, offset) - 1 if len(pieces) > 1 else 0
        start, page_start = pieces[max(index, 0)]
        return page_start + offset - start

    @cached_property
    def _starts(self) -> tuple[int, ...]:
        return tuple(start for start, _ in self.pieces)


@dataclass(frozen=True)
class Heading:
    level: int
    raw: str  # the heading's Markdown source, without the '#' markers
    plain: str  # what a reader sees: markup removed
    start: int  # the heading's first character (its '#')
    end: int  # end of its last line
    text_start: int  # span of ``raw``
    text_end: int
    nested: bool  # inside a list or block quote


@dataclass(frozen=True)
class Block:
    """A top-level block: heading, paragraph, bullet_list, ordered_list, blockquote, fence,
    code_block, html_block, hr or table."""

    kind: str
    start: int
    end: int
    raw: str  # for paragraphs and headings, the inline Markdown source; else ""
    # ``plain``, or what gives it when first read: most paragraphs' markup is never parsed.
    reads_as: str | Callable[[], str] = field(default="", compare=False, repr=False)
    heading: Heading | None = None

    @cached_property
    def plain(self) -> str:
        """For paragraphs and headings, the text a reader sees; else ""."""
        return self.reads_as if isinstance(self.reads_as, str) else self.reads_as()

    @property
    def is_comment(self) -> bool:
        return self.kind == "html_block" and self.raw.lstrip().startswith("<!--")


@dataclass(frozen=True)
class Comment:
    """An HTML comment (block or inline); suppression directives live in these.

    ``text`` is the comment without the block quote markers and indent that precede its
    lines in the source. ``line_starts`` holds the page offset of each of its lines, so
    :meth:`offset` maps any index of ``text`` to the page.
    """

    start: int
    end: int
    text: str
    line_starts: tuple[int, ...] = ()

    def offset(self, index: int) -> int:
        """The page offset of ``text[index]`` (``index`` may equal ``len(text)``)."""
        # bisect, not count: a comment can hold thousands of directives.
        line = bisect.bisect_right(self._text_line_starts, index) - 1
        if line >= len(self.line_starts):
            return self.start + index
        return self.line_starts[line] + index - self._text_line_starts[line]

    @cached_property
    def _text_line_starts(self) -> tuple[int, ...]:
        return line_starts_of(self.text)


@dataclass(frozen=True, eq=False)
class Page:
    """A parsed page. Compared by identity: two pages of the same text are two parses."""

    path: str
    text: str
    line_starts: tuple[int, ...]
    front_matter: FrontMatter | None
    front_matter_problems: tuple[FrontMatterProblem, ...]
    body_start: int
    blocks: tuple[Block, ...]
    headings: tuple[Heading, ...]
    comments: tuple[Comment, ...]
    # The segments of every inline block that may hold a number: those on source lines with a
    # decimal digit, plus table cells and content with an HTML comment, which are built with
    # the page. Rules about numbers read only these; ``segments`` holds all the prose.
    numeric_segments: tuple[Segment, ...]
    # Builds every prose run and segment, in page order (most prose is built only if read).
    prose: Callable[[], tuple[tuple[TextRun, ...], tuple[Segment, ...]]] = field(repr=False)

    @cached_property
    def _all_prose(self) -> tuple[tuple[TextRun, ...], tuple[Segment, ...]]:
        return self.prose()

    @property
    def runs(self) -> tuple[TextRun, ...]:
        """Prose exactly as written, in page order."""
        return self._all_prose[0]

    @property
    def segments(self) -> tuple[Segment, ...]:
        """Prose as a reader sees it, one or more segments per inline block, in page order."""
        return self._all_prose[1]

    @property
    def has_body(self) -> bool:
        """False when unclosed front matter leaves no Markdown body to check."""
        return self.front_matter is None or self.front_matter.closed

    def position(self, offset: int) -> Position:
        """1-based line and code-point column of an offset into the text."""
        offset = max(0, min(offset, len(self.text)))
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return Position(index + 1, offset - self.line_starts[index] + 1)

    def line_end(self, offset: int) -> int:
        """Offset of the end of the line that holds ``offset`` (before its newline)."""
        newline = self.text.find("\n", offset)
        return len(self.text) if newline < 0 else newline


def line_starts_of(text: str) -> tuple[int, ...]:
    starts = [0]
    find = text.find
    index = find("\n")
    while index >= 0:
        starts.append(index + 1)
        index = find("\n", index + 1)
    return tuple(starts)
