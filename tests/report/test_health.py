"""The health report's figures (validator.report.health.aggregate) against the JSON report of
the same pages, its --baseline and --compare sections, and the command's usage errors."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
from health_pages import REPO, RULE_PAGES, data_values, report_and_json, resource_urls, rule_rows
from helpers_cli import ERROR_PAGE, WARNING_PAGE, assert_usage_error, page, run, write_tree

from validator.api import Options, lint_paths
from validator.config.resolver import Resolver
from validator.content_model.load import load_content_model
from validator.report.health.aggregate import Health, aggregate
from validator.rules.base import Aspect
from validator.rules.registry import BY_ID


@pytest.fixture(scope="module")
def rule_pages(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Any]:
    return report_and_json(tmp_path_factory.mktemp("health"), RULE_PAGES)


@pytest.fixture(scope="module")
def health() -> Health:
    report = lint_paths([RULE_PAGES], Resolver.for_run(REPO, isolated=True), Options(), REPO)
    sections = [section.heading for section in load_content_model(None).sections]
    return aggregate(list(report.findings), report.files, sections, report.skipped)


def _pages_by(findings: list[dict[str, Any]], key: Any) -> dict[Any, set[str]]:
    pages: defaultdict[Any, set[str]] = defaultdict(set)
    for finding in findings:
        pages[key(finding)].add(finding["path"])
    return pages


def test_totals_and_rules_equal_the_json_report(health: Health, rule_pages: tuple[str, Any]) -> None:
    _, report = rule_pages
    summary, findings = report["summary"], report["findings"]
    assert health.summary.to_dict() == summary
    pages = _pages_by(findings, lambda f: f["rule"])
    counted = {row.rule.id: (row.findings, row.pages) for _, rows in health.by_category for row in rows}
    assert counted == {rule: (count, len(pages[rule])) for rule, count in summary["by_rule"].items()}
    assert len(counted) > 30  # the fixtures reach nearly every rule
    for category, rows in health.by_category:
        assert {row.rule.category for row in rows} == {category}


def test_sections_count_pages_by_aspect_and_subject(health: Health, rule_pages: tuple[str, Any]) -> None:
    _, report = rule_pages
    pages = _pages_by(report["findings"], lambda f: (BY_ID[f["rule"]].aspect, f["subject"]))
    table = {entry.section: (entry.missing, entry.misplaced, entry.misspelled) for entry in health.sections}
    expected = {
        name: tuple(
            len(pages[aspect, name])
            for aspect in (Aspect.SECTION_MISSING, Aspect.SECTION_MISPLACED, Aspect.SECTION_MISSPELLED)
        )
        for name in table
    }
    assert table == expected
    assert list(table) == [section.heading for section in load_content_model(None).sections]
    assert all(sum(column) for column in zip(*table.values(), strict=True))  # each column counts something


def test_dose_forms_most_frequent_first_with_a_real_example(health: Health, rule_pages: tuple[str, Any]) -> None:
    _, report = rule_pages
    dose = [f for f in report["findings"] if BY_ID[f["rule"]].aspect is Aspect.DOSE_NOTATION]
    counts = Counter((f["subject"], f["rule"]) for f in dose)
    assert {(form.form, form.rule.id): form.findings for form in health.doses} == counts
    assert [form.findings for form in health.doses] == sorted(counts.values(), reverse=True)
    for form in health.doses:
        example = form.example.to_dict()
        assert example["subject"] == form.form and example["rule"] == form.rule.id
        assert {k: v for k, v in example.items() if k != "fix"} in [
            {k: v for k, v in f.items() if k != "fix"} for f in dose
        ]


def test_pages_to_fix_first_have_the_most_errors(health: Health, rule_pages: tuple[str, Any]) -> None:
    _, report = rule_pages
    errors = Counter(f["path"] for f in report["findings"] if f["severity"] == "error")
    worst = health.worst
    assert worst and [row.errors for row in worst] == sorted((row.errors for row in worst), reverse=True)
    assert worst[0].errors == max(errors.values())
    for row in worst:
        assert row.errors == errors[row.path]
        first = min(f["line"] for f in report["findings"] if f["path"] == row.path and f["severity"] == "error")
        assert row.first_line == first


def test_the_page_shows_the_json_reports_numbers_and_loads_nothing(rule_pages: tuple[str, Any]) -> None:
    html, report = rule_pages
    summary = report["summary"]
    totals = data_values(html, "total")
    assert totals == {key: summary[key] for key in totals} and len(totals) == 7
    pages = _pages_by(report["findings"], lambda f: f["rule"])
    assert rule_rows(html) == {rule: (count, len(pages[rule])) for rule, count in summary["by_rule"].items()}
    assert resource_urls(html) == []
    lowered = html.lower()
    assert "<script" not in lowered and "<link" not in lowered and "@import" not in lowered
    assert lowered.count("<svg") == lowered.count("<title>", lowered.index("<body")) - lowered.count('class="bar"')


BASE_TREE = {"pages/a.md": ERROR_PAGE, "pages/b.md": page(dose="5mg, then 10mg"), "pages/c.md": WARNING_PAGE}


def test_baseline_and_compare_sections(tmp_path: Path) -> None:
    write_tree(tmp_path, BASE_TREE)
    assert run(["check", "--isolated", "--no-cache", "--write-baseline", "base.json", "pages"], tmp_path).code == 0
    assert run(["check", "--isolated", "--no-cache", "--format", "json", "pages", "-o", "old.json"], tmp_path).code == 1
    # b.md gets fixed (2 findings paid down); d.md is new (1 finding neither knows).
    write_tree(tmp_path, {"pages/b.md": page(), "pages/d.md": page(dose="2 cc")})
    extra = ("--baseline", "base.json", "--compare", "old.json")
    html, report = report_and_json(tmp_path, "pages", cwd=tmp_path, extra=extra)
    assert report["summary"]["findings"] == 3
    assert data_values(html, "baseline") == {"held": 2, "paid": 2, "new": 1}
    assert data_values(html, "compare") == {"new": 1, "fixed": 2}
    assert 'href="pages/d.md"' in html  # the report sits in the folder the run started in


def test_links_lead_from_the_reports_folder_to_the_page(tmp_path: Path) -> None:
    write_tree(tmp_path, {"site/pages/a.md": ERROR_PAGE})
    (tmp_path / "out").mkdir()
    result = run(["report", "--isolated", "--no-cache", "pages", "-o", "../out/r.html"], tmp_path / "site")
    assert result.code == 0, result.stderr
    html = (tmp_path / "out" / "r.html").read_text(encoding="utf-8")
    assert 'href="../site/pages/a.md"' in html


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["report", "pages"], "'-o' / '--output'"),
        (["report", "-", "-o", "r.html"], "standard input"),
        (["report", "pages", "-o", "r.html", "--compare", "pages/a.md"], "--compare"),
        (["report", "pages", "-o", "r.html", "--compare", "missing.json"], "--compare"),
        (["report", "pages", "-o", "r.html", "--baseline", "pages/a.md"], "baseline"),
        (["report", "pages", "-o", "no/such/folder/r.html"], "cannot write"),
        (["report", "nowhere", "-o", "r.html"], "nowhere"),
    ],
)
def test_bad_input_is_one_usage_line_and_writes_nothing(tmp_path: Path, args: list[str], fragment: str) -> None:
    write_tree(tmp_path, {"pages/a.md": ERROR_PAGE})
    assert_usage_error(run([*args, "--no-cache"], tmp_path), fragment)
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["a.md"]
