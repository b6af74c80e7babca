"""The labelled suite (tests/doses/*.yaml): every dose and drug-name rule must find exactly the
labelled findings, with precision and recall 1.0. See tests/doses/metrics.py for the
comparison and `python tests/doses/metrics.py --verbose` for a report."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from validator.rules.registry import BY_ID


def _load_metrics() -> ModuleType:
    path = Path(__file__).parent.parent / "doses" / "metrics.py"
    spec = importlib.util.spec_from_file_location("dose_metrics", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


metrics = _load_metrics()
RULES: tuple[str, ...] = metrics.RULES
SOURCES = {"ISMP", "TJC", "corpus-like"}


@pytest.fixture(scope="module")
def cases() -> list[Any]:
    """The suite, checked while loading (text and findings present, each labelled substring
    occurs at least `occurrence` times), linted once for every test here."""
    loaded = metrics.load_suite()
    metrics.run(loaded)
    return loaded


def test_case_file_is_well_formed(cases: list[Any]) -> None:
    raw = [item for path in metrics.SUITE for item in yaml.safe_load(path.read_text(encoding="utf-8"))]
    problems = []
    for case, item in zip(cases, raw, strict=True):
        rules = [label.rule for label in case.expected] + case.negative_for
        unknown = [rule for rule in rules if rule not in RULES and rule not in BY_ID]
        if unknown:
            problems.append(f"{case.where}: unknown rule(s) {unknown}")
        if item.get("source") not in (None, *SOURCES):
            problems.append(f"{case.where}: source must be one of {sorted(SOURCES)}")
        labelled = {(label.rule, label.start, label.end) for label in case.expected}
        if len(labelled) != len(case.expected):
            problems.append(f"{case.where}: the same finding is labelled twice")
        if set(case.negative_for) & {label.rule for label in case.expected}:
            problems.append(f"{case.where}: a rule is both labelled and in negative_for")
    duplicates = [text for text, count in Counter(case.text for case in cases).items() if count > 1]
    problems.extend(f"duplicate case text {text!r}" for text in duplicates)
    assert not problems, "\n".join(problems)


def test_suite_size_and_coverage(cases: list[Any]) -> None:
    assert len(cases) >= 300
    table = metrics.scores(cases)
    thin = [
        f"{rule}: {table[rule].positive_cases} positive case(s)" for rule in RULES if table[rule].positive_cases < 10
    ]
    assert not thin, "every rule needs at least 10 positive cases:\n" + "\n".join(thin)
    few = [f"{rule}: {table[rule].negative_cases} hard negative(s)" for rule in RULES if table[rule].negative_cases < 5]
    assert not few, "every rule needs at least 5 hard negatives:\n" + "\n".join(few)
    assert sum(not case.expected for case in cases) >= 100, "at least 100 cases must expect no finding"


def test_no_case_crashes_the_linter(cases: list[Any]) -> None:
    crashed = [f"{case.where}: {case.text!r}: {case.error}" for case in cases if case.error]
    assert not crashed, "\n".join(crashed)


@pytest.mark.parametrize("rule", RULES)
def test_rule_precision_and_recall(cases: list, rule: str) -> None:
    score = metrics.scores(cases)[rule]
    if score.fp or score.fn:
        report = "\n".join(metrics.mismatches(cases, rule))
        pytest.fail(
            f"{rule}: precision {score.precision:.3f} (TP {score.tp}, FP {score.fp}), "
            f"recall {score.recall:.3f} (FN {score.fn}); mismatching cases:\n{report}",
            pytrace=False,
        )


def test_no_other_rule_reports_on_the_suite(cases: list[Any]) -> None:
    others = {rule: score for rule, score in metrics.scores(cases).items() if rule not in RULES}
    report = "\n".join(line for rule in others for line in metrics.mismatches(cases, rule))
    assert not others, f"findings of rules outside the suite's categories {metrics.CATEGORIES}:\n{report}"


NAME_RULES = ("MON502", "MON503", "MON504")


@pytest.mark.parametrize("rule", NAME_RULES)
def test_look_alike_name_rules_have_forty_cases_at_precision_and_recall_one(cases: list[Any], rule: str) -> None:
    # tests/doses/names.yaml: at least 40 cases per rule, findings and hard negatives together.
    score = metrics.scores(cases)[rule]
    assert score.positive_cases + score.negative_cases >= 40, (score.positive_cases, score.negative_cases)
    assert score.negative_cases >= 10
    assert (score.tp, score.precision, score.recall) == (score.tp, 1.0, 1.0) and score.tp >= 20


def test_a_case_can_give_its_page_title_generic_name_and_section() -> None:
    raw = {"text": "x", "findings": [], "title": "Hydroxyzine", "generic": "hydrOXYzine", "section": "Usage"}
    assert metrics.page_prefix(raw, "here") == (
        "---\ntitle: Hydroxyzine\n---\n\n### Generic Name\n\nhydrOXYzine\n\n### Usage\n\n"
    )
    assert metrics.page_prefix({"text": "x"}, "here") == metrics.PREFIX
    with pytest.raises(metrics.CaseError, match="here: 'title' and 'section' must be one-line strings"):
        metrics.page_prefix({"title": "two\nlines"}, "here")
