"""Suppression comments: disable, enable, disable-next-line and disable-line, by rule id,
name, prefix or category, and MON009 for a comment that names no known rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers_cli import CLEAN_PAGE, DOSE_LINE, run, write_tree

from validator.api import lint_text
from validator.config.files import Config

L = DOSE_LINE  # the first line of the body put in the Dosage section


def _lint(body: str) -> list[tuple[str, int, int]]:
    """Findings of CLEAN_PAGE with ``body`` as its Dosage section text."""
    text = CLEAN_PAGE.replace("Take 500 mg every 4 to 6 hours when needed.", body)
    findings = lint_text(text, "page.md", Config(root=Path.cwd(), source=None))
    return [(finding.rule, finding.start.line, finding.start.column) for finding in findings]


CASES = [
    pytest.param("Take 5mg.\nTake 6mg.", [("MON401", L, 6), ("MON401", L + 1, 6)], id="no-comment"),
    pytest.param(
        "<!-- monolint-disable-next-line MON401 -->\nTake 5mg.\nTake 6mg.",
        [("MON401", L + 2, 6)],
        id="next-line-by-id",
    ),
    pytest.param("<!-- monolint-disable-next-line dose-no-space -->\nTake 5mg.", [], id="next-line-by-name"),
    pytest.param("<!-- monolint-disable-next-line MON4 -->\nTake 5mg.", [], id="next-line-by-prefix"),
    pytest.param("<!-- monolint-disable-next-line dose -->\nTake 5mg.", [], id="next-line-by-category"),
    pytest.param("<!-- monolint-disable-next-line mon401 -->\nTake 5mg.", [], id="id-in-lower-case"),
    pytest.param(
        "<!-- monolint-disable-next-line MON402 -->\nTake 5mg.", [("MON401", L + 1, 6)], id="next-line-other-rule"
    ),
    pytest.param(
        "Take 5mg. <!-- monolint-disable-line MON401 -->\nTake 6mg.", [("MON401", L + 1, 6)], id="line-inline"
    ),
    pytest.param(
        "- Take 5mg. <!-- monolint-disable-line MON401 -->\n- Take 6mg.", [("MON401", L + 1, 8)], id="line-in-list"
    ),
    pytest.param(
        "<!-- monolint-disable-next-line MON401, MON402 -->\nTake 5.0mg.\n\nTake 5.0mg.",
        [("MON401", L + 3, 6), ("MON402", L + 3, 6)],
        id="several-rules-comma",
    ),
    pytest.param(
        "<!-- monolint-disable-next-line MON401 dose-trailing-zero -->\nTake 5.0mg.", [], id="several-rules-space"
    ),
    pytest.param("<!-- monolint-disable-next-line -->\nTake 5.0mg.", [], id="next-line-no-rule-is-all"),
    pytest.param(
        "<!-- monolint-disable MON401 -->\n\nTake 5mg.\n\n<!-- monolint-enable MON401 -->\n\nTake 6mg.",
        [("MON401", L + 6, 6)],
        id="disable-enable",
    ),
    pytest.param(
        "<!-- monolint-disable dose-no-space -->\n\nTake 5mg.\n\n<!-- monolint-enable MON401 -->\n\nTake 6mg.",
        [("MON401", L + 6, 6)],
        id="disable-by-name-enable-by-id",
    ),
    pytest.param(
        "<!-- monolint-disable -->\n\nTake 5mg.\n\n<!-- monolint-enable -->\n\nTake 6mg.",
        [("MON401", L + 6, 6)],
        id="disable-all-enable-all",
    ),
    pytest.param(
        "<!-- monolint-disable -->\n\nTake 5.0mg.\n\n<!-- monolint-enable MON401 -->\n\nTake 6.0mg.",
        [("MON401", L + 6, 6)],
        id="disable-all-enable-one",
    ),
    pytest.param(
        "<!-- monolint-disable MON401 -->\n\nTake 5mg.\n\n<!-- monolint-enable -->\n\nTake 6mg.",
        [("MON401", L + 6, 6)],
        id="disable-one-enable-all",
    ),
    pytest.param(
        "<!-- monolint-disable MON401 -->\n\nTake 5mg.\n\nTake 6mg.\n\n### Storage\n\nTake 7mg.",
        [("MON210", L + 6, 1)],
        id="disable-without-enable-runs-to-the-end",
    ),
    pytest.param("<!-- monolint-enable MON401 -->\n\nTake 5mg.", [("MON401", L + 2, 6)], id="enable-without-disable"),
    pytest.param(
        "<!-- monolint-disable-next-line MON999 -->\nTake 5mg.",
        [("MON009", L, 1), ("MON401", L + 1, 6)],
        id="unknown-id",
    ),
    pytest.param(
        "<!-- monolint-disable-next-line no-such-rule MON401 -->\nTake 5mg.",
        [("MON009", L, 1)],
        id="unknown-name-does-not-stop-the-known-one",
    ),
    pytest.param("Text. <!-- monolint-disable nope -->", [("MON009", L, 7)], id="unknown-in-inline-comment"),
    pytest.param("```\n<!-- monolint-disable -->\n```\n\nTake 5mg.", [("MON401", L + 4, 6)], id="not-in-code-block"),
    pytest.param(
        "Use `<!-- monolint-disable -->` to silence.\n\nTake 5mg.", [("MON401", L + 2, 6)], id="not-in-code-span"
    ),
    pytest.param("<!--\nmonolint-disable-next-line MON401\n-->\nTake 5mg.", [], id="multi-line-comment"),
    pytest.param(
        "- item\n\n  <!--\n  monolint-disable-next-line MON401\n  -->\n  Take 5mg.\n  Take 6mg.",
        [("MON401", L + 6, 8)],
        id="multi-line-comment-in-list",
    ),
    pytest.param(
        "> <!--\n> monolint-disable-next-line MON401\n> -->\n> Take 5mg.\n> Take 6mg.",
        [("MON401", L + 4, 8)],
        id="multi-line-comment-in-quote",
    ),
    pytest.param(
        "> <!--\n> monolint-disable-next-line nope\n> -->\n> Take 5mg.",
        [("MON009", L, 3), ("MON401", L + 3, 8)],
        id="unknown-in-quote-at-its-own-position",
    ),
    pytest.param(
        "<!-- monolint-disable-next-line MON401 --><!-- monolint-disable-line MON402 -->\nTake 5.0mg.",
        [("MON402", L + 1, 6)],
        id="two-directives-one-line",
    ),
]


@pytest.mark.parametrize(("body", "expected"), CASES)
def test_suppression(body: str, expected: list[tuple[str, int, int]]) -> None:
    assert _lint(body) == expected


def test_bad_suppression_is_itself_a_rule_that_can_be_ignored(tmp_path: Path) -> None:
    text = CLEAN_PAGE.replace("Take 500 mg", "<!-- monolint-disable-next-line MON999 -->\nTake 500 mg")
    write_tree(tmp_path, {"page.md": text})
    shown = run(["--isolated", "page.md"], tmp_path)
    assert shown.findings() == [("page.md", L, 1, "MON009")]
    assert shown.code == 0  # a warning
    assert run(["--isolated", "--ignore", "bad-suppression", "page.md"], tmp_path).findings() == []


def test_a_suppression_comment_cannot_hide_bad_suppression() -> None:
    body = "<!-- monolint-disable -->\n\n<!-- monolint-disable-next-line MON999 -->\nTake 5mg."
    assert _lint(body) == [("MON009", L + 2, 1)]
