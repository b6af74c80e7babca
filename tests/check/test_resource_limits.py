"""A page that exhausts a resource (memory, the stack, its worker's CPU time) is that page's
MON011 finding: the run goes on, the other pages keep their findings, the exit code is 1 and
--fix writes nothing on it. Each test runs the real command line in a subprocess under a real
limit (setrlimit), with pages the test writes."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers_cli import CLEAN_PAGE, DOSE_COLUMN, DOSE_LINE, ERROR_PAGE, Result, monolint_command, snapshot, write_tree

from validator.run.parallel import PROCESS_THRESHOLD

resource = pytest.importorskip("resource", reason="resource limits need the POSIX resource module")
pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS and fork workers behave so on Linux")

FRONT = "---\nlayout: minimal-medicine\ntitle: Testamol\n---\n\n# Testamol\n\n"
MB = 1024 * 1024
# A normal run needs well under 100 MB of address space; 768 MB leaves room for whatever the
# page builder and the workers need later, and a page of 10 million paragraphs (markdown-it
# makes three tokens of each) needs gigabytes, however lean the builder becomes.
MEMORY_LIMIT = 768 * MB
MEMORY_HOG = FRONT + "x\n\n" * 10_000_000  # 30 MB, under the 32 MB monolint reads
# Nesting deeper than Python's recursion limit: PyYAML's composer recurses per level.
DEEP_FRONT_MATTER = "---\nlayout: minimal-medicine\ntitle: " + "[" * 1500 + "]" * 1500 + "\n---\n\n# Testamol\n"
# A worker checking this 30 MB line (its last word a dose, so its inline markup is parsed
# character by character) takes seconds of CPU time; the limit below kills it long before.
CPU_HOG = FRONT + "word " * 6_000_000 + "5mg\n"
CPU_SECONDS = 2


def _limited(**limits: tuple[int, int]) -> Callable[[], None]:
    """Set resource limits (name: (soft, hard)) in the child before it runs monolint."""

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # SIGXCPU dumps core otherwise
        for name, soft_hard in limits.items():
            resource.setrlimit(getattr(resource, name), soft_hard)

    return apply


def _run(args: list[str], cwd: Path, limits: Callable[[], None], timeout: float = 300) -> Result:
    completed = subprocess.run(
        [*monolint_command(), *args],
        cwd=cwd,
        input=b"",
        capture_output=True,
        preexec_fn=limits,  # the limit applies from the start; the test runs no threads
        timeout=timeout,
        check=False,
    )
    result = Result(completed.returncode, completed.stdout.decode(), completed.stderr.decode())
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    return result


def _by_path(result: Result) -> dict[str, list[tuple[str, int, int]]]:
    found: dict[str, list[tuple[str, int, int]]] = {}
    for finding in result.json()["findings"]:
        found.setdefault(finding["path"], []).append((finding["rule"], finding["line"], finding["column"]))
    return found


def _messages(result: Result, path: str) -> list[str]:
    return [finding["message"] for finding in result.json()["findings"] if finding["path"] == path]


def _pages(root: Path, count: int) -> dict[str, list[tuple[str, int, int]]]:
    """``count`` pages, every other one with a dose error; their expected findings."""
    write_tree(root, {f"pages/p{index:03d}.md": ERROR_PAGE if index % 2 else CLEAN_PAGE for index in range(count)})
    return {f"pages/p{index:03d}.md": [("MON401", DOSE_LINE, DOSE_COLUMN)] for index in range(1, count, 2)}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_page_that_exhausts_memory_is_its_own_finding(tmp_path: Path, jobs: str) -> None:
    # With --jobs 2 and enough pages, the page is checked in a worker, which inherits the limit.
    expected = _pages(tmp_path, PROCESS_THRESHOLD if jobs == "2" else 4)
    write_tree(tmp_path, {"pages/p001-hog.md": MEMORY_HOG})
    result = _run(
        ["check", "--no-cache", "--format", "json", "--jobs", jobs, "pages"],
        tmp_path,
        _limited(RLIMIT_AS=(MEMORY_LIMIT, MEMORY_LIMIT)),
    )
    assert result.code == 1, result.stderr
    assert result.stderr == ""
    found = _by_path(result)
    assert found.pop("pages/p001-hog.md") == [("MON011", 1, 1)]
    assert found == expected
    (message,) = _messages(result, "pages/p001-hog.md")
    assert "memory limit (MemoryError)" in message


def test_a_page_nested_deeper_than_the_stack_is_its_own_finding(tmp_path: Path) -> None:
    expected = _pages(tmp_path, 4)
    write_tree(tmp_path, {"pages/p001-deep.md": DEEP_FRONT_MATTER})
    result = _run(["check", "--no-cache", "--format", "json", "pages"], tmp_path, _limited())
    assert result.code == 1, result.stderr
    found = _by_path(result)
    assert found.pop("pages/p001-deep.md") == [("MON011", 1, 1)]
    assert found == expected
    (message,) = _messages(result, "pages/p001-deep.md")
    assert "recursion limit" in message and "RecursionError" in message


def test_a_page_that_kills_its_worker_is_found_and_the_rest_is_kept(tmp_path: Path) -> None:
    # More pages than one window of chunks, so that the pool is replaced while tasks remain.
    expected = _pages(tmp_path, 3 * PROCESS_THRESHOLD)
    write_tree(tmp_path, {"pages/p050-cpu.md": CPU_HOG})
    limits = _limited(RLIMIT_CPU=(CPU_SECONDS, CPU_SECONDS + 5))
    result = _run(["check", "--no-cache", "--format", "json", "--jobs", "2", "pages"], tmp_path, limits)
    assert result.code == 1, result.stderr
    assert result.stderr == ""
    found = _by_path(result)
    assert found.pop("pages/p050-cpu.md") == [("MON011", 1, 1)], "the page no longer costs its worker 2 s of CPU?"
    assert found == expected
    (message,) = _messages(result, "pages/p050-cpu.md")
    assert "the process checking it died (killed by SIGXCPU)" in message


def test_fix_writes_nothing_on_a_page_that_exhausts_memory(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.md": ERROR_PAGE, "b-hog.md": MEMORY_HOG.replace("x\n", "Take 10mg.\n", 1)})
    before = snapshot(tmp_path)
    result = _run(
        ["check", "--fix", "--no-cache", "--format", "json", "."],
        tmp_path,
        _limited(RLIMIT_AS=(MEMORY_LIMIT, MEMORY_LIMIT)),
    )
    assert result.code == 1, result.stderr
    found = _by_path(result)
    assert found == {"b-hog.md": [("MON011", 1, 1)]}  # a.md was fixed
    assert (tmp_path / "a.md").read_text(encoding="utf-8") != ERROR_PAGE
    assert snapshot(tmp_path)["b-hog.md"] == before["b-hog.md"]
    assert not list(tmp_path.glob("*.monolint-tmp"))
