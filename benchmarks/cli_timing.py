"""Timing one run of the real CLI, shared by the overhead benchmarks (dose_overhead.py,
names_overhead.py), which run from this folder (`python benchmarks/...`)."""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "rxhive"


def run_cli(corpus: Path, *extra: str) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one `monolint check CORPUS` with ``extra``."""
    command = [sys.executable, "-m", "validator", "check", str(corpus), "--quiet", "--exit-zero", *extra]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
