"""Check or fix many files, in worker processes when there are enough of them.

A handful of files (a pre-commit run, an editor) stays in this process: starting workers
would cost more than it saves. Results come back in the order of the tasks, whatever the
number of workers, so the report never depends on --jobs.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import entry_key
from .engine import check_bytes, read_file
from .finding import Finding
from .schema import ContentModel, load_content_model
from .selection import RuleSettings, SettingsData

if TYPE_CHECKING:
    from .fix import FileFix

# Below this many files to check, one process is faster than starting workers.
PROCESS_THRESHOLD = 48


@dataclass(frozen=True)
class Task:
    path: str  # as the file system knows it
    display: str  # as findings name it
    settings: int  # index into Job.settings


@dataclass(frozen=True)
class Job:
    """What every task of a run shares; plain data, so workers can be spawned too."""

    schema: str | None  # the content model's file; None for the built-in one
    settings: tuple[SettingsData, ...]
    fix: bool = False
    unsafe: bool = False
    write: bool = True  # with fix: write the pages (not with --diff)
    cache_keys: bool = False  # compute each checked page's cache key


@dataclass(frozen=True)
class Checked:
    """A checked file: its findings, and the cache key of the bytes and settings they
    describe (None when the file could not be read, or nothing is cached)."""

    findings: list[Finding]
    key: str | None


def default_jobs() -> int:
    """The CPUs this process may use (not all the machine's, under a CPU affinity mask)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def run(tasks: Sequence[Task], job: Job, jobs: int) -> list[Any]:
    """The outcome of every task, in order: Checked when checking, FileFix when fixing."""
    _start(job)
    if tasks:
        load_content_model(job.schema)  # errors surface here; forked workers inherit it
    if jobs <= 1 or len(tasks) < PROCESS_THRESHOLD:
        return [_work(task) for task in tasks]
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    workers = min(jobs, len(tasks))
    chunk = max(1, min(32, len(tasks) // (workers * 8)))
    try:
        with ProcessPoolExecutor(workers, mp_context=_context(), initializer=_start_worker, initargs=(job,)) as pool:
            return list(pool.map(_work, tasks, chunksize=chunk))
    except BrokenProcessPool:
        # A worker died (killed, out of memory): finish the run here rather than lose it.
        return [_work(task) for task in tasks]


def _context() -> Any:
    import multiprocessing

    # fork starts a worker in milliseconds, with the modules and the content model already
    # loaded; the other methods import them again in every worker.
    if sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


_state: dict[str, Any] = {}


def _start(job: Job) -> None:
    _state["job"] = job
    _state["settings"] = [RuleSettings.from_data(data) for data in job.settings]


def _start_worker(job: Job) -> None:
    _start(job)
    # A worker whose parent was killed (kill -9, the OOM killer) would go on fixing pages,
    # then wait forever for work; it ends itself instead.
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, name="monolint-parent-watch", daemon=True).start()


def _model() -> ContentModel:
    job: Job = _state["job"]
    return load_content_model(job.schema)  # cached per file: loaded once per process


def _work(task: Task) -> Any:
    job: Job = _state["job"]
    settings: RuleSettings = _state["settings"][task.settings]
    path = Path(task.path)
    if job.fix:
        from .fix import fix_file

        outcome: FileFix = fix_file(path, task.display, settings, _model(), job.unsafe, job.write)
        # Only standard input prints the fixed bytes; don't carry every page back.
        return replace(outcome, output=b"")
    raw = read_file(path, task.display, settings)
    if isinstance(raw, list):
        return Checked(raw, None)
    key = entry_key(raw, job.settings[task.settings].key) if job.cache_keys else None
    return Checked(check_bytes(raw, task.display, settings, _model()), key)
