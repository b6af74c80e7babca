"""How much the look-alike and misspelt-name rules add to a full run:
`python benchmarks/names_overhead.py [CORPUS] [--repeat N] [--rules-only]`.

With --rules-only it parses every page once and times each of the three checks alone, in this
process, with the facts other rules share (the outline, the page's names) worked out before the
clock starts: the rules' own cost, without the noise of whole runs.

Runs the real CLI (without the findings cache) on the corpus three ways, interleaved in
rotating order: without MON503 and MON504 (the rules on by default before them), with the
default rules (MON503 and MON504 on), and with MON502 selected too. It compares the fastest runs
(the least disturbed by other load) and the medians, in wall time and CPU time (user + system).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from cli_timing import DEFAULT_CORPUS, run_cli

WAYS = {
    "before (without MON503, MON504)": ["--ignore", "MON503,MON504"],
    "default (MON503, MON504 on)": [],
    "default + MON502": ["--extend-select", "MON502"],
}


def rules_only(corpus: Path, repeat: int) -> None:
    """Each check's own time over the corpus, the fastest of ``repeat`` passes."""
    from validator.content_model.load import load_content_model
    from validator.facts.page_facts import PageFacts
    from validator.parse.markdown import parse_page
    from validator.rules.registry import BY_ID

    model = load_content_model()
    pages = [parse_page(str(path), path.read_text(encoding="utf-8")) for path in sorted(corpus.rglob("*.md"))]
    for rule_id in ("MON502", "MON503", "MON504"):
        rule = BY_ID[rule_id]
        assert rule.check is not None
        best, found = float("inf"), 0
        for _ in range(repeat):
            facts = [PageFacts(page, model) for page in pages]
            for one in facts:
                _ = one.drug, one.outline  # shared with the structure rules: not this rule's cost
            start = time.process_time()
            found = sum(len(list(rule.check(one, rule.defaults))) for one in facts)
            best = min(best, time.process_time() - start)
        print(f"{rule_id} {rule.name:<24} {best:6.3f} s CPU for {len(pages):,} pages ({found:,} findings)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rules-only", action="store_true", help="time each check alone, in this process")
    args = parser.parse_args()
    if args.rules_only:
        rules_only(args.corpus, args.repeat)
        return
    pages = sum(1 for _ in args.corpus.rglob("*.md"))
    runs: dict[str, list[tuple[float, float]]] = {way: [] for way in WAYS}
    order = list(WAYS)
    for round_ in range(args.repeat):
        # Rotate which goes first, so that none always runs on a cold or warm machine.
        for way in order[round_ % len(order) :] + order[: round_ % len(order)]:
            runs[way].append(run_cli(args.corpus, "--no-cache", *WAYS[way]))
    print(f"corpus: {args.corpus} ({pages:,} pages), {args.repeat} runs each")
    base = runs[order[0]]
    for way, times in runs.items():
        for index, kind in ((0, "wall"), (1, "CPU")):
            values = [run[index] for run in times]
            fastest = 100 * (min(values) / min(run[index] for run in base) - 1)
            print(
                f"{way:<32} {kind:>4}: {min(values):6.2f} s fastest, {statistics.median(values):6.2f} s median "
                f"({fastest:+5.1f} % fastest vs before)"
            )


if __name__ == "__main__":
    main()
