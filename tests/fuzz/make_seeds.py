"""Build a seed corpus for the fuzz harnesses in a folder outside the repository.

Seeds are the pages in content/, every Markdown file under tests/fixtures/, the inputs of
the fix fixture cases, each dose case wrapped in a minimal page, and, when the shared
corpus is there, a fixed sample of its pages (copied to the seed folder only: corpus pages
never go into the repository).

    python tests/fuzz/make_seeds.py /tmp/fuzz-seeds [--corpus DIR] [--sample N]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Iterator
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "rxhive"
PAGE_AROUND_DOSE = "---\nlayout: minimal-medicine\ntitle: Seed\n---\n\n# Seed\n\n### Dosage\n\n{text}\n"


def fixture_pages() -> Iterator[bytes]:
    for folder in (REPO / "content", REPO / "tests" / "fixtures"):
        for path in sorted(folder.rglob("*.md")):
            if path.is_file() and not path.is_symlink():  # MON001's fixtures are folders and links
                yield path.read_bytes()


def fix_case_inputs() -> Iterator[bytes]:
    """The input of each case of the mdformat-style fixture files (title, '.', input, '.',
    expected, '.')."""
    for path in sorted((REPO / "tests" / "fixtures" / "fix").glob("*.md")):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        marks = [number for number, line in enumerate(lines) if line.rstrip("\n") == "."]
        for first, second in zip(marks[::3], marks[1::3], strict=True):
            yield "".join(lines[first + 1 : second]).encode("utf-8")


def dose_pages() -> Iterator[bytes]:
    cases = yaml.safe_load((REPO / "tests" / "doses" / "cases.yaml").read_text(encoding="utf-8"))
    for case in cases:
        yield PAGE_AROUND_DOSE.format(text=case["text"]).encode("utf-8")


def corpus_sample(corpus: Path, count: int, max_bytes: int) -> Iterator[bytes]:
    """``count`` pages picked by the hash of their path, so the sample is the same each run."""
    paths = sorted(
        (path for path in corpus.rglob("*.md") if path.stat().st_size <= max_bytes),
        key=lambda path: hashlib.sha256(str(path.relative_to(corpus)).encode()).hexdigest(),
    )
    for path in paths[:count]:
        yield path.read_bytes()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="seed folder to fill (outside the repository)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="shared corpus of real pages")
    parser.add_argument("--sample", type=int, default=200, help="how many corpus pages to take")
    parser.add_argument("--max-bytes", type=int, default=12_288, help="leave out larger corpus pages")
    args = parser.parse_args(argv)
    out: Path = args.out.resolve()
    if out == REPO or REPO in out.parents:
        parser.error("the seed folder must be outside the repository")
    out.mkdir(parents=True, exist_ok=True)
    sources = [fixture_pages(), fix_case_inputs(), dose_pages()]
    if args.corpus.is_dir():
        sources.append(corpus_sample(args.corpus, args.sample, args.max_bytes))
    written = set()
    for source in sources:
        for seed in source:
            name = hashlib.sha1(seed).hexdigest()  # libFuzzer's own naming: duplicates collapse
            if name not in written:
                (out / name).write_bytes(seed)
                written.add(name)
    print(f"{len(written)} seeds in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
