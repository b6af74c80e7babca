"""`monolint check --fix` killed with SIGKILL in the middle of a run loses nothing.

Two thousand generated pages with fixable dose errors are fixed in a temporary folder (so
the run uses worker processes), and the run is killed several times: right after a chosen
page has been replaced, so that the kill is known to fall mid-run, and after an extra
delay that lands it anywhere in the writes that follow. After each kill every page must
be, byte for byte, either its original or its fully fixed content; a temporary file may be
left behind only under a name monolint never checks. A last, uninterrupted run then
finishes the job.

A kill of the whole process group is what a cancelled CI job or a closed terminal does. A
kill of the main process alone (the out-of-memory killer, `kill -9 PID`) must take its
workers down too, or they go on writing pages after the run is gone.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers_cli import monolint_command, page, run

from validator.api import Options, fix_text
from validator.config.files import Config

PAGES = 2000
# (how far into the pages still to fix the page that triggers the kill lies, then how long
# to wait): later and later, each run resuming where the one before was killed.
KILLS = [(0.0, 0.0), (0.1, 0.002), (0.2, 0.05), (0.3, 0.3), (0.5, 0.0)]
TEMP_FILE = re.compile(r"\.page-\d{4}\.md\.[^/]*\.monolint-tmp")
COMMAND = ["check", "--isolated", "--fix", "--exit-zero", "--quiet", "."]


def original(index: int) -> bytes:
    # Each page differs, has six safe dose fixes, and keeps CRLF endings and non-ASCII text.
    extra = f"Page {index} 💊: give 5.0 mg or .5 mg in 10ml, then 1000 mcg."
    return page(dose="500mg", extra=extra).replace("\n", "\r\n").encode("utf-8")


def fixed(index: int) -> bytes:
    extra = f"Page {index} 💊: give 5 mg or 0.5 mg in 10 mL, then 1,000 mcg."
    return page(dose="500 mg", extra=extra).replace("\n", "\r\n").encode("utf-8")


def name(index: int) -> str:
    return f"page-{index:04}.md"


def write_pages(root: Path) -> Path:
    root.mkdir()
    for index in range(PAGES):
        (root / name(index)).write_bytes(original(index))
    return root


def test_the_expected_fixed_pages_are_what_fix_text_gives() -> None:
    isolated = Config(root=Path(__file__).parent.parent, source=None)
    for index in (0, 1, PAGES - 1):
        assert fix_text(original(index), name(index), isolated, Options(fix=True)).output == fixed(index)


def _group(leader: int) -> list[int]:
    """The processes still alive in the process group of the run started as ``leader``."""
    alive = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # ended meanwhile
            if int(fields[2]) == leader and fields[0] != "Z":  # fields: state, ppid, pgrp
                alive.append(int(entry.name))
    return alive


class Run:
    """`monolint check --fix` on a folder, in a process group of its own."""

    def __init__(self, folder: Path) -> None:
        self.process = subprocess.Popen(
            [*monolint_command(), *COMMAND],
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def wait_until_replaced(self, path: Path, timeout: float = 120) -> None:
        """Return as soon as ``path`` is a new file (a fixed page is moved into place)."""
        inode, deadline = path.stat().st_ino, time.monotonic() + timeout
        while path.stat().st_ino == inode:
            assert self.process.poll() is None, f"monolint ended before it replaced {path.name}"
            assert time.monotonic() < deadline, f"{path.name} was not replaced within {timeout} s"
            time.sleep(0.001)

    def kill_group(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)  # the group's id is the run's own pid
        self.process.wait(timeout=60)


@pytest.fixture
def started() -> Iterator[list[Run]]:
    """Runs a test starts; whatever is left of them is killed at the end."""
    runs: list[Run] = []
    yield runs
    for started_run in runs:
        if _group(started_run.process.pid):
            os.killpg(started_run.process.pid, signal.SIGKILL)
        started_run.process.wait(timeout=60)


def _states(root: Path) -> tuple[list[int], list[int]]:
    """Indexes of the original and of the fixed pages; every page is one or the other."""
    originals, fixes, broken = [], [], []
    for index in range(PAGES):
        content = (root / name(index)).read_bytes()
        if content == original(index):
            originals.append(index)
        elif content == fixed(index):
            fixes.append(index)
        else:
            broken.append(f"{name(index)}: {len(content)} bytes, {content[:60]!r}...")
    assert broken == [], "pages that are neither original nor fixed"
    return originals, fixes


def _leftovers(root: Path) -> list[str]:
    return sorted({path.name for path in root.iterdir()} - {name(index) for index in range(PAGES)})


def test_a_killed_fix_leaves_each_page_original_or_fixed(tmp_path: Path, started: list[Run]) -> None:
    folder = write_pages(tmp_path / "pages")
    fixed_before = 0
    for position, delay in KILLS:
        originals, _ = _states(folder)
        trigger = originals[int(position * len(originals))]
        started.append(fixing := Run(folder))
        fixing.wait_until_replaced(folder / name(trigger))
        time.sleep(delay)
        fixing.kill_group()
        assert fixing.process.returncode == -signal.SIGKILL, "the run was killed, it did not end by itself"
        originals, fixes = _states(folder)
        # Mid-run: this run fixed more pages than the one before, and left some for later.
        assert fixed_before < len(fixes) and trigger in fixes and originals, (trigger, len(fixes))
        fixed_before = len(fixes)
        # A kill between creating the temporary file and moving it into place leaves it; it
        # is a hidden file that does not end in .md, so monolint never checks it.
        assert all(TEMP_FILE.fullmatch(leftover) for leftover in _leftovers(folder)), _leftovers(folder)
    finished = run(["check", "--isolated", "--fix", "--format", "json", "."], folder, timeout=300)
    assert finished.code == 0 and finished.json()["findings"] == [], finished.stdout[:2000]
    assert finished.json()["summary"]["files"] == PAGES, "a temporary file left behind was checked as a page"
    originals, fixes = _states(folder)
    assert (originals, len(fixes)) == ([], PAGES)


def test_killing_the_main_process_stops_its_workers(tmp_path: Path, started: list[Run]) -> None:
    folder = write_pages(tmp_path / "pages")
    started.append(fixing := Run(folder))
    fixing.wait_until_replaced(folder / name(100))
    assert len(_group(fixing.process.pid)) > 1, "the run fixes in worker processes"
    fixing.process.send_signal(signal.SIGKILL)  # the main process only
    fixing.process.wait(timeout=60)
    deadline = time.monotonic() + 5
    while _group(fixing.process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    orphans = _group(fixing.process.pid)
    _states(folder)  # whatever the orphans wrote, each page is whole
    assert orphans == [], f"workers {orphans} outlived their main process by 5 s"
