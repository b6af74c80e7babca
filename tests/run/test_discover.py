"""Which files a run checks, in which order, and how their paths are shown."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from helpers_cli import CLEAN_PAGE, DOSE_COLUMN, DOSE_LINE, ERROR_PAGE, run, write_tree
from helpers_model import every_page_model

from validator.config.excludes import Excludes
from validator.run.discover import discover, display_path


def _found(
    root: Path,
    paths: Sequence[str],
    exclude: Sequence[str] = (),
    respect_gitignore: bool = True,
    force_exclude: bool = False,
    cwd: Path | None = None,
) -> list[str]:
    cwd = cwd or root
    candidates = discover(paths, cwd, Excludes(root, tuple(exclude), respect_gitignore), force_exclude)
    return [candidate.display for candidate in candidates]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    write_tree(
        tmp_path,
        {
            "b.md": "",
            "a.md": "",
            "C.MD": "",
            "notes.markdown": "",
            "notes.txt": "",
            "readme": "",
            "z/deep/y.md": "",
            "z/x.md": "",
            "m/n.md": "",
            ".hidden/h.md": "",
            "node_modules/pkg/p.md": "",
            ".venv/v.md": "",
        },
    )
    return tmp_path


def test_folders_are_searched_recursively_and_sorted(tree: Path) -> None:
    assert _found(tree, ["."]) == [
        "C.MD",
        "a.md",
        "b.md",
        "notes.markdown",
        ".hidden/h.md",
        "m/n.md",
        "z/x.md",
        "z/deep/y.md",
    ]


def test_the_order_does_not_depend_on_creation_order(tmp_path: Path) -> None:
    names = ["q.md", "b/z.md", "a.md", "b/a.md", "c.md"]
    for index, order in enumerate((names, list(reversed(names)))):
        write_tree(tmp_path / str(index), dict.fromkeys(order, ""))
    assert _found(tmp_path, ["0"]) == [path.replace("1/", "0/") for path in _found(tmp_path, ["1"])]


def test_explicit_files_come_as_given_and_duplicates_once(tree: Path) -> None:
    found = _found(tree, ["z/x.md", "b.md", "./b.md", "z/../b.md", "z", str(tree / "z" / "x.md")])
    assert found == ["z/x.md", "b.md", "z/deep/y.md"]


def test_explicit_files_are_checked_whatever_their_name_or_excludes(tree: Path) -> None:
    assert _found(tree, ["notes.txt", "readme"]) == ["notes.txt", "readme"]
    assert _found(tree, ["z/x.md"], exclude=["z/"]) == ["z/x.md"]
    assert _found(tree, ["z/x.md"], exclude=["z/"], force_exclude=True) == []
    assert _found(tree, ["z/x.md", "a.md"], exclude=["x.md"], force_exclude=True) == ["a.md"]


@pytest.mark.parametrize(
    ("exclude", "expected"),
    [
        (["z/"], ["C.MD", "a.md", "b.md", "notes.markdown", ".hidden/h.md", "m/n.md"]),
        (["*.md"], ["C.MD", "notes.markdown"]),  # patterns are case-sensitive, the .md suffix is not
        (["deep"], ["C.MD", "a.md", "b.md", "notes.markdown", ".hidden/h.md", "m/n.md", "z/x.md"]),
        (["/b.md", "m/**"], ["C.MD", "a.md", "notes.markdown", ".hidden/h.md", "z/x.md", "z/deep/y.md"]),
        (["*.md", "!z/x.md"], ["C.MD", "notes.markdown", "z/x.md"]),
    ],
)
def test_config_excludes_are_gitignore_patterns(tree: Path, exclude: list[str], expected: list[str]) -> None:
    assert _found(tree, ["."], exclude=exclude) == expected


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git work tree layout (a .git folder; no git command is run) with .gitignore files."""
    write_tree(tmp_path, {".gitignore": "*.md\n"})  # above the work tree: git does not read it
    tmp_path = tmp_path / "repo"
    write_tree(
        tmp_path,
        {
            ".git/HEAD": "ref: refs/heads/main\n",
            ".gitignore": "build/\n*.draft.md\n/top-only.md\ndocs/keep/*.md\n",
            "a.md": "",
            "top-only.md": "",
            "sub/top-only.md": "",
            "x.draft.md": "",
            "build/out.md": "",
            "docs/b.md": "",
            "docs/c.draft.md": "",
            "docs/keep/.gitignore": "!k.md\n",
            "docs/keep/k.md": "",
            "docs/keep/other.md": "",
            "docs/local/.gitignore": "*\n!.gitignore\n",
            "docs/local/l.md": "",
        },
    )
    return tmp_path


def test_gitignore_is_honoured(repo: Path) -> None:
    # k.md: a deeper .gitignore re-includes what the top one excluded, as git does.
    assert _found(repo, ["."]) == ["a.md", "docs/b.md", "docs/keep/k.md", "sub/top-only.md"]


def test_gitignore_outside_a_git_work_tree_is_not_read(tmp_path: Path) -> None:
    # A stray ~/.gitignore holding "*" must not make every run check nothing.
    write_tree(tmp_path, {".gitignore": "*\n", "project/.gitignore": "*.md\n", "project/p.md": ""})
    assert _found(tmp_path / "project", ["."]) == ["p.md"]


def test_gitignore_can_be_turned_off(repo: Path) -> None:
    assert len(_found(repo, ["."], respect_gitignore=False)) == 10


def test_gitignore_is_honoured_from_a_subfolder(repo: Path) -> None:
    assert _found(repo, ["."], cwd=repo / "docs") == ["b.md", "keep/k.md"]


def test_gitignored_file_named_explicitly_is_checked(repo: Path) -> None:
    assert _found(repo, ["build/out.md"]) == ["build/out.md"]
    assert _found(repo, ["build/out.md"], force_exclude=True) == []


def test_gitignore_and_config_excludes_through_the_cli(repo: Path) -> None:
    write_tree(repo, {"monolint.toml": 'extend-exclude = ["sub/"]\n', "docs/b.md": ERROR_PAGE})
    # The empty pages are no monographs: a model for every page reports each file found (MON004).
    result = run(["--format", "json", "--schema", str(every_page_model()), "."], repo)
    assert sorted({f["path"] for f in result.json()["findings"]}) == ["a.md", "docs/b.md", "docs/keep/k.md"]
    assert result.json()["summary"]["files"] == 3


def test_symlinked_folders_are_not_followed(tmp_path: Path) -> None:
    write_tree(tmp_path, {"real/page.md": "", "other/o.md": ""})
    (tmp_path / "real" / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "real" / "alias.md").symlink_to(tmp_path / "other", target_is_directory=True)
    assert _found(tmp_path, ["."]) == ["other/o.md", "real/page.md"]


def test_a_symlinked_folder_named_explicitly_is_searched(tmp_path: Path) -> None:
    write_tree(tmp_path, {"real/page.md": "", "real/sub/deep.md": ""})
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    (tmp_path / "real" / "sub" / "back").symlink_to(tmp_path / "real", target_is_directory=True)
    assert _found(tmp_path, ["link"]) == ["link/page.md", "link/sub/deep.md"]


def test_symlinked_files_inside_folders_are_checked(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pages/real.md": ERROR_PAGE})
    (tmp_path / "pages" / "alias.md").symlink_to("real.md")
    assert _found(tmp_path, ["pages"]) == ["pages/alias.md", "pages/real.md"]


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("page.md", "page.md"),
        ("./sub/../page.md", "page.md"),
        ("sub//deep.md", "sub/deep.md"),
        ("{cwd}/sub/deep.md", "sub/deep.md"),
        ("{parent}/outside.md", "{parent}/outside.md"),
    ],
)
def test_display_paths(tmp_path: Path, given: str, shown: str) -> None:
    cwd = tmp_path / "work"
    values = {"cwd": cwd.as_posix(), "parent": tmp_path.as_posix()}
    assert display_path(Path(given.format(**values)), cwd) == shown.format(**values)


def test_paths_are_shown_relative_to_the_working_folder(tmp_path: Path) -> None:
    write_tree(tmp_path, {"content/drugs/a.md": ERROR_PAGE, "content/b.md": CLEAN_PAGE})
    (tmp_path / "work").mkdir()
    inside = run(["--isolated", "content"], tmp_path)
    assert inside.findings() == [("content/drugs/a.md", DOSE_LINE, DOSE_COLUMN, "MON401")]
    explicit = run(["--isolated", str(tmp_path / "content" / "drugs" / "a.md")], tmp_path)
    assert explicit.findings() == [("content/drugs/a.md", DOSE_LINE, DOSE_COLUMN, "MON401")]
    outside = run(["--isolated", "../content"], tmp_path / "work")
    assert outside.findings() == [((tmp_path / "content/drugs/a.md").as_posix(), DOSE_LINE, DOSE_COLUMN, "MON401")]
    assert "\\" not in inside.stdout


def test_always_skipped_folders(tree: Path) -> None:
    found = _found(tree, ["."])
    assert not any(path.startswith(("node_modules/", ".venv/")) for path in found)
    # Named on the command line, such a folder is searched like any other.
    assert _found(tree, ["node_modules"]) == ["node_modules/pkg/p.md"]


def test_a_file_named_several_ways_is_checked_once(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pages/error.md": ERROR_PAGE, "pages/clean.md": CLEAN_PAGE})
    result = run(["--format", "json", "pages/error.md", "./pages/error.md", "pages", str(tmp_path / "pages")], tmp_path)
    report = result.json()
    assert [(f["path"], f["rule"]) for f in report["findings"]] == [("pages/error.md", "MON401")]
    assert report["summary"]["files"] == 2
