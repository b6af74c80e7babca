"""A page's cost is bounded by its size (issue 12): what grows, grows linearly, and what a
finding keeps alive is the finding. Nothing here is timed: `benchmarks/big_page.py` measures
seconds and megabytes; these tests count function calls and traced bytes, which do not
depend on the machine's load."""

from __future__ import annotations

import json
import random
import sys
import tracemalloc
from collections.abc import Callable
from types import FrameType
from typing import Any

import pytest

from validator.api import lint_text
from validator.check.suppress import Suppressions
from validator.fix.safety_net import _touches
from validator.model.finding import Finding
from validator.report.formats import Style, chunk_renderer, summarize
from validator.run.cache import _encode, _json_entry, _json_entry_chunks

FRONT = "---\nlayout: minimal-medicine\ntitle: X\n---\n\n# X\n\n"
SHAPES: dict[str, Callable[[int], str]] = {
    # The page: one line of doses run into their unit.
    "one line": lambda doses: FRONT + "word 5mg " * doses + "\n",
    # The same doses, one paragraph each: as many blocks and segments as doses.
    "paragraphs": lambda doses: FRONT + "".join(f"Take 5mg daily ({index}).\n\n" for index in range(doses)),
    # Each of them suppressed: as many suppressed lines as findings.
    "suppressed": lambda doses: (
        FRONT
        + "".join(f"<!-- monolint-disable-next-line MON401 -->\nTake 5mg ({index}).\n\n" for index in range(doses))
    ),
}


def _report(findings: list[Finding]) -> None:
    summary = summarize(findings, 1)
    for name in ("text", "json"):
        for _ in chunk_renderer(name)(findings, summary, Style(), None):  # type: ignore[arg-type]
            pass


def _steps(action: Callable[[], object]) -> int:
    """How many lines of Python and calls of built-in functions ``action`` runs: a count of
    its work that is the same on any machine, however loaded."""
    count = 0

    def trace(frame: FrameType, event: str, arg: Any) -> Callable[..., Any]:
        nonlocal count
        count += 1
        return trace

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal count
        if event == "c_call":
            count += 1

    sys.settrace(trace)
    sys.setprofile(profile)
    try:
        action()
    finally:
        sys.setprofile(None)
        sys.settrace(None)
    return count


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_work_grows_linearly_with_the_doses_on_a_page(shape: str) -> None:
    def check_and_report(doses: int) -> Callable[[], None]:
        text = SHAPES[shape](doses)
        return lambda: _report(lint_text(text, "page.md"))

    check_and_report(10)()  # imports and compiled patterns are not the page's cost
    small, large = _steps(check_and_report(250)), _steps(check_and_report(2000))
    # Linear work gives 8 at most (less, with what every page costs); a step that walks
    # the page or the findings for each finding gives 64.
    assert large / small < 9


@pytest.mark.parametrize("shape", ["one line", "paragraphs"])
def test_findings_are_all_a_checked_page_leaves_in_memory(shape: str) -> None:
    text = SHAPES[shape](4000)
    lint_text(text, "page.md")  # imports, compiled patterns, the caches of the content model
    tracemalloc.start()
    try:
        findings = lint_text(text, "page.md")
        kept, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(findings) >= 4000
    # A finding with its fix and positions is about 700 bytes. The page, its parse and its
    # quantities (about 1,500 bytes a dose more) must go with the page once it is checked,
    # not stay in a cache until the next page: the report is written while they would.
    assert kept / len(findings) < 1000


def test_the_json_report_is_what_json_dumps_writes() -> None:
    text = FRONT + '## Dosage\n\nTake 5mg «ʒ» or .5 mg qd, "quoted" \\ and 10000 units.\n\nDisclaimer\n'
    findings = lint_text(text, "página.md")
    assert any(finding.fix is not None for finding in findings)
    summary = summarize(findings, 1)
    document = {"findings": [finding.to_dict() for finding in findings], "summary": summary.to_dict()}
    expected = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    assert "".join(chunk_renderer("json")(findings, summary, Style(), None)) == expected  # type: ignore[arg-type]
    empty = summarize([], 1)
    document = {"findings": [], "summary": empty.to_dict()}
    expected = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    assert "".join(chunk_renderer("json")([], empty, Style(), None)) == expected  # type: ignore[arg-type]


def test_a_cache_entry_written_in_pieces_is_the_entry() -> None:
    findings = lint_text(FRONT + "word 5mg, .5 mg and 10000 units " * 3000, "page.md")
    assert len(findings) > 4096  # more than one piece
    for some in (findings[:0], findings[:1], findings):
        entry = {"used": 20_000, "findings": [_encode(finding) for finding in some]}
        assert "".join(_json_entry_chunks("key", 20_000, tuple(some))) == _json_entry("key", entry)


def test_touches_finds_what_a_walk_over_every_edit_finds() -> None:
    rng = random.Random(12)
    for _ in range(300):
        # Edits in page order, not overlapping: line spans whose starts and ends ascend.
        edits, line = [], 0
        for _ in range(rng.randrange(6)):
            line += rng.randrange(3)
            end = line + rng.randrange(3) + 1
            edits.append((line, end))
            line = end - 1 + rng.randrange(2)
        start = rng.randrange(12)
        lines = (start, start + rng.randrange(1, 4))
        walked = any(first < lines[1] and lines[0] < last for first, last in edits)
        assert _touches(lines, edits) == walked, (lines, edits)


def test_suppressions_cover_what_their_ranges_cover() -> None:
    rng = random.Random(12)
    for _ in range(300):
        ranges = []
        for _ in range(rng.randrange(6)):
            first = rng.randrange(1, 15)
            ranges.append((rng.choice(("MON401", "MON402")), first, first + rng.randrange(4)))
        suppressed = Suppressions(tuple(ranges), ())
        for line in range(1, 20):
            for rule in ("MON401", "MON402"):
                walked = any(r == rule and first <= line <= last for r, first, last in ranges)
                assert suppressed.covers(rule, line) == walked, (rule, line, ranges)
