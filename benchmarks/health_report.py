"""The health report's cost: `python benchmarks/health_report.py [--repeat 3] [--json OUT]`.

On the real corpus (read in place) and on 50,000 generated pages (generate_corpus.py, in
$TMPDIR, or --generated FOLDER), it times `monolint report . -o FILE` against `monolint check .
--format json -o FILE`, both with no cache, in the corpus folder, alternating the two in each
round so that other load on the machine hits both alike. The report lints once
(api.lint_paths) and adds its figures and its HTML: the difference is that work. Prints the
fastest and the median of each.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RXHIVE = REPO.parent / "shared" / "corpus" / "rxhive"
MONOLINT = [sys.executable, "-m", "validator"]
CHECK, REPORT = "check --format json", "report"


def _time(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run([*MONOLINT, *args], cwd=cwd, capture_output=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1) or b"Traceback" in done.stderr:
        raise SystemExit(f"monolint {' '.join(args)} failed: {done.stderr.decode()[-500:]}")
    return wall


def measure(corpus: Path, repeat: int, out: Path) -> dict[str, object]:
    html, report = out / "report.html", out / "report.json"
    runs: dict[str, list[float]] = {CHECK: [], REPORT: []}
    for _ in range(repeat):
        runs[CHECK].append(_time(["check", ".", "--no-cache", "--format", "json", "-o", str(report)], corpus))
        runs[REPORT].append(_time(["report", ".", "--no-cache", "-o", str(html)], corpus))
    summary = json.loads(report.read_text(encoding="utf-8"))["summary"]
    result: dict[str, object] = {
        "corpus": str(corpus),
        "pages": summary["files"],
        "findings": summary["findings"],
        "report_bytes": html.stat().st_size,
    }
    for name, walls in runs.items():
        result[name] = {"fastest": round(min(walls), 2), "median": round(statistics.median(walls), 2)}
    result["report / check (fastest)"] = round(min(runs[REPORT]) / min(runs[CHECK]), 3)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=RXHIVE, help="the real corpus, read in place")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pages50k", type=int, default=50_000, help="pages in the generated corpus")
    parser.add_argument("--seed", type=int, default=5, help="of the generated corpus")
    parser.add_argument("--generated", type=Path, help="an already generated corpus [default: generate one]")
    parser.add_argument("--skip-50k", action="store_true", help="only the real corpus")
    parser.add_argument("--json", type=Path, help="also save the results here")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="monolint-health-") as temporary:
        out = Path(temporary)
        corpora = [args.corpus.resolve()]
        if not args.skip_50k:
            generated = args.generated
            if generated is None:
                sys.path.insert(0, str(Path(__file__).parent))
                from generate_corpus import generate

                generated = generate(out / "generated", args.pages50k, args.seed)
            corpora.append(generated.resolve())
        for corpus in corpora:
            result = measure(corpus, args.repeat, out)
            print(json.dumps(result, indent=2), flush=True)
            results.append(result)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
