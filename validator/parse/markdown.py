"""Parse a page once: front matter plus markdown-it-py tokens become a frozen Page
(see model/page.py for what a Page holds).

Most prose needs no more than its block structure: few inline blocks hold a digit, which is
where the dose rules look (benchmarks/README.md, "Figures behind the design"). So inline content is parsed where it is
read: a heading's for its plain text, and table cells and content with a digit or an HTML
comment to make prose segments with the page; the rest of the prose only if a rule reads all
of it (Page.segments), a paragraph's plain text when it is read (Block.plain).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from functools import cache, lru_cache, partial
from typing import TYPE_CHECKING, Any

from validator.model.front_matter import SplitResult
from validator.model.page import Block, Comment, Heading, Page, Segment, TextRun, line_starts_of
from validator.parse.digits import digit_offsets
from validator.parse.front_matter import split_front_matter
from validator.parse.inline_source import ContentMap, locate, skip_code_span

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

__all__ = [
    "Block",
    "Comment",
    "Heading",
    "Page",
    "Segment",
    "TextRun",
    "line_starts_of",
    "markdown_parser",
    "parse_page",
]


@cache
def markdown_parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    # text_join would merge escapes and entities into text tokens; without it every
    # "text" token is a verbatim slice of the source, which is what positions need.
    return MarkdownIt("commonmark").enable("table").disable("text_join")


@cache
def _block_parser() -> MarkdownIt:
    """markdown_parser() without the pass that parses every inline token's content: the
    builder parses it, with the same rules and link references, only where it is read
    (most prose is not: see _parsed_children)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").disable(["text_join", "inline"])


def parse_page(path: str, text: str, split: SplitResult | None = None) -> Page:
    """Parse normalised page text (``\\n`` newlines, no BOM). Never raises on any input.
    ``split`` is the text's front matter when the caller has split it already."""
    split = split if split is not None else split_front_matter(text)
    body = text[split.body_start :]
    line_starts = line_starts_of(text)
    builder = _Builder(text, split.body_start, line_starts)
    builder.walk(_block_parser().parse(body, builder.env))
    return Page(
        path=path,
        text=text,
        line_starts=line_starts,
        front_matter=split.front_matter,
        front_matter_problems=split.problems,
        body_start=split.body_start,
        blocks=tuple(builder.blocks),
        headings=tuple(builder.headings),
        comments=tuple(builder.comments),
        numeric_segments=tuple(builder.segments),
        prose=builder.all_prose,
    )


# Table cells share their line: they are located one after another, so they are built at once.
_CELLS = frozenset(("th_open", "td_open"))

_CONTAINER_CLOSE = {
    "paragraph_open": "paragraph_close",
    "heading_open": "heading_close",
    "bullet_list_open": "bullet_list_close",
    "ordered_list_open": "ordered_list_close",
    "blockquote_open": "blockquote_close",
    "table_open": "table_close",
}


class _Builder:
    """Turns the flat token stream into blocks, headings, prose runs and comments."""

    def __init__(self, text: str, body_start: int, line_starts: Sequence[int]) -> None:
        self.text = text
        self.body_start = body_start
        # Page offsets of the body's lines (markdown-it numbers lines from the body's start).
        first = bisect.bisect_left(line_starts, body_start)
        if first < len(line_starts) and line_starts[first] == body_start:
            self.line_offsets = list(line_starts[first:])
        else:  # front matter closed on the last line, with no newline: an empty body
            self.line_offsets = [body_start + start for start in line_starts_of(text[body_start:])]
        self.line_cursor: dict[int, int] = {}  # table cells share a line: search on from here
        self.blocks: list[Block] = []
        self.headings: list[Heading] = []
        self.runs: list[TextRun] = []
        self.segments: list[Segment] = []
        self._pieces: list[tuple[int, int]] = []  # the segment being built
        self._parts: list[str] = []
        self._length = 0
        self._last_end = 0
        self.comments: list[Comment] = []
        # Inline tokens whose prose is built only when all of it is read: where their runs and
        # segments go in the lists above, the token, and where it is if already located.
        self.deferred: list[tuple[int, int, Token, ContentMap | None]] = []
        self.env: dict[str, Any] = {}  # the block parser's: link reference definitions
        self.numeric_lines: set[int] = set()  # body lines with a digit
        self.inline_comments = False  # whether the page holds "<!--" anywhere

    def all_prose(self) -> tuple[tuple[TextRun, ...], tuple[Segment, ...]]:
        """Every prose run and segment in page order, building the deferred inline tokens.
        Top-level blocks share no line, and deferred tokens share none with any other inline
        token, so building them now locates them exactly as building them in turn would."""
        built_runs, built_segments = self.runs, self.segments
        self.runs, self.segments = [], []
        runs_done = segments_done = 0
        for runs_at, segments_at, token, where in self.deferred:
            self.runs += built_runs[runs_done:runs_at]
            self.segments += built_segments[segments_done:segments_at]
            runs_done, segments_done = runs_at, segments_at
            self._children(_parsed_children(token, self.env), token.content, where or self._locate(token)[0])
        self.runs += built_runs[runs_done:]
        self.segments += built_segments[segments_done:]
        self.deferred = []  # built: a second call gives the same
        return tuple(self.runs), tuple(self.segments)

    def line_offset(self, body_line: int) -> int:
        if body_line >= len(self.line_offsets):
            return len(self.text)
        return self.line_offsets[body_line]

    def line_text(self, body_line: int) -> str:
        start = self.line_offset(body_line)
        end = self.text.find("\n", start)
        return self.text[start : len(self.text) if end < 0 else end]

    def walk(self, tokens: Sequence[Token]) -> None:
        """One pass over the tokens: a top-level container (paragraph, heading, list, block
        quote, table) runs from its opening token to the level-0 token that closes it."""
        self.numeric_lines = self._numeric_lines()
        self.inline_comments = "<!--" in self.text
        close = ""  # the type that closes the open container, "" when none is open
        opened = 0
        kind = ""
        start = end = 0
        heading: Heading | None = None
        for position, token in enumerate(tokens):
            if token.level == 0:
                if not close:
                    close = _CONTAINER_CLOSE.get(token.type, "")
                    if not close:
                        self._leaf_block(token)
                        continue
                    opened, kind, heading = position, token.type[:-5], None
                    start, end = self._span(token)
                elif token.type == close:
                    close = ""
                    raw = ""
                    reads_as: str | Callable[[], str] = ""
                    if position - opened == 2:  # a paragraph or heading: open, inline, close
                        inline = tokens[opened + 1]
                        raw = inline.content
                        # Not a method of self: the builder holds the blocks, so that would be a
                        # cycle, and each page would wait for the cycle collector to be freed.
                        reads_as = heading.plain if heading else partial(_plain, inline, self.env)
                    self.blocks.append(Block(kind, start, end, raw, reads_as, heading if kind == "heading" else None))
                continue
            if token.type == "inline":
                before = tokens[position - 1]
                text_start = self._prose(token, before.type, start)
                if before.type == "heading_open":
                    heading = self._heading(before, token, text_start, kind != "heading")
            elif token.type == "html_block" and token.content.lstrip().startswith("<!--"):
                self.comments.append(self._block_comment(token))

    def _prose(self, token: Token, before: str, block_start: int) -> int:
        """Build an inline token's prose now if it may hold a number or a directive (or is a
        table cell); else only note where it goes. Return its first character's offset."""
        first_line, last_line = token.map or (0, 0)
        if (
            before in _CELLS
            or first_line in self.numeric_lines
            or (self.inline_comments and "<!--" in token.content)
            or not self.numeric_lines.isdisjoint(range(first_line + 1, last_line))
        ):
            return self._inline(token)
        # Most prose holds no number: it is built only if all prose is read. A heading's text
        # position is part of the Page, so a heading is located now.
        where, text_start = self._locate(token) if before == "heading_open" else (None, block_start)
        self.deferred.append((len(self.runs), len(self.segments), token, where))
        return text_start

    def _numeric_lines(self) -> set[int]:
        """The body lines that hold a decimal digit (numeric entities are written with digits;
        no escape or named entity stands for one)."""
        line_offsets = self.line_offsets
        return {bisect.bisect_right(line_offsets, at) - 1 for at in digit_offsets(self.text, self.body_start)}

    def _span(self, token: Token) -> tuple[int, int]:
        first, last = token.map or (0, 0)
        start = self.line_offset(first)
        end = self.line_offset(last) - 1 if last < len(self.line_offsets) else len(self.text)
        return start, max(start, end)

    def _leaf_block(self, token: Token) -> None:
        if token.level != 0 or token.map is None:
            return
        start, end = self._span(token)
        kind = token.type
        raw = token.content if kind == "html_block" else ""
        self.blocks.append(Block(kind, start, end, raw, ""))
        if kind == "html_block" and raw.lstrip().startswith("<!--"):
            self.comments.append(self._block_comment(token))

    def _block_comment(self, token: Token) -> Comment:
        """An HTML block holding a comment, located line by line: in a block quote or list
        item each source line carries markers and indent that the token's content lacks.
        Leading whitespace is dropped from each line, as markdown-it may have expanded tabs."""
        first_line = token.map[0] if token.map else 0
        lines = [line.lstrip() for line in token.content.rstrip("\n").split("\n")]
        starts = []
        for number, line in enumerate(lines):
            source = self.line_text(first_line + number)
            column = len(source) - len(line) if source.endswith(line) else max(0, source.find(line))
            starts.append(self.line_offset(first_line + number) + column)
        return Comment(starts[0], starts[-1] + len(lines[-1]), "\n".join(lines), tuple(starts))

    def _heading(self, opening: Token, inline: Token, text_start: int, nested: bool) -> Heading:
        start, end = self._span(opening)
        heading = Heading(
            level=int(opening.tag[1:]),
            raw=inline.content,
            plain=_plain(inline, self.env),
            start=start,
            end=end,
            text_start=text_start,
            text_end=text_start + len(inline.content.split("\n", 1)[0]),
            nested=nested,
        )
        self.headings.append(heading)
        return heading

    def _inline(self, token: Token) -> int:
        """Locate the inline content in the source, record its prose runs, and return the
        page offset of its first character."""
        where, text_start = self._locate(token)
        self._children(_parsed_children(token, self.env), token.content, where)
        return text_start

    def _locate(self, token: Token) -> tuple[ContentMap, int]:
        """Where the inline content's lines are in the page, and its first character."""
        content = token.content
        first_line = token.map[0] if token.map else 0
        # Most inline content is one source line; the general case below handles the rest.
        if token.map and token.map[1] - token.map[0] == 1 and "\n" not in content and content:
            where = self._one_line(first_line, content)
            return where, where.page_line_starts[0]
        lines = content.split("\n")
        # markdown-it trims Unicode spaces (no-break, thin, U+2028...) from both ends of the
        # content, so a first source line made only of them (after any list or quote marker:
        # "- \u2028") is not in ``content`` at all.
        last_line = token.map[1] if token.map else first_line + 1
        while (
            first_line + 1 < last_line
            and lines[0] not in (source := self.line_text(first_line))
            and _blank_after_markers(source)
        ):
            first_line += 1
        # Where each content line starts in the source (markdown-it strips markers and indent).
        where = ContentMap([], [], [])
        total = 0
        for number, line in enumerate(lines):
            body_line = first_line + number
            source = self.line_text(body_line)
            cursor = self.line_cursor.get(body_line, 0)
            column, width = locate(source, line, cursor)
            if width != len(line):  # escaped pipes: the source is longer than the content
                where.shifts.extend(total + index for index, char in enumerate(line) if char == "|")
            self.line_cursor[body_line] = column + width
            where.content_line_starts.append(total)
            where.page_line_starts.append(self.line_offset(body_line) + column)
            total += len(line) + 1
        return where, where.page_line_starts[0] if lines else self.line_offset(first_line)

    def _one_line(self, body_line: int, line: str) -> ContentMap:
        source = self.line_text(body_line)
        column, width = locate(source, line, self.line_cursor.get(body_line, 0))
        shifts = [index for index, char in enumerate(line) if char == "|"] if width != len(line) else []
        self.line_cursor[body_line] = column + width
        return ContentMap([0], [self.line_offset(body_line) + column], shifts)

    def _children(self, children: Sequence[Token], content: str, where: ContentMap) -> None:
        cursor = 0
        in_autolink = False
        runs = self.runs
        add_piece = self._add_piece
        for child in children:
            kind = child.type
            if kind == "text":
                text = child.content
                found = content.find(text, cursor)
                if found < 0 or not text:
                    continue
                cursor = found + len(text)
                if in_autolink:
                    continue
                # A text token never spans a newline: softbreaks split them.
                for start, piece in where.pieces(found, text):
                    page_offset = where.to_page(start)
                    runs.append(TextRun(page_offset, piece))
                    add_piece(page_offset, piece)
            elif kind in ("softbreak", "hardbreak"):
                if self._pieces:  # reads as a space; mapped to the end of the line before
                    add_piece(self._last_end, " ")
            elif kind == "text_special":
                found = content.find(child.markup, cursor)
                cursor = found + len(child.markup) if found >= 0 else cursor
                if found >= 0 and not in_autolink:  # an escape or entity reads as its character
                    add_piece(where.to_page(found), child.content)
            elif kind == "code_inline":
                cursor = skip_code_span(content, cursor, child.markup)
                self._end_segment()
            elif kind == "html_inline":
                found = content.find(child.content, cursor)
                self._end_segment()
                if found >= 0:
                    cursor = found + len(child.content)
                    if child.content.startswith("<!--"):
                        self.comments.append(_inline_comment(child.content, found, where))
            elif kind == "image":
                self._end_segment()
            elif kind == "link_open" and child.markup in ("autolink", "linkify"):
                in_autolink = True
                self._end_segment()
            elif kind == "link_close":
                in_autolink = False
        self._end_segment()

    def _add_piece(self, page_offset: int, text: str) -> None:
        self._pieces.append((self._length, page_offset))
        self._parts.append(text)
        self._length += len(text)
        self._last_end = page_offset + len(text)

    def _end_segment(self) -> None:
        if self._parts:
            self.segments.append(Segment("".join(self._parts), tuple(self._pieces)))
        self._pieces, self._parts, self._length = [], [], 0


def _parsed_children(inline: Token, env: dict[str, Any]) -> list[Token]:
    """The inline token's children, parsed on first use as markdown-it's own inline pass
    would parse them (same rules; ``env`` holds the page's link reference definitions)."""
    if not inline.children and inline.content:  # the block parser leaves them empty
        parser = _block_parser()
        inline.children = parser.inline.parse(inline.content, parser, env, [])
    return inline.children or []


def _plain(inline: Token, env: dict[str, Any]) -> str:
    """What a reader sees of inline content: its text, with markup removed."""
    if not inline.children and not env:  # no link references: the content alone decides
        return _plain_text(inline.content)
    return _reader_text(_parsed_children(inline, env))


@lru_cache(maxsize=4096)  # headings and disclaimers repeat from page to page
def _plain_text(content: str) -> str:
    """What a reader sees of inline content on a page without link reference definitions."""
    parser = _block_parser()
    return _reader_text(parser.inline.parse(content, parser, {}, []))


def _reader_text(children: Sequence[Token]) -> str:
    parts = []
    for child in children:
        if child.type in ("text", "text_special", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def _inline_comment(text: str, found: int, where: ContentMap) -> Comment:
    newlines = [index for index, char in enumerate(text) if char == "\n"]
    starts = (where.to_page(found), *(where.to_page(found + index + 1) for index in newlines))
    end = where.to_page(found + len(text) - 1) + 1
    return Comment(starts[0], end, text, starts)


_CONTAINER_MARKERS = " \t>-*+.)0123456789"  # block quote, bullet and ordered list markers


def _blank_after_markers(line: str) -> bool:
    """Whether a source line holds nothing but container markers and (Unicode) spaces."""
    rest = line.lstrip(_CONTAINER_MARKERS)
    return not rest or rest.isspace()
