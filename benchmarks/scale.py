"""How monolint scales: `python benchmarks/scale.py [--jobs N] [--repeat 3] [--json OUT]`.

On the real corpus (read in place) and on a generated one of 50,000 pages (in a temporary
folder), it times `monolint check` with an empty cache (cold) and again on the same cache
(warm), a bare read-and-parse loop with the same processes and with one (the floor), and
markdownlint-cli2 when it is installed; then one page from start to exit, and import time.
Every figure is the fastest and the median of --repeat runs: this machine's wall clock
varies by 10 to 20 % from run to run.

Peak memory is ru_maxrss from wait4() on the command, which is what `/usr/bin/time -f %M`
prints: the largest peak RSS of any one process in the tree (the process or a worker it
waited for), not their sum. One extra cold run per corpus, under a launcher that reads
getrusage() at exit, splits it into the main process (RUSAGE_SELF) and the largest worker
(RUSAGE_CHILDREN is the maximum over the waited-for workers). Forked workers count the pages
they share with the main process in their RSS too.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
RXHIVE = REPO.parent / "shared" / "corpus" / "rxhive"
ONE_PAGE = "content/metformin.md"
# Runs monolint's entry point as the console script does, and reports at exit the peak RSS
# of this process and of the largest worker it waited for (both in KiB on Linux).
LAUNCHER = """\
import atexit, json, os, resource, sys
def _report():
    usage = {"main": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
             "workers": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}
    with open(os.environ["MONOLINT_BENCH_RUSAGE"], "w") as stream:
        json.dump(usage, stream)
atexit.register(_report)
sys.argv[0] = "monolint"
from validator.cli.main import main
sys.exit(main())
"""


@dataclass(frozen=True)
class Run:
    wall: float  # seconds, start to exit
    cpu: float  # user + system seconds of the whole process tree
    peak_kib: int  # largest peak RSS of one process in the tree


def timed(command: list[str], cwd: Path, stdout: Path | None = None, ok: tuple[int, ...] = (0,)) -> Run:
    """Run a command; wait4() gives its tree's CPU time and largest peak RSS."""
    with Path(stdout or os.devnull).open("wb") as sink:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=sink, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    process.returncode = code = os.waitstatus_to_exitcode(status)
    if code not in ok:
        raise SystemExit(f"exit code {code} from: {' '.join(command)}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)


def summary(runs: list[Run], pages: int) -> dict[str, Any]:
    walls = [run.wall for run in runs]
    return {
        "fastest": min(walls),
        "median": statistics.median(walls),
        "cpu_fastest": min(run.cpu for run in runs),
        "pages_per_s": pages / min(walls),
        "peak_mib": max(run.peak_kib for run in runs) / 1024,
        "walls": walls,
    }


def monolint_command() -> str:
    beside = Path(sys.executable).parent / "monolint"
    found = str(beside) if beside.exists() else shutil.which("monolint")
    if found is None:
        raise SystemExit("monolint is not installed in this environment")
    return found


def markdownlint_command(option: Path | None) -> Path | None:
    tools = Path(os.environ.get("MONOLINT_TOOLS", REPO / ".tools"))
    path = option or tools / "markdownlint" / "node_modules" / ".bin" / "markdownlint-cli2"
    return path if path.exists() else None


def _findings_files(cache: Path) -> int:
    return len(list(cache.glob("v*/findings-*.json")))


def measure_corpus(root: Path, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """Cold, warm, floor and markdownlint-cli2 runs on one corpus, interleaved per repeat."""
    pages = sum(1 for _ in root.rglob("*.md"))
    monolint = [monolint_command(), "check", ".", "--jobs", str(args.jobs), "--quiet", "--exit-zero"]
    floor = [sys.executable, str(Path(__file__).resolve()), "--floor", "."]
    # Untimed: fills the OS page cache, and splits peak memory into main process and workers.
    rusage = work / "rusage.json"
    first = [sys.executable, "-c", LAUNCHER, *monolint[1:], "--cache-dir", str(work / "split-cache")]
    subprocess.run(first, cwd=root, env={**os.environ, "MONOLINT_BENCH_RUSAGE": str(rusage)}, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    split = {kind: kib / 1024 for kind, kib in json.loads(rusage.read_text()).items()}
    shutil.rmtree(work / "split-cache")
    runs: dict[str, list[Run]] = {"cold": [], "warm": [], "floor_jobs": [], "floor_1": [], "markdownlint": []}
    findings: set[int] = set()
    for round_ in range(args.repeat):
        cache = work / f"cache-{round_}"
        for kind in ("cold", "warm"):
            report = work / f"{kind}.txt"
            runs[kind].append(timed([*monolint, "--cache-dir", str(cache)], root, report))
            findings.add(len(report.read_bytes().splitlines()))
        if _findings_files(cache) != 1:
            print("warning: monolint's source changed during the run; the warm figure is not warm", file=sys.stderr)
        shutil.rmtree(cache)
        for kind, jobs in (("floor_jobs", args.jobs), ("floor_1", 1)):
            runs[kind].append(timed([*floor, "--jobs", str(jobs)], root, work / "floor.txt"))
            if int((work / "floor.txt").read_text().split()[0]) != pages:
                raise SystemExit("the floor did not parse every page")
        if args.markdownlint:
            runs["markdownlint"].append(timed([str(args.markdownlint), "**/*.md"], root, work / "mdl.txt", (0, 1)))
            linted = re.search(r"Linting: (\d+) file", (work / "mdl.txt").read_text())
            if not linted or int(linted[1]) != pages:
                raise SystemExit(f"markdownlint-cli2 did not lint all {pages} pages: {linted and linted[0]}")
    if len(findings) != 1:
        raise SystemExit(f"runs disagree on the number of findings: {sorted(findings)}")
    return {
        "root": str(root),
        "pages": pages,
        "megabytes": sum(page.stat().st_size for page in root.rglob("*.md")) / 1e6,
        "findings": findings.pop(),
        "memory_split_mib": split,
        **{kind: summary(found, pages) for kind, found in runs.items() if found},
    }


def one_page(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """`monolint check content/metformin.md` start to exit: empty cache, warm cache, no cache."""
    runs: dict[str, list[Run]] = {"python_startup": [], "cold_cache": [], "warm_cache": [], "no_cache": []}
    command = [monolint_command(), "check", ONE_PAGE]
    for round_ in range(args.one_page_repeat):
        cache = str(work / f"one-{round_}")
        runs["python_startup"].append(timed([sys.executable, "-c", "pass"], REPO))
        runs["cold_cache"].append(timed([*command, "--cache-dir", cache], REPO))
        runs["warm_cache"].append(timed([*command, "--cache-dir", cache], REPO))
        runs["no_cache"].append(timed([*command, "--no-cache"], REPO))
    return {kind: summary(found, 1) for kind, found in runs.items()}


def import_times(args: argparse.Namespace) -> dict[str, Any]:
    """-X importtime of `import validator.cli.main` and of a one-page run: the fastest total, and
    the packages that cost the most (cumulative, at their outermost import)."""
    commands = {
        "import validator.cli.main": [sys.executable, "-X", "importtime", "-c", "import validator.cli.main"],
        "one-page run": [sys.executable, "-X", "importtime", monolint_command(), "check", ONE_PAGE, "--no-cache"],
    }
    results = {}
    for name, command in commands.items():
        best: tuple[float, dict[str, float], float] | None = None
        for _ in range(args.one_page_repeat):
            log = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=True).stderr
            rows = re.findall(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)$", log, re.M)
            total = sum(int(own) for own, _, _, _ in rows) / 1e6
            packages: dict[str, float] = {}
            for _, cumulative, _, module in rows:
                root = module.split(".")[0]
                packages[root] = max(packages.get(root, 0.0), int(cumulative) / 1e6)
            own_code = sum(int(own) for own, _, _, module in rows if module.split(".")[0] == "validator") / 1e6
            if best is None or total < best[0]:
                best = (total, packages, own_code)
        assert best is not None
        top = sorted(((s, p) for p, s in best[1].items() if p != "validator"), reverse=True)[:6]
        results[name] = {"total_s": best[0], "validator_own_s": best[2], "top": [[p, s] for s, p in top]}
    return results


def floor(root: Path, jobs: int) -> None:
    """The bare loop: read each page, split its front matter, parse its Markdown; nothing else."""
    import frontmatter
    from markdown_it import MarkdownIt

    # Made before the fork, as monolint makes its parser and content model.
    _FLOOR.update(loads=frontmatter.loads, parse=MarkdownIt("commonmark").enable("table").parse)
    files = sorted(str(path) for path in root.rglob("*.md"))
    if jobs > 1:
        import multiprocessing

        chunk = max(1, min(32, len(files) // (jobs * 8)))  # as monolint chunks its tasks
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            tokens = sum(pool.imap(_parse, files, chunksize=chunk))
    else:
        tokens = sum(map(_parse, files))
    print(len(files), tokens)


_FLOOR: dict[str, Any] = {}


def _parse(path: str) -> int:
    post = _FLOOR["loads"](Path(path).read_bytes().decode("utf-8"))
    return len(_FLOOR["parse"](post.content))


def compile_bytecode() -> None:
    """Compile monolint's modules as pip does when it installs the wheel. A checkout run
    with PYTHONDONTWRITEBYTECODE (as some sandboxes and CI images set) never keeps its
    bytecode, and would compile every module at every start: about 40 ms of each run."""
    import compileall

    if not compileall.compile_dir(REPO / "validator", quiet=1):
        raise SystemExit("could not compile monolint's modules")


def machine() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=REPO, capture_output=True, text=True, check=False
    )
    return {
        "date": date.today().isoformat(),
        "cpus": os.cpu_count(),
        "cpu_model": model[1] if model else platform.processor(),
        "python": platform.python_version(),
        "commit": commit.stdout.strip(),
        "load_at_start": os.getloadavg(),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
    }


def _verdict(value: float, target: float, at_most: bool) -> str:
    if (value <= target) if at_most else (value >= target):
        return "met"
    return f"missed by {abs(value / target - 1):.0%}"


def print_report(results: dict[str, Any]) -> None:
    info = results["machine"]
    print(f"{info['date']}, {info['cpus']} CPUs ({info['cpu_model']}), Python {info['python']}, {info['commit']}")
    print(f"load average at start {info['load_at_start']}, at end {info['load_at_end']}; {info['command']}")
    jobs = results["jobs"]
    names = {
        "cold": f"monolint check, empty cache, --jobs {jobs}",
        "warm": "monolint check, warm cache",
        "floor_jobs": f"floor (read + parse), {jobs} processes",
        "floor_1": "floor (read + parse), 1 process",
        "markdownlint": "markdownlint-cli2",
    }
    for label, corpus in results["corpora"].items():
        print(f"\n{label}: {corpus['pages']:,} pages, {corpus['megabytes']:.1f} MB, {corpus['findings']:,} findings")
        print(f"  {'run':42} {'fastest':>9} {'median':>9} {'pages/s':>8} {'CPU s':>7} {'peak RSS':>9}")
        for kind, name in names.items():
            if kind in corpus:
                row = corpus[kind]
                print(
                    f"  {name:42} {row['fastest']:8.2f}s {row['median']:8.2f}s {row['pages_per_s']:8,.0f} "
                    f"{row['cpu_fastest']:7.1f} {row['peak_mib']:5.0f} MiB"
                )
        split = corpus["memory_split_mib"]
        print(
            f"  peak RSS of a cold run: main process {split['main']:.0f} MiB, largest worker {split['workers']:.0f} MiB"
        )
    print(f"\n  {'ratio':52} {'fastest':>8} {'median':>8}  target   verdict (on the fastest)")
    for label, corpus in results["corpora"].items():
        cold = corpus["cold"]
        ratios = [("cold / floor, same processes", corpus["floor_jobs"], 1.3, True, False),
                  ("warm / cold", corpus["warm"], 0.1, True, False)]  # fmt: skip
        if "markdownlint" in corpus:
            ratios.append(("markdownlint-cli2 / cold", corpus["markdownlint"], 5.0, False, True))
        for name, other, target, at_most, inverse in ratios:
            fast, median = (
                (other["fastest"] / cold["fastest"], other["median"] / cold["median"])
                if inverse
                else (cold["fastest"] / other["fastest"], cold["median"] / other["median"])
            )
            if name == "warm / cold":
                fast, median = 1 / fast, 1 / median
            bound = f"{'≤' if at_most else '≥'} {target:g}"
            print(f"  {label + ': ' + name:52} {fast:8.3f} {median:8.3f}  {bound:8} {_verdict(fast, target, at_most)}")
    for kind in ("cold_cache", "warm_cache", "no_cache", "python_startup"):
        row = results["one_page"][kind]
        verdict = "" if kind == "python_startup" else f"< 0.25 s  {_verdict(row['fastest'], 0.25, True)}"
        print(
            f"  {'one page, ' + kind.replace('_', ' ') + ' (s)':52} {row['fastest']:8.3f} {row['median']:8.3f}  {verdict}"
        )
    _print_memory(results["corpora"])
    for name, found in results["imports"].items():
        top = ", ".join(f"{package} {seconds * 1000:.0f}" for package, seconds in found["top"])
        print(
            f"\n  imports of {name}: {found['total_s'] * 1000:.0f} ms in all, "
            f"{found['validator_own_s'] * 1000:.0f} ms in validator's own modules; top (ms, cumulative): {top}"
        )


def _print_memory(corpora: dict[str, Any]) -> None:
    if len(corpora) < 2:
        return
    small, large = corpora.values()
    pages, findings = large["pages"] - small["pages"], large["findings"] - small["findings"]
    for part in ("main", "workers"):
        before, after = small["memory_split_mib"][part], large["memory_split_mib"][part]
        growth = (after - before) * 1024 * 1024
        print(
            f"  memory, {part:7}: {before:.0f} -> {after:.0f} MiB for {pages:+,} pages and {findings:+,} findings "
            f"({growth / max(findings, 1):,.0f} bytes per extra finding, {growth / max(pages, 1):,.0f} per extra page)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=RXHIVE, help="the real corpus, read in place")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one-page-repeat", type=int, default=10)
    parser.add_argument("--pages50k", type=int, default=50_000, help="pages in the generated corpus")
    parser.add_argument("--seed", type=int, default=5, help="of the generated corpus")
    parser.add_argument("--generated", type=Path, help="folder for the generated corpus [default: in $TMPDIR]")
    parser.add_argument("--skip-50k", action="store_true", help="only the real corpus")
    parser.add_argument("--markdownlint", type=Path, help="markdownlint-cli2 [default: $MONOLINT_TOOLS/markdownlint]")
    parser.add_argument("--json", type=Path, help="also save the results here")
    parser.add_argument("--floor", type=Path, help=argparse.SUPPRESS)  # the floor's own process
    args = parser.parse_args()
    if args.floor:
        return floor(args.floor, args.jobs)
    compile_bytecode()
    args.markdownlint = markdownlint_command(args.markdownlint)
    if args.markdownlint is None:
        print("markdownlint-cli2 is not installed: see benchmarks/README.md; comparing without it", file=sys.stderr)
    results: dict[str, Any] = {"machine": machine(), "jobs": args.jobs, "corpora": {}}
    with tempfile.TemporaryDirectory(prefix="monolint-scale-") as temporary:
        work = Path(temporary)
        results["corpora"][args.corpus.name] = measure_corpus(args.corpus, args, work)
        if not args.skip_50k:
            from generate_corpus import generate

            folder = args.generated or Path(tempfile.gettempdir()) / f"monolint-corpus-{args.pages50k}-seed{args.seed}"
            generate(folder, args.pages50k, args.seed)
            results["corpora"][f"generated {args.pages50k:,}"] = measure_corpus(folder, args, work)
        results["one_page"] = one_page(args, work)
    results["imports"] = import_times(args)
    results["machine"]["load_at_end"] = os.getloadavg()
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=asdict) + "\n", encoding="utf-8")
    print_report(results)


if __name__ == "__main__":
    main()
