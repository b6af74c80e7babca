"""Meta-tests: every rule is documented, named consistently, has a failing and a passing
fixture, and docs/rules.md is the documentation the rules generate."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml
from jsonschema import Draft202012Validator

from validator.docs.rules_doc import rules_markdown
from validator.model.finding import Severity
from validator.rules.base import CATEGORIES, Rule
from validator.rules.registry import ALL_RULES, BY_ID, BY_NAME

if TYPE_CHECKING:
    from conftest import Lint

ROOT = Path(__file__).resolve().parents[1]
RULE_FIXTURES = Path(__file__).parent / "fixtures" / "rules"
# Reported by the engine when a file cannot become a page; every other rule has a check.
ENGINE_RULES = {"MON000", "MON001", "MON002", "MON003", "MON009", "MON010", "MON011"}
CHECKED = [rule for rule in ALL_RULES if rule.check is not None]
# MON012 needs more than 10,000 doses on a page: its docs describe such a page, and its fixture
# (tests/fixtures/rules/MON012) is one.
EXAMPLES = [rule for rule in CHECKED if rule.id != "MON012"]
# MON000 needs a bug to fire; MON010 needs a read-only folder, so tests/test_fix.py covers it;
# MON011 needs a resource limit, so tests/test_resource_limits.py covers it.
FIXTURED = [rule for rule in ALL_RULES if rule.id not in ("MON000", "MON010", "MON011")]


def _ids(rules: list[Rule]) -> list[str]:
    return [rule.id for rule in rules]


def test_ids_are_unique_and_well_formed() -> None:
    ids = [rule.id for rule in ALL_RULES]
    assert len(ids) == len(set(ids)) == len(BY_ID)
    assert [rule_id for rule_id in ids if not re.fullmatch(r"MON\d{3}", rule_id)] == []
    assert ids == sorted(ids), "the registry lists rules by id"


def test_names_are_unique_kebab_case() -> None:
    names = [rule.name for rule in ALL_RULES]
    assert len(names) == len(set(names)) == len(BY_NAME)
    assert [name for name in names if not re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", name)] == []


def test_only_engine_rules_have_no_check() -> None:
    assert {rule.id for rule in ALL_RULES if rule.check is None} == ENGINE_RULES


@pytest.mark.parametrize("rule", ALL_RULES, ids=_ids(list(ALL_RULES)))
def test_rule_is_documented(rule: Rule) -> None:
    assert rule.category in CATEGORIES
    assert isinstance(rule.severity, Severity)
    for field in ("summary", "rationale", "bad", "good"):
        assert getattr(rule, field).strip(), f"{rule.id} has no {field}"
    assert "\n" not in rule.summary
    assert not rule.summary.endswith("."), "the generated docs add the full stop"
    assert rule.bad != rule.good


@pytest.mark.parametrize("rule", ALL_RULES, ids=_ids(list(ALL_RULES)))
def test_option_defaults_satisfy_their_schema(rule: Rule) -> None:
    schema = {"type": "object", "properties": dict(rule.options), "additionalProperties": False}
    Draft202012Validator.check_schema(schema)
    assert list(Draft202012Validator(schema).iter_errors(rule.defaults)) == []


@pytest.mark.parametrize("rule", FIXTURED, ids=_ids(FIXTURED))
def test_rule_has_failing_and_passing_fixtures(rule: Rule) -> None:
    folder = RULE_FIXTURES / rule.id
    assert list(folder.glob("pass-*.md")), f"{rule.id} has no passing page"
    expected = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    failing = [name for name, specs in expected.items() if any(spec.startswith(f"{rule.id} ") for spec in specs)]
    assert failing, f"{rule.id} has no failing page"
    assert all((folder / name).exists() for name in failing)


def test_fixture_folders_name_rules() -> None:
    assert sorted(path.name for path in RULE_FIXTURES.iterdir() if path.is_dir()) == _ids(FIXTURED)


@pytest.mark.parametrize("rule", EXAMPLES, ids=_ids(EXAMPLES))
def test_bad_example_fails_and_good_example_passes(rule: Rule, lint: Lint) -> None:
    # Every example, snippet or full page, is linted as a page; only this rule's findings count.
    # A rule that is off by default is selected, as the user its examples are for would.
    select = [] if rule.default_enabled else [rule.id]
    assert [f for f in lint(rule.bad, select=select) if f.rule == rule.id], f"{rule.id}: its bad example passes"
    assert [f.to_dict() for f in lint(rule.good, select=select) if f.rule == rule.id] == []
    if not rule.default_enabled:
        assert [f.to_dict() for f in lint(rule.bad) if f.rule == rule.id] == [], f"{rule.id} is on by default"


def test_docs_rules_md_is_generated_from_the_rules() -> None:
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == rules_markdown()
