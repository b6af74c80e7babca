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
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from validator.check.engine import (
    RESOURCE_ERRORS,
    check_in_scope,
    internal_error_finding,
    read_file,
    resource_finding,
    worker_died_finding,
)
from validator.config.selection import RuleSettings, SettingsData
from validator.content_model.load import ContentModel, load_content_model
from validator.model.finding import Finding
from validator.run.cache import entry_key

if TYPE_CHECKING:
    from concurrent.futures import Future

    from validator.fix.apply import FileFix
    from validator.model.site import PageSummary

# Below this many files to check, one process is faster than starting workers.
PROCESS_THRESHOLD = 48
# Tasks sent to a worker at a time (fewer in a small run, so that its workers share it
# evenly), and chunks in flight per worker: enough to keep every worker busy while this
# process discovers files and collects results.
CHUNK = 32
CHUNKS_PER_WORKER = 8


@dataclass(frozen=True)
class ModelRef:
    """The content model a task is checked against; plain data, shared by the tasks that use
    it (so pickled once per chunk)."""

    schema: str | None  # the content model's file, resolved; None for the built-in one
    identity: str = ""  # its fingerprint, part of each page's cache key ("" when not caching)


@dataclass(frozen=True)
class Task:
    path: str  # as the file system knows it
    display: str  # as findings name it
    settings: SettingsData  # shared by most tasks; pickled once per chunk
    model: ModelRef = ModelRef(None)  # each file's configuration may name another


@dataclass(frozen=True)
class Job:
    """What every task of a run shares; plain data, so workers can be spawned too."""

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
    skipped: bool = False  # out of the content model's scope (its front matter says so)
    # For the rules that compare pages, when one is enabled for the page (plain data).
    summary: PageSummary | None = None


def default_jobs() -> int:
    """The CPUs this process may use (not all the machine's, under a CPU affinity mask)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def run(tasks: Iterable[Task], job: Job, jobs: int) -> Iterator[Any]:
    """The outcome of every task, in order: Checked when checking, FileFix when fixing.
    ``tasks`` is consumed lazily, a window ahead of the outcomes yielded."""
    _start(job)
    pending = _models_loaded(tasks)
    # Enough tasks to fill every worker's window, or all of a smaller run: its size decides
    # whether workers pay off and how finely to share it among them.
    first = list(itertools.islice(pending, max(PROCESS_THRESHOLD, jobs * CHUNKS_PER_WORKER * CHUNK)))
    if not first:
        return
    if jobs <= 1 or len(first) < PROCESS_THRESHOLD:
        yield from map(_work, itertools.chain(first, pending))
        return
    workers = min(jobs, len(first))
    chunk = max(1, min(CHUNK, len(first) // (workers * CHUNKS_PER_WORKER)))
    yield from _in_workers(itertools.chain(first, pending), job, workers, chunk)


def _models_loaded(tasks: Iterable[Task]) -> Iterator[Task]:
    """The tasks, each after its content model has loaded in this process: a broken model
    is an error of the run (raised here, not in a worker), and workers forked later inherit
    the models loaded."""
    loaded: set[str | None] = set()
    for task in tasks:
        if task.model.schema not in loaded:
            load_content_model(task.model.schema)
            loaded.add(task.model.schema)
        yield task


def _in_workers(tasks: Iterator[Task], job: Job, workers: int, chunk: int) -> Iterator[Any]:
    """Run the tasks in pools of workers; when a worker dies, the chunks it left unfinished
    are run again, each in a process of its own (so the page that killed it is found and
    reported), and a fresh pool takes the rest. No page is ever re-run in this process: the
    page that killed a worker would kill the run."""
    unsent: list[Task] = []  # taken from ``tasks`` but not yet in flight
    while True:
        broken = yield from _pool(tasks, job, workers, chunk, unsent)
        if broken is None:
            return
        if not broken:  # the pool broke before it did anything: don't start another
            yield from _isolated(list(itertools.chain(unsent, tasks)), job)
            return


def _pool(
    tasks: Iterator[Task], job: Job, workers: int, chunk: int, unsent: list[Task]
) -> Generator[Any, None, bool | None]:
    """Run tasks in one pool of workers, ``unsent`` first. Returns None when all are done,
    else whether any chunk was finished before a worker died; ``unsent`` then holds the
    tasks taken but never sent."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    in_flight: deque[tuple[Future[list[Any]], list[Task]]] = deque()
    window = workers * CHUNKS_PER_WORKER
    progress = False
    try:
        with ProcessPoolExecutor(workers, mp_context=_context(), initializer=_start_worker, initargs=(job,)) as pool:
            while True:
                while len(in_flight) < window:
                    if not unsent:
                        unsent.extend(itertools.islice(tasks, chunk))
                    if not unsent:
                        break
                    batch = list(unsent)
                    in_flight.append((pool.submit(_work_chunk, batch), batch))
                    unsent.clear()
                if not in_flight:
                    return None
                future, batch = in_flight[0]
                outcomes = _outcomes(future)
                yield from outcomes if outcomes is not None else _isolated(batch, job)
                in_flight.popleft()
                progress = True
    except BrokenProcessPool:
        # Chunks a live worker finished keep their outcomes: a fix must not be counted twice.
        for future, batch in in_flight:
            outcomes = _outcomes(future) if future.done() else None
            yield from outcomes if outcomes is not None else _isolated(batch, job)
            progress = True
    return progress


def _outcomes(future: Future[list[Any]]) -> list[Any] | None:
    """A chunk's outcomes, or None when its worker died or the chunk failed outside any
    page's check (its outcomes could not be sent back: too many findings for the memory
    left); its pages are then run again one by one."""
    try:
        return future.result()
    except Exception:
        return None


def _isolated(tasks: list[Task], job: Job) -> Iterator[Any]:
    """The outcomes of ``tasks``, run one after the other in a process of their own. When
    that process dies, the page it was on gets the finding that says so, and a new process
    takes the pages after it."""
    context = _context()
    while tasks:
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_child, args=(sender, tasks, job), daemon=True)
        process.start()
        sender.close()  # so that the child's death ends recv() with EOFError
        done = 0
        try:
            while done < len(tasks):
                try:
                    outcome = receiver.recv()
                except EOFError:
                    break
                done += 1
                yield outcome
        finally:
            receiver.close()
            if done < len(tasks) and process.is_alive():  # the caller stopped early
                process.kill()
            process.join()
        if done < len(tasks):
            yield _failed(
                tasks[done], worker_died_finding(tasks[done].display, process.exitcode, _settings(tasks[done]))
            )
            done += 1
        tasks = tasks[done:]


def _child(sender: Any, tasks: list[Task], job: Job) -> None:
    """Run tasks in a process of their own, sending each outcome as soon as it is known, so
    that the parent knows which page the process was on if it dies."""
    try:
        _start_worker(job)
        for task in tasks:
            try:
                outcome = _work(task)
            except Exception as error:  # a bug, not a limit: say so, as the engine would
                outcome = _failed(task, internal_error_finding(task.display, error, _settings(task)))
            try:
                sender.send(outcome)
                continue
            except RESOURCE_ERRORS as error:  # the outcome is too big to send
                limit = type(error)
            del outcome
            sender.send(_failed(task, resource_finding(task.display, limit, _settings(task), "reporting it")))
        sender.close()
    except BaseException:  # no traceback on the user's terminal: the parent reports the page
        os._exit(70)


def collect_less_often() -> None:
    """Run Python's cycle collector less often in a process that checks many pages.

    A page makes thousands of short-lived objects (markdown-it's tokens) that reference
    counting frees; at the default threshold of 700 allocations the collector scans them
    over and over for nothing (the cost: benchmarks/README.md). mypy raises it for the same
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
    _state["models"] = {}


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


def _model(ref: ModelRef) -> ContentModel:
    known: dict[str | None, ContentModel] = _state["models"]
    model = known.get(ref.schema)
    if model is None:
        model = known[ref.schema] = load_content_model(ref.schema)
    return model


def _rule_settings(data: SettingsData) -> RuleSettings:
    known: dict[SettingsData, RuleSettings] = _state["settings"]
    settings = known.get(data)
    if settings is None:
        settings = known[data] = RuleSettings.from_data(data)
    return settings


def _work_chunk(tasks: list[Task]) -> list[Any]:
    return [_work(task) for task in tasks]


def _work(task: Task) -> Any:
    """Check or fix one page; a page that exhausts memory or the stack gets its finding."""
    try:
        return _do(task)
    except RESOURCE_ERRORS as error:
        limit = type(error)
    # Out of the handler: what the failed work held is freed before the finding is built.
    doing = "fixing it" if _state["job"].fix else "checking it"
    return _failed(task, resource_finding(task.display, limit, _settings(task), doing))


def _settings(task: Task) -> RuleSettings:
    return _rule_settings(task.settings)


def _failed(task: Task, findings: list[Finding]) -> Any:
    """The outcome of a page that could not be checked or fixed: its finding, nothing written."""
    job: Job = _state["job"]
    if job.fix:
        from validator.fix.apply import FileFix

        return FileFix(tuple(findings), 0, b"", original=tuple(findings), failure=findings[0])
    return Checked(findings, None)


def _do(task: Task) -> Any:
    job: Job = _state["job"]
    settings = _rule_settings(task.settings)
    path = Path(task.path)
    if job.fix:
        from validator.fix.apply import fix_file

        outcome: FileFix = fix_file(
            path, task.display, settings, _model(task.model), job.unsafe, job.write, scoped=True
        )
        # Only standard input prints the fixed bytes; don't carry every page back.
        return replace(outcome, output=b"")
    raw = read_file(path, task.display, settings)
    if isinstance(raw, list):
        return Checked(raw, None)
    key = entry_key(raw, task.settings.key, task.model.identity) if job.cache_keys else None
    summaries: list[PageSummary] = []
    findings = check_in_scope(raw, task.display, settings, _model(task.model), summaries)
    if findings is None:
        return Checked([], key, skipped=True)
    return Checked(findings, key, summary=summaries[0] if summaries else None)
