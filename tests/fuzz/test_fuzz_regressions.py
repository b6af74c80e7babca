"""Inputs the fuzzers found (tests/fuzz/regressions/), checked without atheris.

Each file goes through every check of both harnesses (tests/fuzz/checks.py): lint with
every rule on, no internal error (MON000), every finding inside the page, and fixing, safe
and unsafe, that decodes and that a second fix leaves unchanged. The pages in content/ go
through the same checks, so a check that wrongly fails shows up here too.
"""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import pytest
from fuzz.checks import (
    DISPLAY,
    MODEL,
    SETTINGS,
    FuzzFailure,
    check_all,
    check_fix,
    check_lint,
    findings_inside,
    no_internal_error,
)

from validator.check.engine import check_bytes, file_finding
from validator.model.problems import Problem

ROOT = Path(__file__).resolve().parents[2]
REGRESSIONS = sorted((ROOT / "tests" / "fuzz" / "regressions").iterdir())
CONTENT = sorted((ROOT / "content").glob("*.md"))


def test_there_are_regressions() -> None:
    assert REGRESSIONS, "tests/fuzz/regressions/ holds the fuzzers' findings"


@pytest.mark.parametrize("path", REGRESSIONS, ids=[path.name for path in REGRESSIONS])
def test_regression(path: Path) -> None:
    check_all(path.read_bytes())


@pytest.mark.parametrize("path", CONTENT, ids=[path.name for path in CONTENT])
def test_content_pages_pass_the_fuzz_checks(path: Path) -> None:
    check_all(path.read_bytes())


# Inputs that take quadratic time, generated because they are large. Before the fixes in
# tests/fuzz/README.md each took 4 to 7 seconds on the development machine; after, 0.03 to 0.15.
SLOW_INPUTS = {
    # suppress._DIRECTIVE rescans from every '<!--' to the end of an unclosed comment.
    "unclosed-comment-of-directives": "<!--\n" + "<!-- monolint-disable\n" * 6000,
    # Comment.offset counts the newlines from the comment's start for every directive.
    "line-of-directives": "<!-- monolint-disable MON401 -->" * 14000 + "\n",
}
TIME_LIMIT_SECONDS = 1.5


@pytest.mark.parametrize("name", SLOW_INPUTS)
def test_no_quadratic_time(name: str) -> None:
    raw = SLOW_INPUTS[name].encode("utf-8")
    started = time.perf_counter()
    check_bytes(raw, DISPLAY, SETTINGS, MODEL)
    assert time.perf_counter() - started < TIME_LIMIT_SECONDS


def test_a_large_number_in_words_keeps_its_value() -> None:
    # Found while triaging dose-number-of-35-digits.md: MON407 divides at Decimal's default
    # 28-digit precision, so the unsafe fix of a 34-digit dose rounded the dose it rewrote.
    digits = "1234567890123456789012345678900000"
    findings = check_bytes(f"{digits} mg\n".encode(), DISPLAY, SETTINGS, MODEL)
    fixes = [finding.fix for finding in findings if finding.rule == "MON407" and finding.fix is not None]
    scales = dict(MODEL.doses.number_words)
    for fix in fixes:
        number, word = fix.edits[0].text.split()
        assert Decimal(number) * scales[word] == Decimal(digits), fix.edits[0].text


def test_an_internal_error_is_a_crash() -> None:
    findings = file_finding("page.md", Problem.INTERNAL_ERROR, "monolint failed on this file", SETTINGS)
    with pytest.raises(FuzzFailure, match="MON000"):
        no_internal_error(findings, "lint")


def test_a_finding_outside_the_page_is_a_failure() -> None:
    (finding,) = file_finding("page.md", Problem.NOT_UTF8, "a message", SETTINGS, line=2, column=5)
    findings_inside([finding], "line one\nline", "lint")  # the end of the last line is inside
    (outside,) = file_finding("page.md", Problem.NOT_UTF8, "a message", SETTINGS, line=2, column=6)
    with pytest.raises(FuzzFailure, match="outside the page"):
        findings_inside([outside], "line one\nline", "lint")


def test_bytes_that_are_not_utf8_pass() -> None:
    # A decode problem is a finding, not a crash, and such a page is never fixed.
    check_lint(b"\xff\xfe\x00")
    check_fix(b"caf\xe9", unsafe=True)
