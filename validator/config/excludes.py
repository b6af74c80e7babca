"""What a configuration leaves out of discovery."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from validator.content_model.patterns import gitignore_spec


@dataclass(frozen=True)
class Excludes:
    """What a configuration leaves out of the walk: gitignore-style patterns relative to its
    root, and whether .gitignore files count."""

    root: Path
    patterns: tuple[str, ...] = ()
    respect_gitignore: bool = True

    @cached_property
    def spec(self) -> Any:
        # pathspec is imported on first use: files named on the command line (pre-commit,
        # editors) are never matched, and a one-page run should not pay for the import.
        return gitignore_spec(self.patterns)
