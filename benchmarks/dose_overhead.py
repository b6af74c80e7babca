"""How much dose checking adds to a full run: `python benchmarks/dose_overhead.py [CORPUS]`.

Runs the real CLI on the corpus with every rule and with the dose rules ignored, several
times each, interleaved, and compares the fastest runs (the least disturbed by other load).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "rxhive"


def _run(corpus: Path, *extra: str) -> float:
    command = [sys.executable, "-m", "validator", "check", str(corpus), "--quiet", "--exit-zero", *extra]
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    pages = sum(1 for _ in args.corpus.rglob("*.md"))
    with_dose, without = [], []
    for _ in range(args.repeat):
        with_dose.append(_run(args.corpus))
        without.append(_run(args.corpus, "--ignore", "dose"))
    best_with, best_without = min(with_dose), min(without)
    print(f"corpus: {args.corpus} ({pages:,} pages), {args.repeat} runs each, fastest shown")
    print(f"all rules:          {best_with:6.2f} s  ({pages / best_with:,.0f} pages/s)")
    print(f"without dose rules: {best_without:6.2f} s")
    print(f"dose checking adds: {100 * (best_with / best_without - 1):5.1f} %")


if __name__ == "__main__":
    main()
