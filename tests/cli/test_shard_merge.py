"""`monolint check --shard K/N` and `monolint merge` through the real command line: the
shards' JSON reports merge into the unsharded run's report, in any format, and inputs that
overlap, leave a shard out or are no reports are refused with one line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers_cli import CLEAN_PAGE, assert_usage_error, run, write_tree

from validator.report import FORMATS

BAD = CLEAN_PAGE.replace("### Dosage\n", "### Dosage\nTake 10mg or 5.0 mg daily.\n", 1)


def _project(root: Path, pages: int = 60) -> Path:
    files = {"monolint.toml": ""}
    for index in range(pages):
        files[f"pages/{index // 10}/p{index:02d}.md"] = BAD if index % 3 else CLEAN_PAGE
    write_tree(root, files)
    return root


def _shards(cwd: Path, count: int, *args: str) -> list[Path]:
    reports = []
    for index in range(1, count + 1):
        report = cwd / f"shard-{index}.json"
        result = run(["check", *args, "--shard", f"{index}/{count}", "--format", "json", "-o", str(report)], cwd)
        assert result.code in (0, 1), result.stderr
        reports.append(report)
    return reports


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _without_shard(summary: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in summary.items() if key != "shard"}


@pytest.mark.parametrize(
    ("value", "fragment"),
    [("0/4", "out of range"), ("5/4", "out of range"), ("1/0", "at least 1"), ("two/4", "K/N"), ("1/4x", "K/N")],
)
def test_shard_values_out_of_range_or_malformed_are_usage_errors(tmp_path: Path, value: str, fragment: str) -> None:
    _project(tmp_path, 3)
    assert_usage_error(run(["check", "pages", "--shard", value], tmp_path), "--shard", fragment)


def test_shard_with_standard_input_is_a_usage_error(tmp_path: Path) -> None:
    result = run(["check", "--shard", "1/2", "--stdin-filename", "x.md"], tmp_path, stdin=CLEAN_PAGE.encode())
    assert_usage_error(result, "--shard")


def test_a_shard_report_counts_only_its_pages_and_says_which_shard(tmp_path: Path) -> None:
    _project(tmp_path)
    first, second = (_load(report) for report in _shards(tmp_path, 2, "pages"))
    assert first["summary"]["shard"] == {"index": 1, "count": 2}
    assert second["summary"]["shard"] == {"index": 2, "count": 2}
    assert first["summary"]["files"] + second["summary"]["files"] == 60
    assert {f["path"] for f in first["findings"]}.isdisjoint({f["path"] for f in second["findings"]})
    plain = run(["check", "pages", "--format", "json"], tmp_path).json()
    assert "shard" not in plain["summary"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_merged_shards_equal_the_unsharded_report(tmp_path: Path, jobs: str) -> None:
    _project(tmp_path)
    whole = run(["check", "pages", "--format", "json", "--jobs", jobs], tmp_path)
    merged = run(["merge", *map(str, _shards(tmp_path, 3, "pages", "--jobs", jobs)), "--format", "json"], tmp_path)
    assert merged.code == whole.code == 1
    assert merged.json()["findings"] == whole.json()["findings"]
    assert merged.json()["summary"] == _without_shard(whole.json()["summary"])


def test_shards_run_from_a_subfolder_merge_into_the_same_pages(tmp_path: Path) -> None:
    """The project root is the configuration's folder, so a page's shard is the same from
    anywhere inside the project (only the displayed paths are relative to the working folder)."""
    _project(tmp_path)
    inside = tmp_path / "pages"
    from_root = [_load(report)["findings"] for report in _shards(tmp_path, 2, "pages")]
    from_inside = [_load(report)["findings"] for report in _shards(inside, 2, ".")]
    for root_part, inside_part in zip(from_root, from_inside, strict=True):
        assert sorted("pages/" + f["path"] for f in inside_part) == sorted(f["path"] for f in root_part)


@pytest.mark.parametrize("output_format", FORMATS)
def test_merged_shards_print_what_the_whole_run_prints(tmp_path: Path, output_format: str) -> None:
    """Byte for byte, in every format: the same findings (fixes included), order and totals."""
    _project(tmp_path)
    reports = list(map(str, _shards(tmp_path, 3, "pages")))
    no_summary_file = {"GITHUB_STEP_SUMMARY": ""}
    whole = run(["check", "pages", "--format", output_format], tmp_path, env=no_summary_file)
    merged = run(["merge", *reports, "--format", output_format], tmp_path, env=no_summary_file)
    assert (merged.code, merged.stdout) == (whole.code, whole.stdout) and whole.code == 1


def test_merge_prints_any_format(tmp_path: Path) -> None:
    _project(tmp_path)
    reports = list(map(str, _shards(tmp_path, 2, "pages")))
    whole = run(["check", "pages", "--format", "json"], tmp_path).json()
    sarif = run(["merge", *reports, "--format", "sarif"], tmp_path).json()
    assert sum(len(one["results"]) for one in sarif["runs"]) == len(whole["findings"]) > 0
    text = run(["merge", *reports], tmp_path)
    assert text.code == 1 and len(text.findings()) == len(whole["findings"])
    assert run(["merge", *reports, "--exit-zero", "-q"], tmp_path).code == 0


def test_merge_refuses_a_missing_shard(tmp_path: Path) -> None:
    _project(tmp_path)
    reports = _shards(tmp_path, 3, "pages")
    assert_usage_error(run(["merge", str(reports[0]), str(reports[2])], tmp_path), "shard 2 of 3 is missing")


def test_merge_refuses_the_same_shard_twice(tmp_path: Path) -> None:
    _project(tmp_path)
    reports = _shards(tmp_path, 2, "pages")
    copy = tmp_path / "copy.json"
    copy.write_bytes(reports[0].read_bytes())
    assert_usage_error(run(["merge", str(reports[0]), str(copy), str(reports[1])], tmp_path), "both", "shard 1/2")
    assert_usage_error(run(["merge", str(reports[0]), str(reports[0])], tmp_path), "given twice")


def test_merge_refuses_shards_of_different_splits_and_a_mix_with_a_whole_run(tmp_path: Path) -> None:
    _project(tmp_path)
    (halves := tmp_path / "halves").mkdir()
    (thirds := tmp_path / "thirds").mkdir()
    two = _shards(tmp_path, 2, "pages")
    two = [path.rename(halves / path.name) for path in two]
    three = [path.rename(thirds / path.name) for path in _shards(tmp_path, 3, "pages")]
    assert_usage_error(run(["merge", *map(str, two), str(three[2])], tmp_path), "different numbers of shards")
    whole = tmp_path / "whole.json"
    run(["check", "pages", "--format", "json", "-o", str(whole)], tmp_path)
    assert_usage_error(run(["merge", *map(str, two), str(whole)], tmp_path), "is not")


def test_merge_refuses_reports_that_overlap(tmp_path: Path) -> None:
    _project(tmp_path)
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    run(["check", "pages/0", "pages/1", "--format", "json", "-o", str(first)], tmp_path)
    run(["check", "pages/1", "--format", "json", "-o", str(second)], tmp_path)
    assert_usage_error(run(["merge", str(first), str(second)], tmp_path), "overlap", "pages/1/")
    disjoint = tmp_path / "third.json"
    run(["check", "pages/2", "--format", "json", "-o", str(disjoint)], tmp_path)
    merged = run(["merge", str(first), str(disjoint), "--format", "json"], tmp_path).json()
    assert merged["summary"]["files"] == 30


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("not json", "is not JSON"),
        ("[1, 2]", "not a monolint JSON report"),
        ('{"findings": [], "summary": {"findings": 0}}', "has no 'files'"),
        ('{"findings": [{"path": 3}], "summary": {"files": 1, "skipped": 0, "findings": 1}}', "not a monolint"),
        ('{"findings": [], "summary": {"files": 1, "skipped": 0, "findings": 2}}', "counts 2 findings"),
        (
            '{"findings": [], "summary": {"files": 1, "skipped": 0, "findings": 0, "shard": {"index": 3, "count": 2}}}',
            "shard",
        ),
    ],
)
def test_merge_refuses_what_is_not_a_report(tmp_path: Path, content: str, fragment: str) -> None:
    (tmp_path / "bad.json").write_text(content, encoding="utf-8")
    assert_usage_error(run(["merge", "bad.json"], tmp_path), fragment)


def test_merge_refuses_no_reports_and_missing_files(tmp_path: Path) -> None:
    assert_usage_error(run(["merge"], tmp_path), "no reports")
    assert_usage_error(run(["merge", "nowhere.json"], tmp_path), "cannot read nowhere.json")


def test_shards_of_the_real_corpus_merge_into_the_whole_run(corpus: Path, tmp_path: Path) -> None:
    """With the rules that compare pages too: merge runs them over every shard's pages."""
    whole = tmp_path / "whole.json"
    site = ("--extend-select", "MON601,MON602")
    run(["check", ".", *site, "--no-cache", "--jobs", "2", "--format", "json", "-o", str(whole)], corpus, timeout=300)
    reports = []
    for index in (1, 2, 3):
        report = tmp_path / f"shard-{index}.json"
        args = ["check", ".", *site, "--no-cache", "--shard", f"{index}/3", "--format", "json", "-o", str(report)]
        run(args, corpus, timeout=300)
        reports.append(str(report))
    merged = run(["merge", *reports, "--format", "json"], tmp_path)
    expected = _load(whole)
    assert merged.json()["findings"] == expected["findings"]
    assert merged.json()["summary"] == expected["summary"] and expected["summary"]["files"] > 4000
    assert expected["summary"]["by_rule"]["MON601"] == 56 and expected["summary"]["by_rule"]["MON602"] == 40
