"""Baseline and --diff-base are options of the API (validator.api), used alike by the command
line and the language server; a configuration may name the baseline file."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from helpers_cli import CLEAN_PAGE, ERROR_PAGE, assert_usage_error, page, run, write_tree

from validator.api import Options, lint_paths, lint_text, write_baseline
from validator.report.baseline import BaselineError

TWO_ERRORS = page(dose="500mg", extra="Or 250mg.")


def test_options_baseline_hides_recorded_findings_and_counts_stale(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.md": ERROR_PAGE, "b.md": ERROR_PAGE})
    before = lint_paths(["."], options=Options(list_checked=True), cwd=tmp_path)
    assert [f.rule for f in before.findings] == ["MON401", "MON401"]
    written = write_baseline(tmp_path / "baseline.json", before, tmp_path)
    assert written.findings == 2
    after = lint_paths(["."], options=Options(baseline=Path("baseline.json")), cwd=tmp_path)
    assert after.findings == () and after.stale == 0 and after.baseline == Path("baseline.json")
    (tmp_path / "a.md").write_text(TWO_ERRORS, encoding="utf-8")
    (tmp_path / "b.md").write_text(CLEAN_PAGE, encoding="utf-8")
    moved = lint_paths(["."], options=Options(baseline=Path("baseline.json")), cwd=tmp_path)
    assert [(f.path, f.rule, f.message.split("'")[1]) for f in moved.findings] == [("a.md", "MON401", "250mg")]
    assert moved.stale == 1  # b.md's entry matches nothing now


def test_the_configured_baseline_applies_to_paths_and_text_unless_turned_off(tmp_path: Path) -> None:
    write_tree(tmp_path, {"site/a.md": ERROR_PAGE, "monolint.toml": 'baseline = "known.json"\n'})
    recording = Options(list_checked=True, configured_baseline=False)  # as --write-baseline runs
    write_baseline(tmp_path / "known.json", lint_paths(["site"], options=recording, cwd=tmp_path), tmp_path)
    assert lint_paths(["."], cwd=tmp_path / "site").findings == ()  # from the page folder too
    assert lint_text(ERROR_PAGE, "a.md", cwd=tmp_path / "site") == []
    assert [f.rule for f in lint_text(TWO_ERRORS, "a.md", cwd=tmp_path / "site")] == ["MON401"]
    unfiltered = lint_paths(["site"], options=Options(configured_baseline=False), cwd=tmp_path)
    assert [f.rule for f in unfiltered.findings] == ["MON401"]
    # A fix run reports what remains and never reads the configuration's baseline.
    (tmp_path / "known.json").unlink()
    assert len(lint_paths(["site"], options=Options(diff=True), cwd=tmp_path).changes) == 1
    with pytest.raises(BaselineError, match="cannot read baseline"):
        lint_paths(["site"], cwd=tmp_path)


def test_a_broken_baseline_is_one_line(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.md": ERROR_PAGE, "known.json": "[]"})
    with pytest.raises(BaselineError, match="is not a monolint baseline"):
        lint_paths(["."], options=Options(baseline=Path("known.json")), cwd=tmp_path)


def test_baseline_or_diff_base_cannot_be_combined_with_fixing() -> None:
    with pytest.raises(ValueError, match="cannot be combined"):
        Options(fix=True, baseline=Path("b.json"))
    with pytest.raises(ValueError, match="cannot be combined"):
        Options(diff=True, diff_base="main")


def test_options_diff_base_keeps_findings_on_changed_lines(tmp_path: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    write_tree(tmp_path, {"a.md": ERROR_PAGE})
    git("init", "-q", "-b", "main")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "root")
    git("add", "a.md")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "page")
    assert lint_paths(["."], options=Options(diff_base="HEAD"), cwd=tmp_path).findings == ()
    (tmp_path / "a.md").write_text(TWO_ERRORS, encoding="utf-8")
    changed = lint_paths(["."], options=Options(diff_base="HEAD"), cwd=tmp_path)
    assert [f.message.split("'")[1] for f in changed.findings] == ["250mg"]
    assert len(lint_paths(["."], options=Options(diff_base="HEAD~1"), cwd=tmp_path).findings) == 2


def test_the_command_line_uses_the_configured_baseline(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.md": ERROR_PAGE, "monolint.toml": 'baseline = "known.json"\n'})
    assert run(["check", "--no-cache", "--write-baseline", "known.json", "."], tmp_path).code == 0
    result = run(["check", "--no-cache", "."], tmp_path)
    assert result.code == 0, result.stdout
    shown = run(["check", "--no-cache", "--no-baseline", "."], tmp_path)
    assert shown.code == 1 and "MON401" in shown.stdout
    (tmp_path / "a.md").write_text(CLEAN_PAGE, encoding="utf-8")
    stale = run(["check", "--no-cache", "."], tmp_path)
    assert stale.code == 0 and "1 baseline entries match no finding any more" in stale.stderr
    assert str(tmp_path / "known.json") in stale.stderr
    (tmp_path / "known.json").write_text("{", encoding="utf-8")
    assert_usage_error(run(["check", "--no-cache", "."], tmp_path), "known.json", "not valid JSON")
