"""External programs some integration tests drive for real (Neovim, the SARIF multitool, Chromium,
pre-commit, check-jsonschema).

`.ci/run` installs every one of them and sets MONOLINT_REQUIRE_TOOLS=1, so in CI a missing
tool fails the test instead of skipping it. On a developer machine without the tool the test
is skipped with the command that installs it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# Where .ci/install-tools puts tools that do not come from PyPI (npm packages).
TOOLS = Path(os.environ.get("MONOLINT_TOOLS", REPO / ".tools"))


def require_tool(path_or_name: str | Path, install_hint: str) -> str:
    """The absolute path of an executable, or skip (fail in CI) with how to install it."""
    found = shutil.which(str(path_or_name)) if not Path(path_or_name).is_absolute() else None
    if found is None and Path(path_or_name).is_file() and os.access(path_or_name, os.X_OK):
        found = str(path_or_name)
    if found is None:
        message = f"{path_or_name} is not installed; {install_hint}"
        if os.environ.get("MONOLINT_REQUIRE_TOOLS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return found
