"""The fixes' safety net, in mdformat's spirit: fixes change words, not the page's structure.

Both texts are parsed with the page parser's markdown-it configuration, and their token
streams (type, tag, nesting, level, markup, for blocks and for the inline tokens inside
them) must match. A fix may change structure only in the ways fixes are meant to:

- an edit that turns one run of '#' into another changes that heading's level;
- an edit that removes or writes inline markup ('**Disclaimer:**') restructures the inline
  content of the block it touches;
- an unsafe fix made only of insertions (an inserted title, an appended disclaimer) adds
  whole blocks where it inserts.

Anything else means a fix is wrong, and the caller refuses to write the result.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from validator.model.finding import Edit, Fix
from validator.model.page import line_starts_of
from validator.parse.front_matter import split_front_matter
from validator.parse.markdown import markdown_parser

if TYPE_CHECKING:
    from markdown_it.token import Token

# Characters that can open or close inline markup (emphasis, code, links, HTML, escapes,
# entities, table cells). An edit without them cannot legitimately restructure a line.
_INLINE_MARKUP = frozenset("*_`[]<>!\\&~|")

Key = tuple[str, str, int, int, str, bool]
Lines = tuple[int, int]  # 0-based lines of the whole text, end exclusive


@dataclass(frozen=True)
class _Token:
    key: Key
    content: str  # of an inline token: its Markdown source
    lines: Lines


@dataclass(frozen=True)
class _Parsed:
    tokens: tuple[_Token, ...]
    env: dict[str, Any]  # link reference definitions, which inline parsing depends on


def _key(token: Token) -> Key:
    return (token.type, token.tag, token.nesting, token.level, token.markup, token.hidden)


@lru_cache(maxsize=8)
def _parse(text: str) -> _Parsed:
    """The block tokens of the page body. Inline content is parsed only where it changed
    (see ``_inline``): that halves the cost of the check."""
    body_start = split_front_matter(text).body_start
    first_line = text.count("\n", 0, body_start)
    parser = markdown_parser()
    env: dict[str, Any] = {}
    tokens: list[Token] = []
    parser.block.parse(text[body_start:], parser, env, tokens)
    result = []
    lines = (first_line, first_line + 1)
    for token in tokens:
        if token.map is not None:  # closing tokens have no map: they share their opener's
            lines = (first_line + token.map[0], first_line + token.map[1])
        result.append(_Token(_key(token), token.content if token.type == "inline" else "", lines))
    return _Parsed(tuple(result), env)


def _inline(content: str, env: dict[str, Any]) -> tuple[Key, ...]:
    (inline,) = markdown_parser().parseInline(content, dict(env))
    return tuple(_key(child) for child in inline.children or ())


def _line_of(starts: Sequence[int], offset: int) -> int:
    return bisect.bisect_right(starts, offset) - 1


def _edit_lines(text: str, spans: Iterable[tuple[int, int]]) -> list[Lines]:
    starts = line_starts_of(text)
    return [(_line_of(starts, start), _line_of(starts, end) + 1) for start, end in spans]


def _touches(lines: Lines, edits: Sequence[Lines]) -> bool:
    """Whether any of ``edits`` overlaps ``lines``. The edits are in page order and do not
    overlap, so their starts and their ends both ascend: the first edit that ends after
    ``lines`` start is the only one to look at (a bisection, not a walk over every edit for
    each block of a page with thousands of fixes)."""
    index = bisect.bisect_right(edits, lines[0], key=lambda edit: edit[1])
    return index < len(edits) and edits[index][0] < lines[1]


def _after_spans(edits: Sequence[Edit]) -> list[tuple[int, int]]:
    """Where each edit's new text lies in the edited text (edits sorted, not overlapping)."""
    spans, delta = [], 0
    for edit in edits:
        spans.append((edit.start + delta, edit.start + delta + len(edit.text)))
        delta += len(edit.text) - (edit.end - edit.start)
    return spans


def _is_level_edit(before: str, edit: Edit) -> bool:
    old = before[edit.start : edit.end]
    return bool(old) and bool(edit.text) and set(old) == set(edit.text) == {"#"}


def _is_markup_edit(before: str, edit: Edit) -> bool:
    return not _INLINE_MARKUP.isdisjoint(before[edit.start : edit.end] + edit.text)


def _same_but_level(a: _Token, b: _Token) -> bool:
    """Two heading tokens that differ at most in their level (tag 'h2'/'h3', markup '##')."""
    return a.key[0] == b.key[0] and a.key[0] in ("heading_open", "heading_close") and a.key[2:4] == b.key[2:4]


def _whole_blocks(tokens: Sequence[_Token]) -> bool:
    return bool(tokens) and tokens[0].key[3] == 0 and sum(token.key[2] for token in tokens) == 0


def _line_shift(before: str, edits: Sequence[Edit]) -> Callable[[int], int]:
    """Where a line of ``before`` is after the edits: the edits that end at or before its
    start add or remove newlines above it. ``edits`` are sorted and do not overlap."""
    starts = line_starts_of(before)
    ends = [edit.end for edit in edits]
    shifts = list(accumulate(edit.text.count("\n") - before.count("\n", edit.start, edit.end) for edit in edits))

    def shifted(line: int) -> int:
        done = bisect.bisect_right(ends, starts[min(line, len(starts) - 1)])
        return line + (shifts[done - 1] if done else 0)

    return shifted


def _by_line(tokens: Iterable[_Token], line_of: Callable[[int], int]) -> dict[int, list[_Token]]:
    groups: dict[int, list[_Token]] = {}
    for token in tokens:
        groups.setdefault(line_of(token.lines[0]), []).append(token)
    return groups


def structure_problem(before: str, after: str, fixes: Sequence[Fix]) -> str | None:
    """Why ``after`` (``before`` with ``fixes`` applied) is not structurally what the fixes
    allow, or None when it is. The fixes' edits must not overlap.

    Tokens are paired by the line they start on, once the lines of ``before`` are shifted
    by the newlines the edits add or remove; a line with tokens on one side only is a block
    that was added or removed.
    """
    if before == after:
        return None
    edits = sorted((edit for fix in fixes for edit in fix.edits), key=lambda edit: (edit.start, edit.end))
    parsed_old, parsed_new = _parse(before), _parse(after)
    old = _by_line(parsed_old.tokens, _line_shift(before, edits))
    new = _by_line(parsed_new.tokens, lambda line: line)
    # Only insertions by unsafe fixes may add blocks, and only where they insert.
    inserting = {
        edit for fix in fixes if not fix.safe and all(e.start == e.end for e in fix.edits) for edit in fix.edits
    }
    inserted_lines = _edit_lines(
        after, (span for edit, span in zip(edits, _after_spans(edits), strict=True) if edit in inserting)
    )
    level_lines = _edit_lines(before, ((e.start, e.end) for e in edits if _is_level_edit(before, e)))
    markup_lines = _edit_lines(before, ((e.start, e.end) for e in edits if _is_markup_edit(before, e)))
    same_references = parsed_old.env == parsed_new.env
    for line in sorted(old.keys() | new.keys()):
        olds, news = old.get(line, []), new.get(line, [])
        if not olds and _whole_blocks(news) and _touches(news[0].lines, inserted_lines):
            continue
        if len(olds) != len(news):
            return _message((olds or news)[0], "blocks were added or removed")
        for a, b in zip(olds, news, strict=True):
            if a.key != b.key and not (_same_but_level(a, b) and _touches(a.lines, level_lines)):
                return _message(a, f"'{a.key[0]}' became '{b.key[0]}'" if a.key[0] != b.key[0] else "a block changed")
            if a.key[0] != "inline" or (a.content == b.content and same_references):
                continue  # the same source under the same references parses the same
            if _inline(a.content, parsed_old.env) != _inline(b.content, parsed_new.env) and not _touches(
                a.lines, markup_lines
            ):
                return _message(a, "its inline markup changed")
    return None


def _message(token: _Token, what: str) -> str:
    return f"the fixes would change the Markdown structure near line {token.lines[0] + 1} ({what})"
