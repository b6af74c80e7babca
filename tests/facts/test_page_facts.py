"""What the rules share about a page (validator/facts/page_facts.py): each fact is worked out
once per check of a page, only when a rule asks for it, and nothing is kept keyed on the page."""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import validator.facts.disclaimer as facts_disclaimer
from validator.check.engine import check_bytes
from validator.config.selection import Layer, build_settings
from validator.content_model.load import load_content_model
from validator.facts import page_facts
from validator.facts.page_facts import PageFacts
from validator.model import page as page_model
from validator.parse.markdown import parse_page
from validator.rules.registry import BY_ID

MODEL = load_content_model()
PACKAGE = Path(__file__).resolve().parents[2] / "validator"
TOP = "---\nlayout: minimal-medicine\ntitle: Baclofen\n---\n\n# Baclofen\n\n"
DISCLAIMER = (
    "**Disclaimer:** This information is for educational purposes only and should not be considered "
    "medical advice. Always consult with a healthcare professional before starting, stopping, or "
    "changing any medication.\n"
)
PAGE = TOP + "### Dosage\n\nTake 5mg twice, or 10 ml of the syrup; .5 mg at night.\n\n" + DISCLAIMER
FACTS = ("scan_doses", "outline", "find_disclaimer", "appended_disclaimer_found")


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often each fact was worked out, counted on the functions PageFacts calls."""
    counted: Counter[str] = Counter()

    def counting(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any) -> Any:
            counted[name] += 1
            return function(*args)

        return wrapper

    for name in FACTS:
        monkeypatch.setattr(page_facts, name, counting(name, getattr(page_facts, name)))
    return counted


def _check(text: str, select: list[str]) -> list[str]:
    settings = build_settings([Layer(select=select)])
    return [finding.rule for finding in check_bytes(text.encode(), "page.md", settings, MODEL)]


def test_every_rule_shares_one_scan_one_outline_and_one_disclaimer_per_page(calls: Counter[str]) -> None:
    rules = _check(PAGE, ["ALL"])
    # The dose, section and disclaimer rules all ran and found something on the page.
    assert {"MON401", "MON403", "MON405", "MON204"} <= set(rules)
    assert calls == Counter(scan_doses=1, outline=1, find_disclaimer=1)  # the page has its disclaimer
    _check(PAGE, ["ALL"])  # the same text again is another page: nothing is kept from the first
    assert calls == Counter(scan_doses=2, outline=2, find_disclaimer=2)


def test_a_run_of_some_rules_works_out_only_the_facts_they_read(calls: Counter[str]) -> None:
    assert "MON211" not in _check(PAGE, ["MON211"])  # heading-increment reads the headings alone
    assert calls == Counter()
    assert "MON405" in _check(PAGE, ["MON405"])  # dose-unit-case: the dose scan, nothing else
    assert calls == Counter(scan_doses=1)
    _check(PAGE, ["MON205"])  # section-order: the outline, nothing else
    assert calls == Counter(scan_doses=1, outline=1)


def test_only_a_page_without_a_disclaimer_asks_whether_one_appended_would_be_found(calls: Counter[str]) -> None:
    _check(PAGE, ["disclaimer"])
    assert calls["appended_disclaimer_found"] == 0
    assert _check(TOP + "Take 5 mg.\n", ["disclaimer"]) == ["MON301"]
    assert calls["appended_disclaimer_found"] == 1


def test_the_facts_are_worked_out_when_first_read_and_then_kept() -> None:
    facts = PageFacts(parse_page("page.md", PAGE), MODEL)
    assert set(vars(facts)) == {"page", "model"}  # nothing computed up front
    spans = facts.unit_spans
    assert set(vars(facts)) == {"page", "model", "_doses", "unit_spans"}  # the scan it needs, not the outline
    assert facts.unit_spans is spans
    assert [text for text, *_ in spans["variant"]] == ["ml"]
    written = [found.text[found.quantity.start : found.quantity.end] for found in facts.quantities]
    assert written == ["5mg", "10 ml", ".5 mg"]
    assert facts.first_unchecked is None
    assert facts.disclaimer is not None and facts.disclaimer.raw.startswith("**Disclaimer:**")
    assert [entry.heading.plain for entry in facts.outline.headings] == ["Dosage"]


def _appended_found(body: str, monkeypatch: pytest.MonkeyPatch | None = None) -> bool:
    page = parse_page("page.md", TOP + body)
    if monkeypatch is not None:

        def no_parse(*args: object) -> None:
            raise AssertionError("the page was parsed again")

        monkeypatch.setattr(facts_disclaimer, "parse_page", no_parse)
    return PageFacts(page, MODEL).appended_disclaimer_found


def test_a_page_that_ends_closed_is_answered_without_parsing_it_again(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _appended_found("Take 5 mg.\n", monkeypatch)
    assert _appended_found("Take 5 mg.", monkeypatch)
    assert _appended_found("* one\n* two\n", monkeypatch)


@pytest.mark.parametrize(
    ("body", "found"),
    [
        ("```\nunclosed fence\n", False),
        ("<!-- an unclosed comment\n", False),
        ("```\nclosed fence\n```\n", True),
        ("<!-- a closed comment -->\n", True),
    ],
)
def test_a_page_that_may_end_open_is_parsed_with_the_disclaimer_appended(body: str, found: bool) -> None:
    assert _appended_found(body) is found


def test_the_disclaimer_fix_follows_the_fact() -> None:
    settings = build_settings([Layer(select=["MON301"])])
    for body, fixed in (("Take 5 mg.\n", True), ("```\nunclosed fence\n", False)):
        (finding,) = check_bytes((TOP + body).encode(), "page.md", settings, MODEL)
        assert (finding.fix is not None) is fixed


def test_the_page_model_has_no_per_page_memo() -> None:
    assert not hasattr(page_model, "per_page")


def _modules(folder: str) -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted((PACKAGE / folder).rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def test_no_rule_imports_the_parser() -> None:
    """A rule reads the parsed page and its facts; parsing again is a fact's business."""
    offenders = [
        f"{path.name}: {node.module}"
        for path, tree in _modules("rules")
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("validator.parse")
    ] + [
        f"{path.name}: {alias.name}"
        for path, tree in _modules("rules")
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
        if alias.name.startswith("validator.parse")
    ]
    assert offenders == []
    assert BY_ID["MON301"].check is not None  # the rule that used to re-parse still has its check


_MEMO = {"cache", "lru_cache", "per_page"}
_PAGE_TYPE = re.compile(r"\b(Page|PageFacts)\b")


def _decorator_name(node: ast.expr) -> str:
    target = node.func if isinstance(node, ast.Call) else node
    return target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")


def _memos_on_pages(tree: ast.Module) -> list[str]:
    """The functions of ``tree`` that a memo decorator caches by a page argument."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        if not any(_decorator_name(decorator) in _MEMO for decorator in node.decorator_list):
            continue
        arguments = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
        if any(arg.annotation is not None and _PAGE_TYPE.search(ast.unparse(arg.annotation)) for arg in arguments):
            found.append(node.name)
    return found


def test_no_memo_is_keyed_on_a_page() -> None:
    """Module-level caches live as long as the process: one keyed on a page would keep pages
    (and what was worked out about them) beyond their check, or hand one page's analysis to
    another that reuses its address."""
    sample = "@lru_cache(maxsize=1)\ndef outline(page: Page, model: ContentModel) -> Outline: ...\n"
    sample += (
        "@functools.cache\ndef scan(facts: PageFacts) -> None: ...\n@lru_cache\ndef names(model: Model) -> None: ...\n"
    )
    assert _memos_on_pages(ast.parse(sample)) == ["outline", "scan"]  # the check finds them
    offenders = [
        f"{path.relative_to(PACKAGE)}: {name}" for path, tree in _modules(".") for name in _memos_on_pages(tree)
    ]
    assert offenders == []


def test_the_lowered_text_keeps_the_page_texts_offsets() -> None:
    from validator.content_model.load import load_content_model
    from validator.facts.page_facts import PageFacts
    from validator.parse.markdown import parse_page

    text = "# İstanbul Hydroxyzine\n"
    facts = PageFacts(parse_page("page.md", text), load_content_model())
    assert len(facts.lowered) == len(text)
    assert facts.lowered.find("hydroxyzine") == text.find("Hydroxyzine")
