"""Bad input never stops a run: each broken file gets its own finding, at the right place,
and the other files of the same run are still checked. Everything goes through the real
command line in a subprocess with a timeout, so a hang or a traceback fails the test."""

from __future__ import annotations

import codecs
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from helpers_cli import (
    CLEAN_PAGE,
    DOSE_COLUMN,
    DOSE_LINE,
    ERROR_PAGE,
    assert_usage_error,
    monolint_command,
    run,
    snapshot,
    write_tree,
)

from validator import api
from validator.api import Options, lint_paths
from validator.config.files import Config
from validator.run.discover import Candidate, MissingPathError

FRONT = "---\nlayout: minimal-medicine\ntitle: Testamol\n---\n"
INPUT_RULES = {f"MON00{digit}" for digit in range(10)}
Expected = tuple[str, int, int]  # rule, line, column


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Path], str]  # creates the bad input under a folder; returns the path to pass
    expected: tuple[tuple[str, Expected], ...]  # (display path, finding) that must be reported
    only: bool = True  # those are all the findings of that path
    # Pages without front matter: not monographs, so the built-in model skips them (counted
    # in the summary) instead of reporting MON004; a run with a model for every page does.
    skipped: tuple[str, ...] = ()


def _file(name: str, content: bytes | str) -> Callable[[Path], str]:
    def make(root: Path) -> str:
        write_tree(root, {name: content})
        return name

    return make


def _symlink(name: str, target: str) -> Callable[[Path], str]:
    def make(root: Path) -> str:
        (root / name).symlink_to(target)
        return name

    return make


def _loop(root: Path) -> str:
    (root / "loop-a.md").symlink_to("loop-b.md")
    (root / "loop-b.md").symlink_to("loop-a.md")
    return "loop-a.md"


def _folder_named_md(root: Path) -> str:
    write_tree(root, {"x.md/inner.md": ERROR_PAGE, "x.md/deeper/other.md": b""})
    return "x.md"


def _not_a_folder(root: Path) -> str:
    # ENOTDIR: a path through a regular file cannot be read, even by root.
    write_tree(root, {"plain.md": CLEAN_PAGE})
    return "plain.md/page.md"


def _too_big(root: Path) -> str:
    path = root / "huge.md"
    with path.open("wb") as handle:  # sparse: nothing is written, but the size says 33 MB
        handle.truncate(33 * 1024 * 1024)
    return "huge.md"


def _crlf(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode()


def _alias_bomb() -> str:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "---\n" + "\n".join(lines) + "\n---\n\n# Testamol\n"


LATIN1_LINE = FRONT + "\n# Testamol\n\nIt is a caf\xe9 drug.\n"  # é is on line 8, column 12
CASES = [
    Case("empty", _file("empty.md", b""), (), skipped=("empty.md",)),
    Case("only-bom", _file("bom-only.md", codecs.BOM_UTF8), (), skipped=("bom-only.md",)),
    Case("only-newlines", _file("blank.md", b"\r\n\r\n\n"), (), skipped=("blank.md",)),
    Case("unclosed", _file("open.md", "---\ntitle: X\n\n# X\n"), (("open.md", ("MON005", 1, 1)),), only=False),
    Case(
        "bom", _file("bom.md", codecs.BOM_UTF8 + ERROR_PAGE.encode()), (("bom.md", ("MON401", DOSE_LINE, DOSE_COLUMN)),)
    ),
    Case("crlf", _file("crlf.md", _crlf(ERROR_PAGE)), (("crlf.md", ("MON401", DOSE_LINE, DOSE_COLUMN)),)),
    Case(
        "cr-only",
        _file("cr.md", ERROR_PAGE.replace("\n", "\r").encode()),
        (("cr.md", ("MON401", DOSE_LINE, DOSE_COLUMN)),),
    ),
    Case(
        "bom-crlf",
        _file("both.md", codecs.BOM_UTF8 + _crlf(ERROR_PAGE)),
        (("both.md", ("MON401", DOSE_LINE, DOSE_COLUMN)),),
    ),
    Case("latin1", _file("latin1.md", LATIN1_LINE.encode("latin-1")), (("latin1.md", ("MON002", 8, 12)),)),
    Case(
        "latin1-after-wide-characters",
        _file("wide.md", LATIN1_LINE.replace("It is", "日本語 is").encode("utf-8").replace(b"\xc3\xa9", b"\xe9")),
        (("wide.md", ("MON002", 8, 13)),),
    ),
    Case(
        "latin1-crlf",
        _file("l1crlf.md", _crlf(LATIN1_LINE.replace("\xe9", "\0")).replace(b"\0", b"\xe9")),
        (("l1crlf.md", ("MON002", 8, 12)),),
    ),
    Case(
        "latin1-bom",
        _file("l1bom.md", codecs.BOM_UTF8 + LATIN1_LINE.encode("latin-1")),
        (("l1bom.md", ("MON002", 8, 12)),),
    ),
    Case("truncated-utf8", _file("cut.md", FRONT.encode() + b"\nab \xe2\x82"), (("cut.md", ("MON002", 6, 4)),)),
    Case("utf16-bom-le", _file("u16.md", ERROR_PAGE.encode("utf-16")), (("u16.md", ("MON002", 1, 1)),)),
    Case(
        "utf16-bom-be",
        _file("u16be.md", codecs.BOM_UTF16_BE + ERROR_PAGE.encode("utf-16-be")),
        (("u16be.md", ("MON002", 1, 1)),),
    ),
    Case("utf16-le-no-bom", _file("u16n.md", ERROR_PAGE.encode("utf-16-le")), (("u16n.md", ("MON002", 1, 1)),)),
    Case("utf16-be-no-bom", _file("u16nb.md", ERROR_PAGE.encode("utf-16-be")), (("u16nb.md", ("MON002", 1, 1)),)),
    Case("utf32", _file("u32.md", ERROR_PAGE.encode("utf-32")), (("u32.md", ("MON002", 1, 1)),)),
    Case("nul", _file("nul.md", FRONT.encode() + b"\nabc\x00def\n"), (("nul.md", ("MON003", 6, 4)),)),
    Case("png", _file("logo.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), (("logo.md", ("MON003", 3, 1)),)),
    Case(
        "folder-named-md",
        _folder_named_md,
        (("x.md/inner.md", ("MON401", DOSE_LINE, DOSE_COLUMN)),),
        skipped=("x.md/deeper/other.md",),
    ),
    Case("dangling-link", _symlink("dangling.md", "missing.md"), (("dangling.md", ("MON001", 1, 1)),)),
    Case("self-link", _symlink("self.md", "self.md"), (("self.md", ("MON001", 1, 1)),)),
    Case("looping-links", _loop, (("loop-a.md", ("MON001", 1, 1)),)),
    Case("over-size-limit", _too_big, (("huge.md", ("MON001", 1, 1)),)),
    Case(
        "5mb-single-line",
        _file("long.md", FRONT + "\n" + "word " * 1_000_000 + "5mg\n"),
        (("long.md", ("MON401", 6, 5_000_001)),),
        only=False,
    ),
    Case(
        "nested-quotes",
        _file("quotes.md", FRONT + "\n" + ">" * 50_000 + " 5mg\n"),
        (("quotes.md", ("MON201", 6, 1)),),
        only=False,
    ),
    Case("alias-bomb", _file("bomb.md", _alias_bomb()), (("bomb.md", ("MON006", 2, 1)),), only=False),
    Case(
        "python-tag",
        _file("tag.md", "---\ntitle: !!python/object/apply:os.system ['touch PWNED']\n---\n\n# X\n"),
        (("tag.md", ("MON006", 2, 8)),),
        only=False,
    ),
    Case(
        "tab-indent",
        _file("tab.md", FRONT.replace("title", "\ttitle") + "\n# X\n"),
        (("tab.md", ("MON006", 3, 1)),),
        only=False,
    ),
    Case(
        "tab-value",
        _file("tabv.md", "---\nlayout: x\nlist:\n\t- a\n---\n"),
        (("tabv.md", ("MON006", 4, 1)),),
        only=False,
    ),
]


def _findings(report: dict[str, object], path: str) -> list[Expected]:
    findings = report["findings"]
    assert isinstance(findings, list)
    return [(f["rule"], f["line"], f["column"]) for f in findings if f["path"] == path]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input_gets_its_own_finding_and_the_run_goes_on(case: Case, tmp_path: Path) -> None:
    write_tree(tmp_path, {"before.md": ERROR_PAGE, "after.md": CLEAN_PAGE})
    target = case.make(tmp_path)
    result = run(["check", "--format", "json", "before.md", target, "after.md"], tmp_path)
    assert result.code == 1, result.stderr
    assert result.stderr == ""
    report = result.json()
    for path, expected in case.expected:
        found = _findings(report, path)
        assert expected in found, found
        if case.only:
            assert found == [expected]
    for path in case.skipped:
        assert _findings(report, path) == []
    assert report["summary"]["skipped"] == len(case.skipped)
    assert "MON000" not in {finding["rule"] for finding in report["findings"]}
    # The files around the bad one were checked as usual.
    assert _findings(report, "before.md") == [("MON401", DOSE_LINE, DOSE_COLUMN)]
    assert _findings(report, "after.md") == []
    assert not (tmp_path / "PWNED").exists()


def test_all_bad_inputs_in_one_folder_run_and_nothing_is_written(tmp_path: Path) -> None:
    for index, case in enumerate(CASES):
        folder = tmp_path / f"case{index:02d}"
        folder.mkdir()
        case.make(folder)
    write_tree(tmp_path, {"zz/error.md": ERROR_PAGE})
    before = snapshot(tmp_path)
    result = run([".", "--format", "json", "--no-cache"], tmp_path)
    assert result.code == 1
    assert snapshot(tmp_path) == before
    # With the cache on, the run writes its cache folder and nothing else.
    cached = run([".", "--format", "json"], tmp_path)
    assert cached.json() == result.json()
    after = snapshot(tmp_path)
    assert {path for path in after if not path.startswith(".monolint_cache")} == set(before)
    assert all(after[path] == before[path] for path in before)
    report = result.json()
    for index, case in enumerate(CASES):
        for path, expected in case.expected:
            assert expected in _findings(report, f"case{index:02d}/{path}"), case.name
        for path in case.skipped:
            assert _findings(report, f"case{index:02d}/{path}") == [], case.name
    assert report["summary"]["skipped"] == sum(len(case.skipped) for case in CASES)
    assert _findings(report, "zz/error.md") == [("MON401", DOSE_LINE, DOSE_COLUMN)]
    assert report["summary"]["errors"] == sum(1 for f in report["findings"] if f["severity"] == "error")


@pytest.mark.parametrize(
    ("make", "shown"),
    [
        pytest.param(lambda root: "nowhere.md", "'nowhere.md'", id="missing-file"),
        pytest.param(lambda root: "contnet", "'contnet'", id="missing-folder"),
        pytest.param(_not_a_folder, "'plain.md/page.md'", id="through-a-file"),
        pytest.param(lambda root: "missing/", "'missing/'", id="missing-with-slash"),
    ],
)
def test_a_path_that_does_not_exist_is_a_usage_error_before_anything_is_checked(
    tmp_path: Path, make: Callable[[Path], str], shown: str
) -> None:
    write_tree(tmp_path, {"before.md": ERROR_PAGE})
    result = run(["check", "--format", "json", "before.md", make(tmp_path)], tmp_path)
    assert_usage_error(result, f"monolint: error: no such file or folder: {shown}")
    assert result.stdout == ""  # nothing was checked, so nothing is reported


def test_every_missing_path_is_named_in_the_one_line(tmp_path: Path) -> None:
    write_tree(tmp_path, {"here.md": ERROR_PAGE})
    result = run(["here.md", "gone.md", "content", "also gone.md"], tmp_path)
    assert_usage_error(result)
    assert result.stderr == "monolint: error: no such file or folder: 'gone.md', 'content', 'also gone.md'\n"


def test_a_broken_link_named_on_the_command_line_is_a_finding_not_an_error(tmp_path: Path) -> None:
    # Like a broken link found in a folder: it is a file of the project (git tracks it and
    # pre-commit passes it), so it is reported as unreadable and the other pages are checked.
    write_tree(tmp_path, {"page.md": ERROR_PAGE})
    (tmp_path / "broken.md").symlink_to("nowhere.md")
    result = run(["--select", "input,dose", "broken.md", "page.md"], tmp_path)
    assert result.code == 1, result.stderr
    assert result.findings() == [("broken.md", 1, 1, "MON001"), ("page.md", DOSE_LINE, DOSE_COLUMN, "MON401")]


def test_lint_paths_raises_missing_path_error_naming_each_path(tmp_path: Path) -> None:
    write_tree(tmp_path, {"here.md": ERROR_PAGE})
    with pytest.raises(MissingPathError) as raised:
        lint_paths(["here.md", "a.md", tmp_path / "b"], Config(root=tmp_path, source=None), cwd=tmp_path)
    assert raised.value.paths == ("a.md", str(tmp_path / "b"))
    assert isinstance(raised.value, FileNotFoundError)
    assert str(raised.value) == f"no such file or folder: 'a.md', '{tmp_path / 'b'}'"


def test_a_file_that_vanishes_after_discovery_is_a_finding_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(tmp_path, {"pages/a.md": ERROR_PAGE, "pages/b.md": ERROR_PAGE, "pages/c.md": ERROR_PAGE})
    found = api.discover

    def discover_then_delete(*args: Any, **kwargs: Any) -> Iterator[Candidate]:
        for candidate in found(*args, **kwargs):
            if candidate.path.name == "b.md":
                candidate.path.unlink()  # found by the folder walk, gone before it is read
            yield candidate

    monkeypatch.setattr(api, "discover", discover_then_delete)
    options = Options(jobs=1, select=["input", "dose"])
    report = lint_paths(["pages"], Config(root=tmp_path, source=None), options, cwd=tmp_path)
    found_rules = [(f.path, f.rule) for f in report.findings]
    assert found_rules == [("pages/a.md", "MON401"), ("pages/b.md", "MON001"), ("pages/c.md", "MON401")]
    assert report.files == 3


def test_a_python_tag_runs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "PWNED"
    write_tree(tmp_path, {"tag.md": f"---\ntitle: !!python/object/apply:os.system ['touch {marker}']\n---\n"})
    result = run(["--select", "input", "tag.md"], tmp_path)
    assert result.findings() == [("tag.md", 2, 8, "MON006")]
    assert not marker.exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_named_md_is_reported_not_read(tmp_path: Path) -> None:
    # Opening a FIFO for reading blocks until a writer comes; the timeout turns a hang into a failure.
    os.mkfifo(tmp_path / "pipe.md")
    write_tree(tmp_path, {"page.md": ERROR_PAGE})
    result = run(["--select", "input,dose", "."], tmp_path, timeout=30)
    assert result.findings() == [("page.md", DOSE_LINE, DOSE_COLUMN, "MON401"), ("pipe.md", 1, 1, "MON001")]


def test_a_device_named_on_the_command_line_is_reported_not_read(tmp_path: Path) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    result = run(["--select", "input", "/dev/zero"], tmp_path, timeout=30)
    assert result.findings() == [("/dev/zero", 1, 1, "MON001")]


def _command_that_obeys_permissions() -> list[str] | None:
    """How to run monolint so that chmod 000 stops it. root reads such a file anyway, so as
    root drop the capabilities that bypass permissions (setpriv); None when that fails."""
    if os.geteuid() != 0:
        return monolint_command()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    prefix = [setpriv, "--bounding-set=-all", "--inh-caps=-all"]
    probe = subprocess.run([*prefix, "true"], capture_output=True, check=False)
    return [*prefix, *monolint_command()] if probe.returncode == 0 else None


@pytest.mark.skipif(os.name != "posix", reason="permission bits are POSIX")
def test_unreadable_file(tmp_path: Path) -> None:
    command = _command_that_obeys_permissions()
    if command is None:
        pytest.skip("running as root without setpriv: chmod 000 does not stop root from reading")
    write_tree(tmp_path, {"secret.md": CLEAN_PAGE, "open.md": ERROR_PAGE})
    (tmp_path / "secret.md").chmod(0)
    try:
        result = run(["."], tmp_path, command=command)
    finally:
        (tmp_path / "secret.md").chmod(0o644)
    assert result.code == 1
    assert result.findings() == [("open.md", DOSE_LINE, DOSE_COLUMN, "MON401"), ("secret.md", 1, 1, "MON001")]
    assert "Permission denied" in result.stdout
