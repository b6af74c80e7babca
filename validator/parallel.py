"""Check or fix many files, in worker processes when there are enough of them.

A handful of files (a pre-commit run, an editor) stays in this process: starting workers
would cost more than it saves. Tasks are taken from their iterable as workers need them and
results come back in the order of the tasks, whatever the number of workers, so the report
never depends on --jobs and a run holds only a window of tasks in flight, not the corpus.
"""

from __future__ import annotations

import gc
import itertools
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import entry_key
from .engine import check_bytes, read_file
from .finding import Finding
from .schema import ContentModel, load_content_model
from .selection import RuleSettings, SettingsData

if TYPE_CHECKING:
    from concurrent.futures import Future

    from .fix import FileFix

# Below this many files to check, one process is faster than starting workers.
PROCESS_THRESHOLD = 48
# Tasks sent to a worker at a time (fewer in a small run, so that its workers share it
# evenly), and chunks in flight per worker: enough to keep every worker busy while this
# process discovers files and collects results.
CHUNK = 32
CHUNKS_PER_WORKER = 8


@dataclass(frozen=True)
class Task:
    path: str  # as the file system knows it
    display: str  # as findings name it
    settings: SettingsData  # shared by most tasks; pickled once per chunk


@dataclass(frozen=True)
class Job:
    """What every task of a run shares; plain data, so workers can be spawned too."""

    schema: str | None  # the content model's file; None for the built-in one
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


def run(tasks: Iterable[Task], job: Job, jobs: int) -> Iterator[Any]:
    """The outcome of every task, in order: Checked when checking, FileFix when fixing.
    ``tasks`` is consumed lazily, a window ahead of the outcomes yielded."""
    _start(job)
    pending = iter(tasks)
    # Enough tasks to fill every worker's window, or all of a smaller run: its size decides
    # whether workers pay off and how finely to share it among them.
    first = list(itertools.islice(pending, max(PROCESS_THRESHOLD, jobs * CHUNKS_PER_WORKER * CHUNK)))
    if not first:
        return
    load_content_model(job.schema)  # errors surface here; forked workers inherit it
    if jobs <= 1 or len(first) < PROCESS_THRESHOLD:
        yield from map(_work, itertools.chain(first, pending))
        return
    workers = min(jobs, len(first))
    chunk = max(1, min(CHUNK, len(first) // (workers * CHUNKS_PER_WORKER)))
    yield from _in_workers(itertools.chain(first, pending), job, workers, chunk)


def _in_workers(tasks: Iterator[Task], job: Job, workers: int, chunk: int) -> Iterator[Any]:
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    in_flight: deque[tuple[Future[list[Any]], list[Task]]] = deque()
    unsent: list[Task] = []  # taken from ``tasks`` but not yet in flight
    window = workers * CHUNKS_PER_WORKER
    try:
        with ProcessPoolExecutor(workers, mp_context=_context(), initializer=_start_worker, initargs=(job,)) as pool:
            while True:
                while len(in_flight) < window and (unsent := list(itertools.islice(tasks, chunk))):
                    in_flight.append((pool.submit(_work_chunk, unsent), unsent))
                    unsent = []
                if not in_flight:
                    return
                yield from in_flight[0][0].result()
                in_flight.popleft()
    except BrokenProcessPool:
        # A worker died (killed, out of memory): finish the run here rather than lose it.
        # Chunks a live worker finished keep their outcomes: a fix must not be counted twice.
        for future, batch in in_flight:
            finished = future.done() and not future.cancelled() and future.exception() is None
            yield from future.result() if finished else map(_work, batch)
        yield from map(_work, itertools.chain(unsent, tasks))


def collect_less_often() -> None:
    """Run Python's cycle collector less often in a process that checks many pages.

    A page makes thousands of short-lived objects (markdown-it's tokens) that reference
    counting frees; at the default threshold of 700 allocations the collector scans them
    over and over for nothing, about 7 % of a run's CPU time. mypy raises it for the same
    reason. The command line calls this, and so does every worker: a library that calls
    lint_paths keeps its own setting."""
    if sys.implementation.name == "cpython":  # other collectors have other knobs
        gc.set_threshold(100_000, 50, 100)


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
    _state["settings"] = {}


def _start_worker(job: Job) -> None:
    _start(job)
    collect_less_often()
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


def _rule_settings(data: SettingsData) -> RuleSettings:
    known: dict[SettingsData, RuleSettings] = _state["settings"]
    settings = known.get(data)
    if settings is None:
        settings = known[data] = RuleSettings.from_data(data)
    return settings


def _work_chunk(tasks: list[Task]) -> list[Any]:
    return [_work(task) for task in tasks]


def _work(task: Task) -> Any:
    job: Job = _state["job"]
    settings = _rule_settings(task.settings)
    path = Path(task.path)
    if job.fix:
        from .fix import fix_file

        outcome: FileFix = fix_file(path, task.display, settings, _model(), job.unsafe, job.write)
        # Only standard input prints the fixed bytes; don't carry every page back.
        return replace(outcome, output=b"")
    raw = read_file(path, task.display, settings)
    if isinstance(raw, list):
        return Checked(raw, None)
    key = entry_key(raw, task.settings.key) if job.cache_keys else None
    return Checked(check_bytes(raw, task.display, settings, _model()), key)
