"""--shard K/N: which of N disjoint parts of a run a page belongs to.

A page's shard is a stable hash of its path relative to the project root (the folder of the
configuration that governs the page, or the working folder when none does), so the N parts
are disjoint and together make the whole run whatever the order pages are found in, the
folder the run starts from inside the project, or the number of workers. The hash is
BLAKE2b, not Python's ``hash()``, which is salted per process.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

_SPEC = re.compile(r"([0-9]+)/([0-9]+)")


class ShardError(ValueError):
    """A --shard value that is not K/N with 1 <= K <= N."""


@dataclass(frozen=True)
class Shard:
    """Part ``index`` (1-based) of ``count``."""

    index: int
    count: int

    def __post_init__(self) -> None:
        if self.count < 1:
            raise ShardError(f"the number of shards must be at least 1, not {self.count}")
        if not 1 <= self.index <= self.count:
            raise ShardError(f"shard {self.index} is out of range 1..{self.count}")

    @classmethod
    def parse(cls, text: str) -> Shard:
        """``"2/4"`` -> Shard(2, 4); raises ShardError for anything else."""
        match = _SPEC.fullmatch(text.strip())
        if match is None:
            raise ShardError(f"'{text}' is not K/N (for example 1/4)")
        return cls(int(match[1]), int(match[2]))

    def holds(self, relative: str) -> bool:
        """Whether the page at ``relative`` (posix form, from the project root) is in this shard."""
        return part_of(relative, self.count) == self.index

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def part_of(relative: str, count: int) -> int:
    """The 1-based shard of ``count`` that the page at ``relative`` belongs to."""
    if count == 1:
        return 1
    digest = hashlib.blake2b(relative.encode("utf-8", "surrogateescape"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % count + 1
