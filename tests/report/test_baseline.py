"""--write-baseline / --baseline: adopt monolint on legacy pages, then report only new findings."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from helpers_cli import CLEAN_PAGE, run, write_tree
from helpers_shared import CORPUS, needs_corpus

BAD = CLEAN_PAGE.replace("### Dosage\n", "### Dosage\nTake 10mg daily, or 5.0 mg.\n", 1)


def _check(folder: Path, *args: str) -> tuple[int, list[dict[str, object]], str]:
    result = run(["check", "--isolated", "--format", "json", *args], folder)
    return result.code, result.json()["findings"], result.stderr


def _insert_after_title(text: str, line: str) -> str:
    """Add a paragraph under the H1, which moves every finding below it."""
    head, sep, rest = text.partition("\n# ")
    title, newline, body = rest.partition("\n")
    return f"{head}{sep}{title}{newline}\n{line}\n{body}"


def test_a_baseline_silences_todays_findings_and_reports_a_new_one(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pages/a.md": BAD, "pages/b.md": BAD, "pages/clean.md": CLEAN_PAGE})
    code, findings, _ = _check(tmp_path, "pages")
    assert code == 1 and len(findings) == 4
    result = run(["check", "--isolated", "--write-baseline", "baseline.json", "pages"], tmp_path)
    assert result.code == 0
    assert result.stdout == ""
    assert result.stderr == (
        "Wrote 4 findings for 3 files checked to baseline.json; kept 0 entries of files not checked.\n"
    )
    assert _check(tmp_path, "--baseline", "baseline.json", "pages")[:2] == (0, [])

    page = tmp_path / "pages" / "a.md"
    page.write_text(_insert_after_title(BAD, "A new dose: 20mg."), encoding="utf-8")
    code, findings, stderr = _check(tmp_path, "--baseline", "baseline.json", "pages")
    assert code == 1
    assert [(f["path"], f["rule"], f["line"]) for f in findings] == [("pages/a.md", "MON401", 8)]
    assert stderr == ""


def test_the_same_finding_twice_is_counted(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.md": BAD})
    run(["check", "--isolated", "--write-baseline", "baseline.json", "a.md"], tmp_path)
    doubled = BAD.replace("Take 10mg daily", "Take 10mg daily. Take 10mg daily")
    (tmp_path / "a.md").write_text(doubled, encoding="utf-8")
    code, findings, _ = _check(tmp_path, "--baseline", "baseline.json", "a.md")
    assert code == 1
    assert [f["rule"] for f in findings] == ["MON401"]  # one of the two is known


def test_stale_entries_are_reported_only_for_pages_checked(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.md": BAD, "b.md": BAD})
    run(["check", "--isolated", "--write-baseline", "baseline.json", "a.md", "b.md"], tmp_path)
    (tmp_path / "a.md").write_text(CLEAN_PAGE, encoding="utf-8")
    code, findings, stderr = _check(tmp_path, "--baseline", "baseline.json", "b.md")
    assert (code, findings, stderr) == (0, [], "")  # a.md was not checked: its entries are not stale
    code, findings, stderr = _check(tmp_path, "--baseline", "baseline.json", "a.md", "b.md")
    assert (code, findings) == (0, [])
    assert "2 baseline entries match no finding any more" in stderr
    assert "--write-baseline baseline.json" in stderr


def _entries(file: Path) -> dict[str, int]:
    """Recorded findings per page."""
    counts: dict[str, int] = {}
    for entry in json.loads(file.read_text(encoding="utf-8"))["findings"]:
        counts[entry["path"]] = counts.get(entry["path"], 0) + entry["count"]
    return counts


def test_writing_a_baseline_for_some_pages_keeps_the_entries_of_the_others(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.md": BAD, "b.md": BAD, "c.md": BAD})
    run(["check", "--isolated", "--write-baseline", "b.json", "."], tmp_path)
    assert _entries(tmp_path / "b.json") == {"a.md": 2, "b.md": 2, "c.md": 2}
    # a.md gets a third finding, c.md is fixed: only the pages checked change.
    (tmp_path / "a.md").write_text(_insert_after_title(BAD, "A new dose: 20mg."), encoding="utf-8")
    (tmp_path / "c.md").write_text(CLEAN_PAGE, encoding="utf-8")
    result = run(["check", "--isolated", "--write-baseline", "b.json", "a.md", "c.md"], tmp_path)
    assert result.code == 0, result.stderr
    assert result.stderr == "Wrote 3 findings for 2 files checked to b.json; kept 2 entries of files not checked.\n"
    assert _entries(tmp_path / "b.json") == {"a.md": 3, "b.md": 2}  # c.md, checked and clean, lost its entries
    assert _check(tmp_path, "--baseline", "b.json", ".")[:2] == (0, [])


def test_writing_a_baseline_for_one_page_does_not_drop_another_pages_entries(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.md": CLEAN_PAGE, "b.md": BAD})
    run(["check", "--isolated", "--write-baseline", "b.json", "b.md"], tmp_path)
    before = (tmp_path / "b.json").read_text(encoding="utf-8")
    result = run(["check", "--isolated", "--write-baseline", "b.json", "a.md"], tmp_path)
    assert "Wrote 0 findings for 1 file checked to b.json; kept 2 entries of files not checked." in result.stderr
    assert (tmp_path / "b.json").read_text(encoding="utf-8") == before
    assert _check(tmp_path, "--baseline", "b.json", "a.md", "b.md")[:2] == (0, [])


def test_writing_over_a_file_that_is_no_baseline_is_refused(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.md": BAD, "notes.json": '{"mine": true}\n'})
    result = run(["check", "--isolated", "--write-baseline", "notes.json", "a.md"], tmp_path)
    assert result.code == 2
    assert result.stderr.startswith("monolint: error: ") and "is not a monolint baseline" in result.stderr
    assert (tmp_path / "notes.json").read_text(encoding="utf-8") == '{"mine": true}\n'


def test_the_baseline_file_is_sorted_stable_json_relative_to_its_folder(tmp_path: Path) -> None:
    write_tree(tmp_path, {"z/b.md": BAD, "a.md": BAD, "sub/.keep": ""})
    run(["check", "--isolated", "--write-baseline", "sub/baseline.json", "."], tmp_path)
    text = (tmp_path / "sub" / "baseline.json").read_text(encoding="utf-8")
    data = json.loads(text)
    entries = [(e["path"], e["rule"], e["message"]) for e in data["findings"]]
    assert entries == sorted(entries)
    assert {e["path"] for e in data["findings"]} == {"../a.md", "../z/b.md"}
    assert all(line.startswith('    {"count"') for line in text.splitlines()[3:-2])  # one entry a line
    run(["check", "--isolated", "--write-baseline", "sub/baseline.json", "."], tmp_path)
    assert (tmp_path / "sub" / "baseline.json").read_text(encoding="utf-8") == text
    # Paths are relative to the baseline, so the check works from another folder too.
    result = run(["check", "--isolated", "--baseline", "../sub/baseline.json", "."], tmp_path / "z")
    assert result.code == 0, result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read baseline"),
        ("{not json", "is not valid JSON"),
        ('{"findings": []}', "is not a monolint baseline"),
        ('{"monolint_baseline": 1, "findings": [{"path": "a.md"}]}', "malformed entry"),
    ],
)
def test_a_bad_baseline_is_a_usage_error(tmp_path: Path, content: str | None, message: str) -> None:
    write_tree(tmp_path, {"a.md": BAD})
    if content is not None:
        (tmp_path / "baseline.json").write_text(content, encoding="utf-8")
    result = run(["check", "--isolated", "--baseline", "baseline.json", "a.md"], tmp_path)
    assert result.code == 2
    assert result.stderr.startswith("monolint: error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_baseline_cannot_be_combined_with_fix(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.md": BAD})
    result = run(["check", "--fix", "--baseline", "b.json", "a.md"], tmp_path)
    assert result.code == 2
    assert "--baseline cannot be combined with --fix" in result.stderr


@needs_corpus
def test_a_corpus_baseline_passes_and_then_reports_exactly_the_new_finding(tmp_path: Path) -> None:
    corpus = tmp_path / "rxhive"
    shutil.copytree(CORPUS, corpus)
    write = run(["check", "--isolated", "--write-baseline", "baseline.json", "rxhive"], tmp_path, timeout=600)
    assert write.code == 0, write.stderr
    baseline = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))["findings"]
    assert sum(entry["count"] for entry in baseline) > 5000
    assert _check(tmp_path, "--baseline", "baseline.json", "rxhive")[:2] == (0, [])

    # The page with the most recorded findings gets a new dose error above all of them.
    counts: dict[str, int] = {}
    for entry in baseline:
        counts[entry["path"]] = counts.get(entry["path"], 0) + entry["count"]
    path = max(sorted(counts), key=lambda key: counts[key])
    page = tmp_path / path
    before = _check(tmp_path, "--no-cache", path)[1]
    page.write_text(_insert_after_title(page.read_text(encoding="utf-8"), "Take 250mg."), encoding="utf-8")
    after = _check(tmp_path, "--no-cache", path)[1]
    (new,) = [f for f in after if "'250mg'" in str(f["message"])]
    old = [f for f in after if f is not new]

    def moved(findings: list[dict[str, object]]) -> list[tuple[object, str]]:
        return sorted((f["rule"], re.sub(r"line \d+", "line N", str(f["message"]))) for f in findings)

    assert moved(old) == moved(before)  # messages may cite lines ("first on line 18"): they move too
    assert sum(a["line"] != b["line"] for a, b in zip(old, before, strict=True)) >= 3  # the edit moved them

    code, findings, _ = _check(tmp_path, "--baseline", "baseline.json", "rxhive")
    assert code == 1
    assert findings == [new]
