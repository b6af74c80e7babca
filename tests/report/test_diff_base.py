"""--diff-base REF: only findings on lines changed since REF, plus whole-page findings of
changed pages, with a real git repository."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from helpers_cli import CLEAN_PAGE, assert_usage_error, monolint_command, run, write_tree

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


def _diff_base_error(repo: Path, ref: str, env: dict[str, str] | None = None) -> str:
    """The one line monolint prints for --diff-base REF, after 'monolint: error: --diff-base: '."""
    result = run(["check", "--isolated", "--no-cache", f"--diff-base={ref}", "."], repo, env=env)
    assert_usage_error(result)
    assert result.stdout == ""
    prefix = "monolint: error: --diff-base: "
    assert result.stderr.startswith(prefix), result.stderr
    return result.stderr.removeprefix(prefix).rstrip("\n")


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("no-such-ref", "unknown revision 'no-such-ref' (no branch, tag or commit of that name here)"),
        ("--output=/tmp/x", "unknown revision '--output=/tmp/x' (no branch, tag or commit of that name here)"),
    ],
)
def test_a_bad_ref_is_a_usage_error(repo: Path, ref: str, message: str) -> None:
    assert _diff_base_error(repo, ref) == message


def test_an_unfetched_remote_branch_says_how_to_fetch_it(tmp_path: Path, repo: Path) -> None:
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "-q", "--single-branch", "--branch", "main", str(repo), str(clone))
    assert _diff_base_error(clone, "origin/release") == (
        "unknown revision 'origin/release'; fetch it first (git fetch origin release)"
    )


def _pull_request_origin(tmp_path: Path) -> Path:
    """A repository whose main moved on after the branch 'feature' left it."""
    origin = tmp_path / "origin"
    write_tree(origin, {"pages/old.md": OLD_ERROR})
    _git(origin, "init", "-q", "-b", "main")
    _git(origin, "add", ".")
    _git(origin, "commit", "-q", "-m", "start")
    _git(origin, "checkout", "-q", "-b", "feature")
    (origin / "pages" / "new.md").write_text(OLD_ERROR.replace("10mg", "12mg"), encoding="utf-8")
    _git(origin, "add", ".")
    _git(origin, "commit", "-q", "-m", "feature page")
    _git(origin, "checkout", "-q", "main")
    (origin / "pages" / "old.md").write_text(OLD_ERROR.replace("10mg", "11mg"), encoding="utf-8")
    _git(origin, "commit", "-q", "-am", "main moves on")
    return origin


def test_a_shallow_clone_without_the_merge_base_says_to_fetch_the_history(tmp_path: Path) -> None:
    origin = _pull_request_origin(tmp_path)
    clone = tmp_path / "clone"
    # What actions/checkout does by default: one commit of the branch, then the base, also shallow.
    _git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "feature", f"file://{origin}", str(clone))
    assert _diff_base_error(clone, "origin/main") == (
        "unknown revision 'origin/main'; fetch it first (git fetch origin main)"
    )
    _git(clone, "fetch", "-q", "--depth", "1", "origin", "main:refs/remotes/origin/main")
    assert _diff_base_error(clone, "origin/main") == (
        "'origin/main' and HEAD have no common commit here because the clone is shallow; "
        "use actions/checkout with fetch-depth: 0 (or run git fetch --unshallow)"
    )
    # With the history (fetch-depth: 0), only the branch's own change is reported: main's
    # later edit of old.md is not this branch's change.
    _git(clone, "fetch", "-q", "--unshallow", "origin")
    result = run(["check", "--isolated", "--no-cache", "--format", "json", "--diff-base", "origin/main", "."], clone)
    assert result.code == 1, result.stderr
    assert {f["path"] for f in result.json()["findings"]} == {"pages/new.md"}


def test_outside_a_git_repository_is_a_usage_error(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.md": OLD_ERROR})
    message = _diff_base_error(tmp_path, "HEAD", env={"GIT_CEILING_DIRECTORIES": str(tmp_path.parent)})
    assert message == f"'{tmp_path.resolve()}' is not in a git repository"


def test_without_git_installed_is_a_usage_error(repo: Path, tmp_path: Path) -> None:
    empty = tmp_path / "no-git-here"
    empty.mkdir()
    command = monolint_command()
    if not Path(command[0]).is_absolute():
        pytest.skip("monolint is not run by an absolute path here")
    assert _diff_base_error(repo, "HEAD", env={"PATH": str(empty)}) == (
        "git is not installed (or not on PATH); --diff-base needs it"
    )
