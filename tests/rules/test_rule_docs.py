"""Meta-tests: every rule is documented, named consistently, has a failing and a passing
fixture, its examples (validator/rules/examples/) are fixtures too, and docs/rules.md is the
documentation the rules generate."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml
from jsonschema import Draft202012Validator

from validator.docs.rules_doc import rules_markdown
from validator.model.finding import Severity
from validator.rules.base import CATEGORIES, Rule
from validator.rules.example_files import ExampleError, example_ids, examples, parse_examples
from validator.rules.registry import ALL_RULES, BY_ID, BY_NAME

if TYPE_CHECKING:
    from conftest import Lint

ROOT = Path(__file__).resolve().parents[2]
RULE_FIXTURES = Path(__file__).parent.parent / "fixtures" / "rules"
# Reported by the engine when a file cannot become a page; every other rule has a check.
ENGINE_RULES = {"MON000", "MON001", "MON002", "MON003", "MON009", "MON010", "MON011"}
# No page text shows these rules, so their examples describe a file or a run (```text): a bug
# (MON000), an unreadable, non-UTF-8 or binary file (MON001-MON003), a read-only folder (MON010),
# a resource limit (MON011), and more than 10,000 doses on a page (MON012, whose fixture in
# tests/fixtures/rules/MON012 is one). Every other rule's examples are pages, linted below.
# The rules that compare pages (MON601, MON602) need several pages: their fixtures are folders
# of pages in tests/fixtures/site/, linted together by tests/check/test_site.py.
SITE_RULES = {"MON601", "MON602"}
DESCRIBED = {"MON000", "MON001", "MON002", "MON003", "MON010", "MON011", "MON012", *SITE_RULES}
EXAMPLES = [rule for rule in ALL_RULES if rule.id not in DESCRIBED]
# MON000 needs a bug to fire; MON010 needs a read-only folder, so tests/fix/test_fix.py covers it;
# MON011 needs a resource limit, so tests/check/test_resource_limits.py covers it.
FIXTURED = [rule for rule in ALL_RULES if rule.id not in ("MON000", "MON010", "MON011", *SITE_RULES)]


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
    assert {rule.id for rule in ALL_RULES if rule.check is None and rule.compare is None} == ENGINE_RULES


def test_rules_that_compare_pages_are_the_site_category_and_read_no_page() -> None:
    site = {rule.id for rule in ALL_RULES if rule.category == "site"}
    assert site == {rule.id for rule in ALL_RULES if rule.compare is not None} == SITE_RULES
    assert all(rule.check is None for rule in ALL_RULES if rule.compare is not None)


@pytest.mark.parametrize("rule", ALL_RULES, ids=_ids(list(ALL_RULES)))
def test_rule_is_documented(rule: Rule) -> None:
    assert rule.category in CATEGORIES
    assert isinstance(rule.severity, Severity)
    for field in ("summary", "rationale"):
        assert getattr(rule, field).strip(), f"{rule.id} has no {field}"
    assert "\n" not in rule.summary
    assert not rule.summary.endswith("."), "the generated docs add the full stop"


def test_every_rule_has_an_example_file_and_every_example_file_names_a_rule() -> None:
    files = set(example_ids())
    assert sorted(set(BY_ID) - files) == [], "rules without validator/rules/examples/<id>.md"
    assert sorted(files - set(BY_ID)) == [], "example files named after no rule"


@pytest.mark.parametrize("rule", ALL_RULES, ids=_ids(list(ALL_RULES)))
def test_rule_has_a_bad_and_a_different_good_example(rule: Rule) -> None:
    pair = examples(rule.id)
    assert pair.bad.text.strip(), f"{rule.id} has no bad example"
    assert pair.good.text.strip(), f"{rule.id} has no good example"
    assert pair.bad.text != pair.good.text
    assert pair.bad.language == pair.good.language, "both examples are pages, or both describe one"


def test_only_rules_no_page_can_show_have_described_examples() -> None:
    # A page example must not quietly become a description the tests do not lint.
    assert {rule.id for rule in ALL_RULES if not examples(rule.id).bad.is_page} == DESCRIBED


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
    pair = examples(rule.id)
    select = [] if rule.default_enabled else [rule.id]
    assert [f for f in lint(pair.bad.text, select=select) if f.rule == rule.id], f"{rule.id}: its bad example passes"
    assert [f.to_dict() for f in lint(pair.good.text, select=select) if f.rule == rule.id] == []
    if not rule.default_enabled:
        assert [f.to_dict() for f in lint(pair.bad.text) if f.rule == rule.id] == [], f"{rule.id} is on by default"


def test_example_file_format() -> None:
    # A longer fence holds a code fence; blank lines around the parts do not count; the good
    # example may come first; a final newline of the example is kept.
    text = "\nGood:\n```text\nfine\n\n```\n\nBad:\n\n````markdown\n```\ncode\n```\n````\n\n"
    pair = parse_examples(text, "MON999.md")
    assert (pair.bad.text, pair.bad.language, pair.bad.is_page) == ("```\ncode\n```", "markdown", True)
    assert (pair.good.text, pair.good.language, pair.good.is_page) == ("fine\n", "text", False)
    assert parse_examples(text.replace("\n", "\r\n"), "MON999.md") == pair


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("Bad:\n```markdown\nx\n```\n", "MON999.md: expected 'Good:' after the last example"),
        ("Bad:\n```markdown\nx\n```\nBad:\n```markdown\ny\n```\n", "MON999.md:5: expected 'Good:', found 'Bad:'"),
        ("Bad:\n```markdown\nx\n```\nGood:\n```markdown\ny\n```\nmore", "MON999.md:9: expected the end of the file"),
        ("Bad:\nx\n", "MON999.md:2: expected a fence such as '```markdown' or '```text'"),
        ("Bad:\n```python\nx\n```\n", "MON999.md:2: expected a fence"),
        ("Bad:\n````markdown\nx\n```\n", "MON999.md:2: the fence is never closed by a line '````'"),
        ("Bad:", "MON999.md:2: expected a fence"),
        ("", "MON999.md: expected 'Bad:' or 'Good:' after the last example"),
    ],
)
def test_example_file_errors_name_the_file_and_line(text: str, error: str) -> None:
    with pytest.raises(ExampleError, match=re.escape(error)):
        parse_examples(text, "MON999.md")


def test_docs_rules_md_is_generated_from_the_rules() -> None:
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == rules_markdown()


_OPENS = """
import sys
opened = []
sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open" else None)
from validator.cli.main import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(sum("examples" in path for path in opened), "validator.rules.example_files" in sys.modules)
"""


@pytest.mark.parametrize(
    ("args", "expected"),
    [(["--version"], "0 False"), (["check", "content"], "0 False"), (["explain", "MON401"], "1 True")],
)
def test_only_the_docs_commands_read_the_examples(args: list[str], expected: str) -> None:
    # The examples are read lazily, by the commands that print them; a lint run never opens them.
    result = subprocess.run(
        [sys.executable, "-c", _OPENS, *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.stdout.splitlines()[-1] == expected, result.stderr


@pytest.mark.parametrize("rule", ALL_RULES, ids=_ids(list(ALL_RULES)))
def test_a_rule_is_found_from_its_id(rule: Rule) -> None:
    """The registry's line for a rule names the module that holds its record, as a constant named
    after the rule, and its check, as a function named after the rule, in that module."""
    import importlib
    import inspect
    import pkgutil

    import validator.rules

    constant = rule.name.upper().replace("-", "_")
    holders = [
        module.name
        for module in pkgutil.iter_modules(validator.rules.__path__)
        if getattr(importlib.import_module(f"validator.rules.{module.name}"), constant, None) is rule
    ]
    assert len(holders) == 1
    registry = (ROOT / "validator" / "rules" / "registry.py").read_text(encoding="utf-8")
    assert f"    {holders[0]}.{constant},  # {rule.id}\n" in registry
    if rule.check is not None and inspect.isfunction(rule.check) and rule.check.__name__ != "check":
        assert rule.check.__name__ == rule.name.replace("-", "_")
        assert rule.check.__module__ == f"validator.rules.{holders[0]}"
    if rule.compare is not None:
        assert inspect.isfunction(rule.compare)
        assert rule.compare.__name__ == rule.name.replace("-", "_")
        assert rule.compare.__module__ == f"validator.rules.{holders[0]}"
