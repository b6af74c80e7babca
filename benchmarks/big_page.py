"""How monolint's cost grows with one page's size: `python benchmarks/big_page.py [--repeat N]`.

Issue 12 asks for a bounded cost on any page. This generates, in a temporary folder:

- the hostile page: front matter, an H1, then one line of ``word 5mg `` repeated 600,000
  times (5.4 MB, 600,000 run-together doses; the dose rules check the first 10,000 and
  dose-limit marks the rest), and the same line inside a Dosage section;
- a realistic page of about 300 KB (the bodies of the first generated corpus pages, see
  ``generate_corpus.py``, one after another under one front matter) and its 4x and 16x
  versions (more of the generated pages, so the text never repeats);

and runs `monolint check PAGE --no-cache` on each in a subprocess, with the text report, the
JSON report (both to /dev/null), and `--fix` on a copy. Peak RSS is ru_maxrss from wait4()
on that one process (what `/usr/bin/time -f %M` prints); time is wall and user + system CPU.
It prints seconds per MB and MiB per MB; the fastest of --repeat runs, as the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_corpus import load_models, make_page
from scale import monolint_command

FRONT = "---\nlayout: minimal-medicine\ntitle: X\n---\n\n# X\n\n"
HOSTILE_REPEAT = 600_000
BASE_BYTES = 300_000
SCALES = (1, 4, 16)
MIB = 1024 * 1024
MB = 1_000_000


def hostile(dosage: bool) -> str:
    return FRONT + ("## Dosage\n\n" if dosage else "") + "word 5mg " * HOSTILE_REPEAT + "\n"


def realistic(scale: int, seed: int = 12) -> str:
    """About ``scale`` x 300 KB: generated pages' bodies after one front matter."""
    models, bodies, size, index = load_models(), [], 0, 0
    while size < scale * BASE_BYTES:
        _, text = make_page(index, seed, models)
        body = text.split("\n---\n", 1)[1]
        bodies.append(body)
        size += len(body.encode())
        index += 1
    return "---\nlayout: minimal-medicine\ntitle: Generated\n---\n" + "".join(bodies)


def run(command: list[str], cwd: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and peak RSS in KiB of one process, from wait4()."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"exit code {os.waitstatus_to_exitcode(status)} from: {' '.join(command)}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; the fastest is shown")
    parser.add_argument("--only", choices=("hostile", "scaling"), help="only one of the two parts")
    parser.add_argument("--no-fix", action="store_true", help="leave out the --fix runs")
    args = parser.parse_args()
    command = monolint_command()
    with tempfile.TemporaryDirectory(prefix="monolint-big-page-") as folder:
        work = Path(folder)
        pages: list[tuple[str, str]] = []
        if args.only != "scaling":
            pages += [("hostile line", hostile(False)), ("hostile line in Dosage", hostile(True))]
        if args.only != "hostile":
            pages += [(f"realistic {scale}x", realistic(scale)) for scale in SCALES]
        modes = [("text", []), ("json", ["--format", "json"])] + ([] if args.no_fix else [("--fix", ["--fix"])])
        print(f"{'page':24} {'run':5} {'MB':>6} {'wall s':>7} {'CPU s':>7} {'MiB':>6} {'s/MB':>6} {'MiB/MB':>7}")
        for name, text in pages:
            data = text.encode()
            megabytes = len(data) / MB
            for mode, options in modes:
                best: tuple[float, float, int] | None = None
                for _ in range(args.repeat):
                    page = work / "page.md"
                    page.write_bytes(data)  # --fix rewrites it: every run starts from the same page
                    found = run([command, "check", "page.md", "--no-cache", *options], work)
                    best = found if best is None or found[1] < best[1] else best
                assert best is not None
                wall, cpu, kib = best
                mib = kib / 1024
                print(
                    f"{name:24} {mode:5} {megabytes:6.2f} {wall:7.2f} {cpu:7.2f} {mib:6.0f}"
                    f" {cpu / megabytes:6.2f} {mib / megabytes:7.1f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
