"""Shared helpers for the fix tests (tests/fix/test_fix.py, tests/fix/test_fix_corpus.py).

Written independently of validator/fix/apply.py, so that the tests do not check the fixer
against itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

Span = tuple[int, int, str]  # start, end (exclusive), replacement: offsets into the page text


def read_cases(path: Path) -> list[tuple[int, str, str, str]]:
    """mdformat's fixture format: a title line, '.', the input, '.', the expected output,
    '.'. Returns (line number, title, input, expected) for each case."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    cases, marks = [], [number for number, line in enumerate(lines) if line.rstrip("\n") == "."]
    assert len(marks) % 3 == 0, f"{path}: the '.' lines must come in threes"
    for first, second, third in zip(marks[::3], marks[1::3], marks[2::3], strict=True):
        title = lines[first - 1].strip()
        cases.append((first, title, "".join(lines[first + 1 : second]), "".join(lines[second + 1 : third])))
    return cases


def line_starts(text: str) -> list[int]:
    return [0] + [index + 1 for index, char in enumerate(text) if char == "\n"]


def offset(starts: Sequence[int], line: int, column: int) -> int:
    """A 1-based line and code-point column of the JSON report, as an offset into the text."""
    return starts[line - 1] + column - 1


def json_edits(text: str, fix: Mapping[str, Any]) -> list[Span]:
    """The edits of one JSON fix as offsets into ``text``."""
    starts = line_starts(text)
    return [
        (
            offset(starts, edit["line"], edit["column"]),
            offset(starts, edit["end_line"], edit["end_column"]),
            edit["text"],
        )
        for edit in fix["edits"]
    ]


def _overlap(a: Span, b: Span) -> bool:
    same_insertion = a[0] == a[1] == b[0] == b[1]
    return same_insertion or (a[0] < b[1] and b[0] < a[1])


def apply_first_wins(text: str, fixes: Iterable[Sequence[Span]]) -> tuple[str, bool]:
    """Apply whole fixes in order, skipping a fix whose edits overlap one already taken.
    Returns the text and whether any fix was skipped (a conflict)."""
    taken: list[Span] = []
    skipped = False
    for edits in fixes:
        if any(_overlap(edit, other) for edit in edits for other in taken):
            skipped = True
            continue
        taken.extend(edits)
    parts, cursor = [], 0
    for start, end, replacement in sorted(taken, key=lambda edit: (edit[0], edit[1])):
        parts += [text[cursor:start], replacement]
        cursor = end
    return "".join(parts) + text[cursor:], skipped


def _regions(spans: Iterable[Span]) -> list[tuple[int, int]]:
    """Spans merged where they overlap or touch."""
    merged: list[list[int]] = []
    for start, end, _ in sorted(spans, key=lambda edit: (edit[0], edit[1])):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def changed_only_inside(old: str, new: str, spans: Iterable[Span]) -> bool:
    """True when ``new`` is ``old`` with only the characters inside ``spans`` (and text
    inserted at them) changed: the text between the spans survives, in order."""
    cursor, kept = 0, []
    for start, end in _regions(spans):
        kept.append(old[cursor:start])
        cursor = end
    kept.append(old[cursor:])
    pattern = "(?:.*?)".join(re.escape(segment) for segment in kept)
    return re.fullmatch(pattern, new, re.DOTALL) is not None
