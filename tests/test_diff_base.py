"""--diff-base REF: only findings on lines changed since REF, plus whole-page findings of
changed pages, with a real git repository."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from helpers_cli import CLEAN_PAGE, run, write_tree

OLD_ERROR = CLEAN_PAGE.replace("### Dosage\n", "### Dosage\nAn old error: 10mg daily.\n", 1)


def _git(repo: Path, *args: str) -> str:
    completed = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    write_tree(tmp_path, {"pages/old.md": OLD_ERROR, "pages/same.md": OLD_ERROR, "pages/clean.md": CLEAN_PAGE})
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "legacy pages")
    return tmp_path


def _findings(repo: Path, *args: str) -> tuple[int, list[tuple[str, str, int]]]:
    result = run(["check", "--isolated", "--no-cache", "--format", "json", *args], repo)
    assert result.stderr == "", result.stderr
    return result.code, [(f["path"], f["rule"], f["line"]) for f in result.json()["findings"]]


def test_nothing_changed_means_nothing_reported(repo: Path) -> None:
    assert _findings(repo, "--diff-base", "HEAD", "pages") == (0, [])
    assert _findings(repo, "pages")[0] == 1


def test_only_added_or_changed_lines_are_reported(repo: Path) -> None:
    page = repo / "pages" / "old.md"
    # Lines above the old error are added, so it moves down, unchanged.
    page.write_text(
        OLD_ERROR.replace("### Dosage\n", "### Dosage\nA new error: 20mg.\n\nMore text.\n", 1), encoding="utf-8"
    )
    code, findings = _findings(repo, "--diff-base", "HEAD", "pages")
    assert code == 1
    assert [(path, rule) for path, rule, _ in findings] == [("pages/old.md", "MON401")]
    (line,) = [line for _, _, line in findings]
    assert page.read_text(encoding="utf-8").splitlines()[line - 1] == "A new error: 20mg."


def test_a_staged_and_committed_change_count_against_an_older_ref(repo: Path) -> None:
    (repo / "pages" / "clean.md").write_text(
        CLEAN_PAGE.replace("### Usage\n", "### Usage\nNow 5mg.\n", 1), encoding="utf-8"
    )
    _git(repo, "commit", "-q", "-am", "edit")
    assert _findings(repo, "--diff-base", "HEAD", "pages") == (0, [])
    code, findings = _findings(repo, "--diff-base", "HEAD~1", "pages")
    assert code == 1 and [(p, r) for p, r, _ in findings] == [("pages/clean.md", "MON401")]


def test_whole_page_findings_of_a_changed_page_are_reported(repo: Path) -> None:
    # Removing a section changes no remaining line, but the page now lacks it.
    without = OLD_ERROR.replace("### Precautions\n", "", 1)
    (repo / "pages" / "same.md").write_text(without, encoding="utf-8")
    code, findings = _findings(repo, "--diff-base", "HEAD", "pages")
    rules = {rule for path, rule, _ in findings if path == "pages/same.md"}
    assert code == 1
    assert "MON204" in rules  # the section is missing: about the whole page
    assert "MON401" not in rules  # the old dose error's line did not change


def test_a_new_untracked_page_is_wholly_new(repo: Path) -> None:
    write_tree(repo, {"pages/new page é.md": OLD_ERROR})
    code, findings = _findings(repo, "--diff-base", "HEAD", "pages")
    assert code == 1
    assert [(p, r) for p, r, _ in findings] == [("pages/new page é.md", "MON401")]


def test_run_from_a_subfolder(repo: Path) -> None:
    (repo / "pages" / "old.md").write_text(OLD_ERROR.replace("10mg", "11mg"), encoding="utf-8")
    result = run(["check", "--isolated", "--no-cache", "--diff-base", "HEAD", "."], repo / "pages")
    assert result.code == 1
    assert "old.md:" in result.stdout and "'11mg'" in result.stdout
    assert "same.md" not in result.stdout


@pytest.mark.parametrize(
    ("ref", "message"),
    [("no-such-ref", "git rev-parse failed"), ("--output=/tmp/x", "git rev-parse failed")],
)
def test_a_bad_ref_is_a_usage_error(repo: Path, ref: str, message: str) -> None:
    result = run(["check", "--isolated", f"--diff-base={ref}", "pages"], repo)
    assert result.code == 2
    assert result.stderr.startswith("monolint: error: --diff-base: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_outside_a_git_repository_is_a_usage_error(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.md": OLD_ERROR})
    result = run(
        ["check", "--isolated", "--diff-base", "HEAD", "a.md"],
        tmp_path,
        env={"GIT_CEILING_DIRECTORIES": str(tmp_path.parent)},
    )
    assert result.code == 2
    assert "--diff-base: git rev-parse failed" in result.stderr
