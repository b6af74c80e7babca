"""Shard balance: how evenly `monolint check --shard K/N` splits a folder's pages.

`python benchmarks/shards.py FOLDER [FOLDER...] [--counts 2 4 8]`

For each N, lists the pages of every shard K/N exactly as a sharded run finds them
(validator.api.discover_files with Options(shard=...)), checks that the shards are disjoint
and together hold every page, and prints the largest shard's page count over the mean (1.000
is a perfect split; the N CI jobs take as long as the largest). Run it from the folder the
CI jobs run in: with no configuration file, the working folder is the project root the
pages' paths are hashed from.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from validator.api import Options, discover_files
from validator.run.shard import Shard


def shard_sizes(folder: Path, count: int) -> list[int]:
    """The number of pages of each shard of ``count``; raises AssertionError when the shards
    overlap or miss a page."""
    whole = {candidate.path for candidate in discover_files([folder])}
    sizes, seen = [], set()
    for index in range(1, count + 1):
        pages = {candidate.path for candidate in discover_files([folder], options=Options(shard=Shard(index, count)))}
        assert seen.isdisjoint(pages), f"shards of {count} overlap"
        seen |= pages
        sizes.append(len(pages))
    assert seen == whole, f"the shards of {count} miss {len(whole - seen)} pages"
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", type=Path, nargs="+")
    parser.add_argument("--counts", type=int, nargs="+", default=[2, 4, 8])
    args = parser.parse_args()
    print("| pages | N | pages per shard | largest / mean |")
    print("| --- | --- | --- | --- |")
    for folder in args.folders:
        for count in args.counts:
            sizes = shard_sizes(folder, count)
            mean = sum(sizes) / count
            print(
                f"| {folder} ({sum(sizes):,}) | {count} | {', '.join(f'{size:,}' for size in sizes)} "
                f"| {max(sizes) / mean:.3f} |"
            )


if __name__ == "__main__":
    main()
