"""Shared helpers for the command-line, configuration, discovery and bad-input tests.

Not a conftest: these are plain functions imported by name, so each test says what it uses.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# A small page that satisfies the built-in monograph model: every required section, in
# order, at level 3, and the canonical disclaimer as the last block.
CLEAN_PAGE = """\
---
layout: minimal-medicine
title: Testamol
---

# Testamol
### Generic Name
Testamol

### Usage

Testamol is used to treat mild pain and fever.

### Dosage

Take 500 mg every 4 to 6 hours when needed.

### Side Effects

* Nausea
* Rash

### How it Works

It reduces the production of prostaglandins.

### Precautions

* **Allergy:** Do not use it if you are allergic to it.

### FAQs

* **Q: Can I take it with food?** A: Yes.

**Disclaimer:** This information is for educational purposes only and should not be considered \
medical advice. Always consult with a healthcare professional before starting, stopping, or \
changing any medication.
"""

# 1-based line of "Take 500 mg ..." in CLEAN_PAGE, and the column of its "500".
DOSE_LINE = 16
DOSE_COLUMN = 6


def page(dose: str = "500 mg", extra: str = "") -> str:
    """CLEAN_PAGE with another dose in the Dosage line and ``extra`` before the disclaimer."""
    text = CLEAN_PAGE.replace("Take 500 mg", f"Take {dose}")
    if extra:
        text = text.replace("**Disclaimer:**", f"{extra}\n\n**Disclaimer:**")
    return text


ERROR_PAGE = page(dose="500mg")  # one MON401 error at DOSE_LINE:DOSE_COLUMN
WARNING_PAGE = page(extra="### Storage\n\nKeep it dry.")  # one MON210 warning, nothing else


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> None:
    """Create files (and their folders) under ``root``."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")


def snapshot(root: Path) -> dict[str, tuple[int, bytes | str]]:
    """Every entry under ``root`` (without following links): its mtime and content."""
    state: dict[str, tuple[int, bytes | str]] = {}
    for folder, dirs, files in os.walk(root):
        for name in sorted(dirs + files):
            path = Path(folder) / name
            info = path.lstat()
            if path.is_symlink():
                content: bytes | str = f"-> {path.readlink()}"
            elif path.is_file():
                content = path.read_bytes()
            else:
                content = "(other)"
            state[path.relative_to(root).as_posix()] = (info.st_mtime_ns, content)
    return state


def monolint_command() -> list[str]:
    """The installed console script, or ``python -m validator`` when there is none."""
    script = Path(sys.executable).with_name("monolint")
    return [str(script)] if script.exists() else [sys.executable, "-m", "validator"]


@dataclass(frozen=True)
class Result:
    code: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()

    def json(self) -> Any:
        return json.loads(self.stdout)

    def findings(self) -> list[tuple[str, int, int, str]]:
        """(path, line, column, rule) of each finding in the text output."""
        found = []
        for line in self.lines:
            head, _, rest = line.partition(": ")
            parts = head.rsplit(":", 2)
            if len(parts) == 3 and parts[1].isdigit() and rest[:3] == "MON":
                found.append((parts[0], int(parts[1]), int(parts[2]), rest.split()[0]))
        return found


def run(
    args: Sequence[str],
    cwd: Path,
    stdin: bytes | None = None,
    env: Mapping[str, str] | None = None,
    command: Sequence[str] | None = None,
    timeout: float = 60,
) -> Result:
    """Run the real command line in a subprocess; any traceback fails the test."""
    environment = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "FORCE_COLOR")}
    environment.update(env or {})
    completed = subprocess.run(
        [*(command or monolint_command()), *args],
        cwd=cwd,
        input=stdin if stdin is not None else b"",
        capture_output=True,
        env=environment,
        timeout=timeout,
        check=False,
    )
    result = Result(
        completed.returncode,
        completed.stdout.decode("utf-8", errors="replace"),
        completed.stderr.decode("utf-8", errors="replace"),
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout, result.stdout
    return result


def assert_usage_error(result: Result, *fragments: str) -> None:
    """Exit 2 with exactly one line on standard error, starting 'monolint: error:'."""
    assert result.code == 2, (result.code, result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("monolint: error:"), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
