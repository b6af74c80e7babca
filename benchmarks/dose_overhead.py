"""How much dose checking adds to a full run: `python benchmarks/dose_overhead.py [CORPUS]`.

Runs the real CLI on the corpus with every rule and with the dose rules ignored, several
times each, interleaved in alternating order, and compares the fastest runs (the least
disturbed by other load) and the medians, in wall time and in CPU time (user + system).
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from cli_timing import DEFAULT_CORPUS, run_cli


def _report(kind: str, with_dose: list[float], without: list[float]) -> None:
    fastest = 100 * (min(with_dose) / min(without) - 1)
    median = 100 * (statistics.median(with_dose) / statistics.median(without) - 1)
    print(
        f"{kind:>4} time: all rules {min(with_dose):6.2f} s fastest, {statistics.median(with_dose):6.2f} s median; "
        f"without dose rules {min(without):6.2f} s, {statistics.median(without):6.2f} s; "
        f"dose checking adds {fastest:4.1f} % (fastest), {median:4.1f} % (median)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    pages = sum(1 for _ in args.corpus.rglob("*.md"))
    with_dose: list[tuple[float, float]] = []
    without: list[tuple[float, float]] = []
    for round_ in range(args.repeat):
        # Alternate which goes first, so that neither always runs on a cold or warm machine.
        if round_ % 2:
            without.append(run_cli(args.corpus, "--ignore", "dose"))
            with_dose.append(run_cli(args.corpus))
        else:
            with_dose.append(run_cli(args.corpus))
            without.append(run_cli(args.corpus, "--ignore", "dose"))
    print(f"corpus: {args.corpus} ({pages:,} pages), {args.repeat} runs each")
    for index, kind in ((0, "wall"), (1, "CPU")):
        _report(kind, [run[index] for run in with_dose], [run[index] for run in without])
    print(f"throughput with all rules: {pages / min(run[0] for run in with_dose):,.0f} pages/s (fastest run)")


if __name__ == "__main__":
    main()
