"""The rules that compare pages (category site): their pass over the pages' summaries, the
findings it makes with each page's own settings, and that they are the same whatever runs
the pages (one process or workers, a warm cache, shards merged, a fix run).

tests/fixtures/site/pages is one small site; expected.yaml there lists its findings."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers_cli import run, write_tree

from validator.api import Options, lint_paths, lint_text
from validator.check.site import insert, site_findings
from validator.model.finding import Finding, Position, Severity
from validator.model.site import NameSpan, PageSummary
from validator.rules.site import combination_name_mismatch, duplicate_title

SITE = Path(__file__).parent.parent / "fixtures" / "site"
PAGES = SITE / "pages"
SITE_RULES = {"MON601", "MON602"}

# --- the pass itself, on summaries -------------------------------------------------------------


def _name(text: str, line: int) -> NameSpan:
    return NameSpan(text, Position(line, 1), Position(line, 1 + len(text)))


def summary(
    path: str,
    title: str,
    generic: str | None = None,
    components: tuple[str, ...] | None = None,
    listed: tuple[str, ...] | None = None,
    rules: tuple[tuple[str, str], ...] = (("MON601", "error"), ("MON602", "warning")),
    quiet: tuple[tuple[str, int], ...] = (),
) -> PageSummary:
    return PageSummary(
        path=path,
        key=" ".join(title.casefold().split()),
        title=_name(title, 6),
        generic=None if generic is None else _name(generic, 8),
        components=components if components is not None else tuple(part.strip() for part in title.split("+")),
        listed=listed if listed is not None else tuple(part.strip() for part in (generic or "").split("+") if part),
        rules=rules,
        quiet=quiet,
    )


def test_duplicate_titles_give_each_page_of_a_group_one_hit_naming_the_others() -> None:
    pages = [summary("a.md", "Omega-"), summary("b.md", "Other"), summary("c.md", "omega-"), summary("d.md", "OMEGA-")]
    hits = list(duplicate_title(pages, {}))
    assert [hit.page for hit in hits] == [0, 2, 3]
    assert [[location.path for location in hit.related] for hit in hits] == [
        ["c.md", "d.md"],
        ["a.md", "d.md"],
        ["a.md", "c.md"],
    ]
    assert "c.md:6, d.md:6" in hits[0].message
    assert all((hit.start, hit.end) == (Position(6, 1), Position(6, 7)) for hit in hits)


def test_pages_without_a_title_are_no_duplicates() -> None:
    untitled = PageSummary("x.md", "", None, None, (), (), (("MON601", "error"),))
    assert list(duplicate_title([untitled, untitled.at("y.md")], {})) == []


@pytest.mark.parametrize(
    ("listed", "single", "finds"),
    [
        (("Amoxycillin", "Sulbactam"), "Amoxicillin", True),  # spelt otherwise
        (("Amoxicillin (as trihydrate)", "Sulbactam"), "Amoxicillin", False),  # a remark in parentheses
        (("Amoxicillin Trihydrate", "Sulbactam"), "Amoxicillin", False),  # a salt after the name
        (("Sulbactam", "Amoxicillin"), "Amoxicillin", False),  # another order
        (("Amoxicillin", "Sulbactam"), "Amoxicillin (also known as Amoxycillin)", False),
        (("Amoxicillin-Sulbactam", "x"), "Amoxicillin", False),  # no name as the title has it: not a list
        (("Amoxycillin",), "Amoxicillin", False),  # fewer names than components
    ],
)
def test_a_component_is_compared_with_its_own_page(listed: tuple[str, ...], single: str, finds: bool) -> None:
    combination = summary("c.md", "Amoxycillin + Sulbactam", " + ".join(listed), listed=listed)
    component = summary("a.md", "Amoxycillin", single, listed=(single,))
    hits = list(combination_name_mismatch([component, combination], {}))
    assert bool(hits) == finds
    if finds:
        (hit,) = hits
        assert hit.page == 1 and hit.start == Position(8, 1)
        assert [(location.path, location.start.line) for location in hit.related] == [("a.md", 8)]


def test_a_component_page_whose_generic_line_lists_several_names_is_not_compared() -> None:
    combination = summary("c.md", "Xylo + Zeta", "Xylo + Zeta")
    sentence = summary("x.md", "Xylo", "Xylo and Zeta are not drugs", listed=("Xylo", "Zeta are not drugs"))
    assert list(combination_name_mismatch([sentence, combination], {})) == []


def test_findings_follow_each_pages_rules_severities_and_comments() -> None:
    pages = [
        summary("a.md", "Omega-"),
        summary("b.md", "Omega-", rules=(("MON601", "warning"),)),
        summary("c.md", "Omega-", quiet=(("MON601", 6),)),
        summary("d.md", "Omega-", rules=(("MON602", "warning"),)),  # duplicate-title is off for it
    ]
    found = site_findings(pages)
    assert [[(f.rule, f.severity) for f in page] for page in found] == [
        [("MON601", Severity.ERROR)],
        [("MON601", Severity.WARNING)],
        [],
        [],
    ]
    assert "d.md:6" in found[0][0].message  # a page that has the rule off is still compared with


def test_insert_puts_each_pages_findings_among_its_own_in_position_order() -> None:
    def at(path: str, line: int, rule: str = "MON401") -> Finding:
        return Finding(path, Position(line, 1), Position(line, 2), rule, "n", "dose", Severity.ERROR, "m")

    findings = [at("a.md", 3), at("a.md", 9), at("c.md", 1)]
    added = [[at("a.md", 6, "MON601")], [at("b.md", 6, "MON601")], []]
    result = insert(findings, [(0, 2), (2, 2), (2, 3)], added)
    assert [(f.path, f.start.line) for f in result] == [("a.md", 3), ("a.md", 6), ("a.md", 9), ("b.md", 6), ("c.md", 1)]


def test_summaries_round_trip_as_plain_data() -> None:
    page = summary("a.md", "Abacavir + Lamivudine", "Abacavir + Lamivudine", quiet=(("MON602", 8),))
    assert PageSummary.from_data(json.loads(json.dumps(page.to_data()))) == page
    assert PageSummary.from_data(page.to_data(with_path=False), "b.md") == page.at("b.md")
    with pytest.raises(ValueError, match="name"):
        PageSummary.from_data({**page.to_data(), "title": ["x", 0, 1, 1, 2]})
    with pytest.raises(ValueError, match="severity"):
        PageSummary.from_data({**page.to_data(), "rules": [["MON601", "fatal"]]})


@pytest.mark.parametrize("pages", ['[{"path": 3}]', '"pages"', '[{"path": "a.md"}]'])
def test_merge_refuses_a_shard_report_whose_pages_are_not_summaries(tmp_path: Path, pages: str) -> None:
    summary = '{"files": 1, "skipped": 0, "findings": 0, "shard": {"index": 1, "count": 1}}'
    (tmp_path / "shard.json").write_text(f'{{"findings": [], "summary": {summary}, "site_pages": {pages}}}')
    result = run(["merge", "shard.json"], tmp_path)
    assert result.code == 2 and result.stderr.startswith("monolint: error: shard.json is not a monolint JSON report")
    assert result.stderr.count("\n") == 1


# --- a run over the fixture site ----------------------------------------------------------------


def expected() -> dict[str, list[str]]:
    data = yaml.safe_load((SITE / "expected.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def observed(findings: Any, prefix: str = "") -> dict[str, list[str]]:
    """Site findings as expected.yaml writes them; ``prefix`` is taken off every path."""
    result: dict[str, list[str]] = {}
    for finding in findings:
        data = finding if isinstance(finding, dict) else finding.to_dict()
        if data["category"] != "site":
            continue
        related = " ".join(f"{place['path'].removeprefix(prefix)}:{place['line']}" for place in data["related"])
        span = f"{data['line']}:{data['column']}-{data['end_line']}:{data['end_column']}"
        result.setdefault(data["path"].removeprefix(prefix), []).append(f"{data['rule']} {span} -> {related}")
    return result


def test_the_fixture_site_has_exactly_the_expected_findings() -> None:
    report = lint_paths(["."], options=Options(jobs=1), cwd=PAGES)
    assert observed(report.findings) == expected()
    # The pages' other findings are none: the site findings are the whole report.
    assert {finding.category for finding in report.findings} == {"site"}


def _site_copy(tmp_path: Path, fillers: int = 0) -> Path:
    """The fixture site, and ``fillers`` pages of their own drugs (no title or component is
    another's): with enough of them, a run uses worker processes."""
    root = tmp_path / "site"
    shutil.copytree(PAGES, root)
    template = (PAGES / "r" / "ramipril.md").read_text(encoding="utf-8")
    for number in range(fillers):
        write_tree(root, {f"filler/f{number:02d}.md": template.replace("Ramipril", f"Filler{number:02d}")})
    return root


def _cli_findings(cwd: Path, *args: str) -> list[dict[str, Any]]:
    result = run(["check", ".", "--format", "json", *args], cwd)
    assert result.code == 1, result.stderr
    findings: list[dict[str, Any]] = result.json()["findings"]
    return findings


def test_workers_a_warm_cache_and_merged_shards_give_the_same_report(tmp_path: Path) -> None:
    root = _site_copy(tmp_path, fillers=60)  # 87 pages: past the threshold for workers
    one = _cli_findings(root, "--no-cache", "--jobs", "1")
    assert observed(one) == expected() and len(one) == sum(map(len, expected().values()))
    assert _cli_findings(root, "--no-cache", "--jobs", "2") == one
    cache = str(tmp_path / "cache")
    assert _cli_findings(root, "--cache-dir", cache, "--jobs", "2") == one  # cold: fills the cache
    (entries,) = (tmp_path / "cache").rglob("findings-*.json")
    assert '"site":' in entries.read_text(encoding="utf-8")
    assert _cli_findings(root, "--cache-dir", cache, "--jobs", "1") == one  # warm: no page parsed
    reports = []
    for index in (1, 2, 3):
        report = tmp_path / f"shard-{index}.json"
        result = run(["check", ".", "--shard", f"{index}/3", "--format", "json", "-o", str(report)], root)
        assert "'monolint merge'" in result.stderr and result.stderr.count("\n") == 1
        data = json.loads(report.read_text(encoding="utf-8"))
        assert {f["category"] for f in data["findings"]} <= {"input", "structure", "dose"}  # none of site
        assert data["site_pages"]
        reports.append(str(report))
    merged = run(["merge", *reports, "--format", "json"], root)
    assert merged.json()["findings"] == one
    whole_text = run(["check", ".", "--no-cache"], root)
    assert run(["merge", *reports], root).stdout == whole_text.stdout


def test_a_page_with_the_rules_off_takes_no_part(tmp_path: Path) -> None:
    root = _site_copy(tmp_path)
    (root / "monolint.toml").write_text(
        'extend-select = ["MON601", "MON602"]\n'
        '[[overrides]]\nfiles = ["o/omega-.md"]\nignore = ["site"]\n'
        '[[overrides]]\nfiles = ["a/*"]\nrules = { MON602 = { severity = "error" } }\n',
        encoding="utf-8",
    )
    report = lint_paths(["."], options=Options(jobs=1), cwd=root)
    found = observed(report.findings)
    assert "o/omega-.md" not in found
    assert found["o/omega.md"] == ["MON601 6:3-6:9 -> o/omega-3.md:7"]
    severities = {(f.path, f.rule): f.severity for f in report.findings if f.category == "site"}
    assert severities[("a/amoxycillin-sulbactam.md", "MON602")] == Severity.ERROR
    assert severities[("i/isoniazid-vitamin-b.md", "MON602")] == Severity.WARNING


def test_the_rules_are_off_unless_turned_on_by_id_name_or_all(tmp_path: Path) -> None:
    root = _site_copy(tmp_path)
    (root / "monolint.toml").write_text("", encoding="utf-8")

    def site(**selection: Any) -> dict[str, list[str]]:
        return observed(lint_paths(["."], options=Options(jobs=1, **selection), cwd=root).findings)

    assert site() == {} and site(extend_select=["site"]) == {} and site(extend_select=["MON6"]) == {}
    assert site(extend_select=["duplicate-title", "MON602"]) == expected() == site(select=["ALL"])


def test_selecting_other_rules_leaves_the_pass_out(tmp_path: Path) -> None:
    root = _site_copy(tmp_path)
    assert lint_paths(["."], options=Options(jobs=1, select=["dose"]), cwd=root).findings == ()
    assert observed(lint_paths(["."], options=Options(jobs=1, select=["MON601"]), cwd=root).findings) == {
        path: [spec for spec in specs if spec.startswith("MON601")]
        for path, specs in expected().items()
        if any(spec.startswith("MON601") for spec in specs)
    }


def test_one_page_alone_has_no_site_findings() -> None:
    """lint_text (and the language server, which calls it) sees one page: nothing to compare."""
    text = (PAGES / "o" / "omega.md").read_text(encoding="utf-8")
    assert [f for f in lint_text(text, "o/omega.md", cwd=PAGES) if f.category == "site"] == []


def test_a_fix_run_reports_the_site_findings_of_the_pages_as_fixed(tmp_path: Path) -> None:
    root = _site_copy(tmp_path)
    page = root / "a" / "amoxycillin-sulbactam.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Take 500 mg", "Take 500mg"), encoding="utf-8")
    report = lint_paths(["."], options=Options(jobs=1, fix=True), cwd=root)
    assert report.fixed == 1 and "Take 500 mg" in page.read_text(encoding="utf-8")
    assert observed(report.findings) == expected()


def test_baseline_and_statistics_count_site_findings(tmp_path: Path) -> None:
    root = _site_copy(tmp_path)
    stats = run(["check", ".", "--statistics"], root)
    assert "MON601" in stats.stdout and "MON602" in stats.stdout
    assert run(["check", ".", "--write-baseline", "baseline.json"], root).code == 0
    assert run(["check", ".", "--baseline", "baseline.json", "--format", "json"], root).json()["findings"] == []


def test_sarif_points_at_the_other_pages(tmp_path: Path) -> None:
    root = _site_copy(tmp_path)
    write_tree(root, {".git/HEAD": "ref: refs/heads/main\n"})
    log = run(["check", ".", "--format", "sarif"], root).json()
    results = [result for result in log["runs"][0]["results"] if result["ruleId"] == "MON601"]
    related = {
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: [
            place["physicalLocation"]["artifactLocation"]["uri"] for place in result["relatedLocations"]
        ]
        for result in results
    }
    assert related == {"o/omega-.md": ["o/omega-3.md", "o/omega.md"], "o/omega.md": ["o/omega-.md", "o/omega-3.md"]}


# --- the real corpus ------------------------------------------------------------------------------

SITE_SELECTION = ("--select", "MON601,MON602")


def _listed(findings: list[dict[str, Any]]) -> list[str]:
    """Findings as rxhive-expected.txt lists them."""
    return [
        f"{f['rule']} {f['path']}:{f['line']}:{f['column']} -> "
        + " ".join(f"{place['path']}:{place['line']}" for place in f["related"])
        for f in findings
    ]


def test_the_real_corpus_has_exactly_the_checked_findings_whatever_runs_it(corpus: Path, tmp_path: Path) -> None:
    """The list hand-checked (tests/fixtures/site/rxhive-expected.txt), the same with one
    process, two workers, a warm cache, and three shards merged."""
    lines = (SITE / "rxhive-expected.txt").read_text(encoding="utf-8").splitlines()
    checked = [line for line in lines if line and not line.startswith("#")]

    def report(*args: str) -> list[dict[str, Any]]:
        result = run(["check", ".", *SITE_SELECTION, "--format", "json", *args], corpus, timeout=300)
        assert result.code == 1, result.stderr
        findings: list[dict[str, Any]] = result.json()["findings"]
        return findings

    one = report("--no-cache", "--jobs", "1")
    assert _listed(one) == checked
    assert {f["rule"] for f in one} == SITE_RULES and len(one) == 96
    cache = str(tmp_path / "cache")
    assert report("--cache-dir", cache, "--jobs", "2") == one  # workers, filling the cache
    assert report("--cache-dir", cache, "--jobs", "2") == one  # warm: every page from the cache
    shards = []
    for index in (1, 2, 3):
        shard = tmp_path / f"shard-{index}.json"
        args = ["check", ".", *SITE_SELECTION, "--no-cache", "--shard", f"{index}/3", "--format", "json"]
        run([*args, "-o", str(shard)], corpus, timeout=300)
        shards.append(str(shard))
    assert run(["merge", *shards, "--format", "json"], corpus).json()["findings"] == one
