"""Which configuration governs each file, the way ruff finds it.

A file uses the nearest monolint.toml, or pyproject.toml with a [tool.monolint] table, in its
own folder or above, whatever the working folder; a file with none above it uses the one found
from the working folder, else the defaults. ``--config`` fixes one configuration for every
file and ``--isolated`` uses none. Each folder is looked up once per run and each file read
once, so a run over thousands of pages reads no TOML per page.
"""

from __future__ import annotations

import os
from pathlib import Path

from validator.config.files import Config, config_in, read_config


class Resolver:
    """The configurations of one run (or one editor check), found per folder and kept."""

    def __init__(self, cwd: Path, fixed: Config | None = None) -> None:
        self.cwd = cwd
        self.fixed = fixed
        # A folder (as a string: cheaper to hash) -> the nearest configuration at or above it.
        self._nearest: dict[str, Config | None] = {}
        self._read: dict[Path, Config] = {}  # config file -> its Config, shared by its folders
        nearest = fixed or self.nearest(cwd)
        # What a file with no configuration above it uses (and where the cache lives).
        self.fallback = nearest or Config(root=cwd, source=None)

    @classmethod
    def for_run(cls, cwd: Path, config_file: Path | None = None, isolated: bool = False) -> Resolver:
        """What the command line asks for: ``--isolated``, ``--config FILE``, or discovery."""
        if isolated:
            return cls(cwd, Config(root=cwd, source=None))
        if config_file is not None:
            from validator.config.files import load_config

            return cls(cwd, load_config(config_file, cwd))
        return cls(cwd)

    def config_for(self, folder: Path) -> Config:
        """The configuration that governs the files in ``folder`` (absolute, normalised)."""
        if self.fixed is not None:
            return self.fixed
        return self.nearest(folder) or self.fallback

    def for_file(self, path: Path) -> Config:
        """The configuration of the file at ``path`` (absolute, normalised)."""
        if self.fixed is not None:
            return self.fixed
        # The folder's name from the path's string, not Path.parent: a run asks for every page.
        folder = os.path.dirname(str(path))  # noqa: PTH120
        found = self._nearest[folder] if folder in self._nearest else self.nearest(Path(folder))
        return found or self.fallback

    def nearest(self, folder: Path) -> Config | None:
        """The configuration in ``folder`` or the nearest folder above it, or None."""
        key = str(folder)
        if key in self._nearest:
            return self._nearest[key]
        missed = [key]
        found: Config | None = None
        current = folder
        while True:
            source = config_in(current)
            if source is not None:
                found = self._config(source, current)
                break
            parent = current.parent
            if parent == current:
                break
            current = parent
            key = str(current)
            if key in self._nearest:
                found = self._nearest[key]
                break
            missed.append(key)
        for key in missed:
            self._nearest[key] = found
        return found

    def _config(self, source: Path, folder: Path) -> Config:
        config = self._read.get(source)
        if config is None:
            config = self._read[source] = read_config(source, folder)
        return config
