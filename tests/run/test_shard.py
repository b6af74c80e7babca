"""--shard K/N through the API: the N parts are disjoint and make the whole run, whatever the
order of discovery, the working folder inside the project or the number of workers; other
shards' pages are neither read, fixed, nor called stale in a baseline."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from helpers_cli import CLEAN_PAGE, snapshot, write_tree

from validator.api import Options, Report, lint_paths, write_baseline
from validator.config.resolver import Resolver
from validator.run.shard import Shard, ShardError, part_of

BAD = CLEAN_PAGE.replace("### Dosage\n", "### Dosage\nTake 10mg or 5.0 mg daily.\n", 1)
PAGES = 130  # more than a worker run's threshold (48), so --jobs 2 really uses workers


def _project(root: Path) -> Path:
    files: dict[str, str] = {"monolint.toml": ""}
    for index in range(PAGES):
        files[f"pages/{'ab'[index % 2]}/{index // 20:02d}/p{index:03d}.md"] = BAD if index % 3 else CLEAN_PAGE
    write_tree(root, files)
    return root


def _run(root: Path, cwd: Path, paths: list[str], **options: object) -> Report:
    return lint_paths(paths, Resolver(cwd, None), Options(list_checked=True, **options), cwd=cwd)  # type: ignore[arg-type]


def _pages(report: Report, cwd: Path, root: Path) -> list[str]:
    return [(cwd / path).resolve().relative_to(root.resolve()).as_posix() for path in report.checked]


def _findings(report: Report, cwd: Path, root: Path) -> Counter[tuple[str, int, int, str]]:
    return Counter(
        ((cwd / f.path).resolve().relative_to(root.resolve()).as_posix(), f.start.line, f.start.column, f.rule)
        for f in report.findings
    )


@pytest.mark.parametrize("text", ["0/3", "4/3", "1/0", "0/0", "x", "1/", "/2", "1/2/3", "-1/2", "1.0/2", ""])
def test_malformed_or_out_of_range_shards_are_refused(text: str) -> None:
    with pytest.raises(ShardError):
        Shard.parse(text)


def test_a_shard_is_read_as_k_of_n() -> None:
    assert Shard.parse("2/5") == Shard(2, 5) and str(Shard(2, 5)) == "2/5"
    assert Shard.parse("1/1").holds("anything.md")


def test_the_partition_does_not_depend_on_the_process() -> None:
    """Python's own hash() of a str changes with every process; a shard must not."""
    names = [f"drugs/{letter}/page-{index}.md" for letter in "abc" for index in range(30)]
    code = "import sys; from validator.run.shard import part_of; print([part_of(n, 7) for n in sys.argv[1:]])"
    seen = set()
    for seed in ("1", "2"):
        environment = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-c", code, *names], capture_output=True, text=True, env=environment, check=True
        )
        seen.add(result.stdout)
    assert seen == {str([part_of(name, 7) for name in names]) + "\n"}
    assert len({part_of(name, 7) for name in names}) == 7  # 90 names fall in every part


@pytest.mark.parametrize("jobs", [1, 2])
def test_shards_are_disjoint_and_make_the_whole_run(tmp_path: Path, jobs: int) -> None:
    root = _project(tmp_path)
    whole = _run(root, root, ["pages"], jobs=jobs)
    assert whole.files == PAGES
    for count in (1, 2, 3, 5):
        parts = [_run(root, root, ["pages"], jobs=jobs, shard=Shard(index, count)) for index in range(1, count + 1)]
        pages = [page for part in parts for page in _pages(part, root, root)]
        assert len(pages) == len(set(pages)) == PAGES  # disjoint, and none left out
        assert sorted(pages) == sorted(_pages(whole, root, root))
        assert sum(part.files for part in parts) == whole.files
        found: Counter[tuple[str, int, int, str]] = Counter()
        for part in parts:
            found += _findings(part, root, root)
        assert found == _findings(whole, root, root)
        if count > 1:
            assert all(0 < part.files < PAGES for part in parts)


def test_a_page_keeps_its_shard_whatever_the_working_folder_order_or_jobs(tmp_path: Path) -> None:
    root = _project(tmp_path)
    shard = Shard(2, 3)
    from_root = _pages(_run(root, root, ["pages"], shard=shard, jobs=1), root, root)
    inside = root / "pages"
    from_inside = _pages(_run(root, inside, ["."], shard=shard, jobs=2), inside, root)
    reversed_order = _pages(_run(root, root, ["pages/b", "pages/a"], shard=shard, jobs=2), root, root)
    assert 0 < len(from_root) < PAGES
    assert sorted(from_root) == sorted(from_inside) == sorted(reversed_order)


def test_a_shard_with_a_baseline_calls_no_other_shards_entries_stale(tmp_path: Path) -> None:
    root = _project(tmp_path)
    whole = _run(root, root, ["pages"])
    baseline = root / "baseline.json"
    write_baseline(baseline, whole, root)
    for index in (1, 2):
        part = _run(root, root, ["pages"], shard=Shard(index, 2), baseline=Path("baseline.json"))
        assert part.findings == () and part.stale == 0
    (root / "pages/a/00/p002.md").write_text(CLEAN_PAGE, encoding="utf-8")  # was BAD: its entries go stale
    own = 1 if Shard(1, 2).holds("pages/a/00/p002.md") else 2
    stale = {
        index: _run(root, root, ["pages"], shard=Shard(index, 2), baseline=Path("baseline.json")).stale
        for index in (1, 2)
    }
    assert stale[own] > 0 and stale[3 - own] == 0


def test_fixing_a_shard_changes_only_its_own_pages(tmp_path: Path) -> None:
    root = _project(tmp_path)
    before = snapshot(root / "pages")
    shard = Shard(1, 2)
    report = _run(root, root, ["pages"], shard=shard, fix=True)
    after = snapshot(root / "pages")
    changed = {name for name in before if name.endswith(".md") and before[name] != after[name]}
    assert report.fixed > 0 and changed
    mine = {page.removeprefix("pages/") for page in _pages(report, root, root)}
    assert changed <= mine
    assert all(shard.holds(f"pages/{name}") for name in changed)


def test_shards_of_the_real_corpus_make_the_whole_run(corpus: Path) -> None:
    whole = _run(corpus, corpus, ["."], jobs=1)
    parts = [_run(corpus, corpus, ["."], jobs=2, shard=Shard(index, 4)) for index in range(1, 5)]
    pages = [page for part in parts for page in _pages(part, corpus, corpus)]
    assert len(pages) == len(set(pages)) == whole.files > 4000
    assert set(pages) == set(_pages(whole, corpus, corpus))
    found: Counter[tuple[str, int, int, str]] = Counter()
    for part in parts:
        found += _findings(part, corpus, corpus)
    assert found == _findings(whole, corpus, corpus) and sum(found.values()) > 0
