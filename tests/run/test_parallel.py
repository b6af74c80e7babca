"""Runs in worker processes: tasks stream through a window, results come back in
discovery order, per-path settings travel with their tasks, and a dead worker loses nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers_cli import CLEAN_PAGE, write_tree

from validator.api import Options, lint_paths
from validator.config.files import load_config
from validator.run import parallel

BAD = CLEAN_PAGE.replace("### Dosage\n", "### Dosage\nTake 10mg or 5.0 mg daily.\n", 1)
# More files than one window of chunks, so that tasks are taken while others are in flight.
MANY = parallel.CHUNK * parallel.CHUNKS_PER_WORKER * 2 + 37


def _corpus(root: Path, count: int = MANY) -> Path:
    write_tree(
        root,
        {f"pages/{index // 50:02d}/p{index:04d}.md": BAD if index % 3 else CLEAN_PAGE for index in range(count)},
    )
    return root


def _lint(root: Path, jobs: int, cache: Path | None = None) -> list[tuple[str, int, str]]:
    options = Options(jobs=jobs, cache_dir=cache, list_checked=True)
    report = lint_paths(["pages"], load_config(None, root), options, cwd=root)
    assert report.checked == tuple(sorted(report.checked)) and report.files == len(report.checked) == MANY
    return [(finding.path, finding.start.line, finding.rule) for finding in report.findings]


def test_worker_runs_report_in_discovery_order(tmp_path: Path) -> None:
    root = _corpus(tmp_path)
    one = _lint(root, 1)
    assert _lint(root, 2) == _lint(root, 3) == one
    assert len({path for path, _, _ in one}) == MANY * 2 // 3
    assert [path for path, _, _ in one] == sorted(path for path, _, _ in one)


def test_cached_and_checked_files_interleave_in_order(tmp_path: Path) -> None:
    root = _corpus(tmp_path)
    cache = tmp_path / "cache"
    expected = _lint(root, 1)
    _lint(root, 2, cache)
    # Every third page changes (and stays bad), so checked pages sit between cached ones.
    for index in range(0, MANY, 3):
        page = root / "pages" / f"{index // 50:02d}" / f"p{index:04d}.md"
        page.write_text(BAD.replace("10mg", "20mg"), encoding="utf-8")
    expected = _lint(root, 1)
    assert _lint(root, 2, cache) == expected
    assert _lint(root, 2, cache) == expected  # and now all from the cache


def test_per_path_settings_reach_the_workers(tmp_path: Path) -> None:
    root = _corpus(tmp_path)
    (root / "monolint.toml").write_text(
        '[[overrides]]\nfiles = ["pages/01/**"]\nignore = ["MON401"]\n', encoding="utf-8"
    )
    findings = _lint(root, 2)
    assert findings == _lint(root, 1)
    rules_by_folder = {(path.split("/")[1], rule) for path, _, rule in findings}
    assert ("00", "MON401") in rules_by_folder
    assert ("01", "MON401") not in rules_by_folder
    assert ("01", "MON402") in rules_by_folder


def test_a_worker_that_dies_loses_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _corpus(tmp_path)
    expected = _lint(root, 1)
    parent = os.getpid()
    real = parallel._work_chunk

    def dies_on_one_chunk(tasks: list[parallel.Task]) -> list[object]:
        if os.getpid() != parent and any(task.display.endswith("p0100.md") for task in tasks):
            os._exit(1)  # as the out-of-memory killer would end it
        return real(tasks)

    # Pickled by name: the forked workers find this function under the real one's name.
    dies_on_one_chunk.__qualname__ = real.__qualname__
    dies_on_one_chunk.__module__ = real.__module__
    monkeypatch.setattr(parallel, "_work_chunk", dies_on_one_chunk)
    assert _lint(root, 2) == expected


def test_a_run_lists_its_files_only_when_asked(tmp_path: Path) -> None:
    root = _corpus(tmp_path, 60)
    report = lint_paths(["pages"], load_config(None, root), Options(jobs=2), cwd=root)
    assert report.files == 60 and report.checked == ()
