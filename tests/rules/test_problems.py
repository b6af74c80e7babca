"""Problem kinds: the lower layers report what happened, validator/rules/problems.py says
which rule reports it, and the findings carry that rule."""

from __future__ import annotations

import pytest

from validator.check.engine import FAILURE_KINDS, check_bytes, file_finding, is_failure
from validator.config.selection import Layer, build_settings
from validator.content_model.load import load_content_model
from validator.model.problems import Problem
from validator.parse.front_matter import split_front_matter
from validator.parse.source import DecodeProblem, decode
from validator.rules.problems import RULE_FOR
from validator.rules.registry import ALL_RULES, BY_ID

MODEL = load_content_model()
SETTINGS = build_settings([])


def test_every_kind_has_a_registered_input_rule() -> None:
    assert set(RULE_FOR) == set(Problem)
    for kind, rule in RULE_FOR.items():
        assert BY_ID[rule.id] is rule, kind
        assert rule.category == "input", kind


def test_every_input_rule_without_a_check_reports_some_kind() -> None:
    """The engine reports those rules itself, so only a kind can bring them to a page."""
    unchecked = {rule.id for rule in ALL_RULES if rule.check is None and rule.compare is None}
    assert unchecked
    assert unchecked <= {rule.id for rule in RULE_FOR.values()}


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        (b"caf\xe9", Problem.NOT_UTF8),
        ("title: x\n".encode("utf-16"), Problem.NOT_UTF8),
        (b"ab\x00", Problem.BINARY),
    ],
)
def test_a_decode_problem_is_reported_by_the_rule_for_its_kind(raw: bytes, kind: Problem) -> None:
    problem = decode(raw)
    assert isinstance(problem, DecodeProblem) and problem.kind is kind
    assert [finding.rule for finding in check_bytes(raw, "page.md", SETTINGS, MODEL)] == [RULE_FOR[kind].id]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("# no front matter\n", Problem.FRONT_MATTER_MISSING),
        ("", Problem.FRONT_MATTER_MISSING),
        ("---\ntitle: X\n\n# never closed\n", Problem.FRONT_MATTER_UNCLOSED),
        ("---\ntitle: 'X\n---\n", Problem.FRONT_MATTER_INVALID_YAML),
        ("---\n- a\n- b\n---\n", Problem.FRONT_MATTER_NOT_MAPPING),
        ("---\ntitle: A\nlayout: b\ntitle: B\n---\n", Problem.FRONT_MATTER_DUPLICATE_KEY),
    ],
)
def test_a_front_matter_problem_is_reported_by_the_rule_for_its_kind(text: str, kind: Problem) -> None:
    """The input rules pick their problems by kind; this ties them to RULE_FOR."""
    assert [problem.kind for problem in split_front_matter(text).problems] == [kind]
    settings = build_settings([Layer(select=["input"])])
    found = [finding.rule for finding in check_bytes(text.encode(), "page.md", settings, MODEL)]
    assert found == [RULE_FOR[kind].id]


@pytest.mark.parametrize("kind", list(Problem))
def test_a_file_finding_carries_the_rule_for_its_kind(kind: Problem) -> None:
    # Reported whatever the selection: a file that could not be checked must not pass silently.
    settings = build_settings([Layer(select=["dose"])])
    (finding,) = file_finding("page.md", kind, "a message", settings, line=3, column=2)
    rule = RULE_FOR[kind]
    assert (finding.rule, finding.name, finding.category) == (rule.id, rule.name, rule.category)
    assert (finding.start.line, finding.start.column, finding.message) == (3, 2, "a message")


def test_failures_are_the_findings_of_the_failure_kinds() -> None:
    """A page could not be checked at all when monolint failed on it or hit a limit; the
    fixer stops on such a finding, and on no other."""
    assert set(FAILURE_KINDS) == {Problem.INTERNAL_ERROR, Problem.RESOURCE_LIMIT, Problem.WORKER_DIED}
    for kind in Problem:
        (finding,) = file_finding("page.md", kind, "a message", SETTINGS)
        assert is_failure(finding) is (finding.name in ("internal-error", "resource-limit")), kind
    (killed,) = file_finding("page.md", Problem.WORKER_DIED, "a message", SETTINGS)
    (undecodable,) = file_finding("page.md", Problem.NOT_UTF8, "a message", SETTINGS)
    assert is_failure(killed) and not is_failure(undecodable)
