"""Integration tests: the hooks of .pre-commit-hooks.yaml, installed and run by the real
`pre-commit try-repo` in a throwaway git repository, with no package index.

Only the session's wheelhouse (monolint's dependencies and its build backend) is fetched
from the index; pre-commit then builds monolint from a snapshot of this working tree and
installs it with PIP_NO_INDEX, so the hooks are tested as a user's machine would install them.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest
from helpers_cli import CLEAN_PAGE
from helpers_precommit import (
    BAD_PAGE,
    BIN,
    GIT_HINT,
    PRE_COMMIT_HINT,
    build_wheelhouse,
    clean_environment,
    git,
    offline_pip,
    snapshot_repo,
)
from helpers_tools import REPO, require_tool

if sys.version_info >= (3, 11):
    pass
else:
    pass


# A page whose findings all have safe fixes: a dose run into its unit, a level-2 section.
FIXABLE_PAGE = CLEAN_PAGE.replace("Take 500 mg", "Take 500mg").replace("### Usage", "## Usage")


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_wheelhouse(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return snapshot_repo(tmp_path_factory.mktemp("hook-repo"))


def make_project(root: Path, pages: Mapping[str, str]) -> Path:
    """A git repository holding ``pages`` (all added) and a monolint.toml excluding drafts/."""
    root.mkdir()
    (root / "monolint.toml").write_text('exclude = ["drafts/**"]\n', encoding="utf-8")
    for name, text in pages.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    git("init", "-q", cwd=root)
    git("add", "-A", cwd=root)
    return root


def try_repo(project: Path, hook_repo: Path, hook: str, wheelhouse: Path) -> subprocess.CompletedProcess[str]:
    pre_commit = require_tool(BIN / "pre-commit", PRE_COMMIT_HINT)
    require_tool("git", GIT_HINT)
    command = [pre_commit, "try-repo", "--color", "never", str(hook_repo), hook, "--all-files"]
    environ = clean_environment(PRE_COMMIT_HOME=str(project.parent / "pre-commit-home"), **offline_pip(wheelhouse))
    return subprocess.run(command, cwd=project, env=environ, capture_output=True, text=True, timeout=180, check=False)


def output(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"


def test_hook_fails_on_a_bad_page_and_names_its_findings(tmp_path: Path, hook_repo: Path, wheelhouse: Path) -> None:
    project = make_project(tmp_path / "project", {"pages/good.md": CLEAN_PAGE, "pages/bad.md": BAD_PAGE})
    result = try_repo(project, hook_repo, "monolint", wheelhouse)
    assert result.returncode == 1, output(result)
    assert "monolint" in result.stdout and "Failed" in result.stdout, output(result)
    findings = [line for line in result.stdout.splitlines() if ": MON" in line]
    assert {line.split(":")[0] for line in findings} == {"pages/bad.md"}, output(result)
    assert any(" MON401 " in line for line in findings), output(result)
    assert any(" MON210 " in line for line in findings), output(result)


def test_hook_passes_good_pages_and_honours_configured_excludes(
    tmp_path: Path, hook_repo: Path, wheelhouse: Path
) -> None:
    # drafts/ is excluded in monolint.toml; pre-commit still names the file, so only
    # --force-exclude in the hook keeps it from failing the run.
    pages = {"pages/good.md": CLEAN_PAGE, "drafts/bad.md": BAD_PAGE}
    result = try_repo(make_project(tmp_path / "project", pages), hook_repo, "monolint", wheelhouse)
    assert result.returncode == 0, output(result)
    assert "Passed" in result.stdout, output(result)
    assert "MON" not in result.stdout, output(result)


def test_fix_hook_rewrites_the_page_and_a_second_run_passes(tmp_path: Path, hook_repo: Path, wheelhouse: Path) -> None:
    project = make_project(tmp_path / "project", {"pages/good.md": CLEAN_PAGE, "pages/fixable.md": FIXABLE_PAGE})
    first = try_repo(project, hook_repo, "monolint-fix", wheelhouse)
    assert first.returncode == 1, output(first)
    assert "files were modified by this hook" in first.stdout, output(first)
    assert (project / "pages/fixable.md").read_text(encoding="utf-8") == CLEAN_PAGE
    assert (project / "pages/good.md").read_text(encoding="utf-8") == CLEAN_PAGE

    second = try_repo(project, hook_repo, "monolint-fix", wheelhouse)
    assert second.returncode == 0, output(second)
    assert "Passed" in second.stdout, output(second)


def test_hook_manifest_is_valid() -> None:
    pre_commit = require_tool(BIN / "pre-commit", PRE_COMMIT_HINT)
    manifest = REPO / ".pre-commit-hooks.yaml"
    result = subprocess.run(
        [pre_commit, "validate-manifest", str(manifest)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
