"""Reference data beside the checkout, in ../shared: the real corpus (read in place, never
copied) and the user's seed page.

Tests that need it call ``require_shared(path)`` first (or carry ``needs_corpus``). On a machine
without ../shared they are skipped with a one-line reason; `.ci/run` has it beside the clone and
sets MONOLINT_REQUIRE_CORPUS=1, so there a missing corpus fails the test instead of skipping it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus" / "rxhive"
SEED = SHARED / "seed" / "baclofen.md"


def require_shared(path: Path = CORPUS) -> Path:
    """``path`` under ../shared, or skip (fail in CI) saying where it was looked for."""
    if not path.exists():
        message = f"{path} is not here (it lies beside the checkout, in ../shared)"
        if os.environ.get("MONOLINT_REQUIRE_CORPUS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path


# For a test, or a whole module, that reads the corpus: the session fixture `corpus`
# (tests/conftest.py) runs before any module fixture that reads it, and skips or fails there.
needs_corpus = pytest.mark.usefixtures("corpus")
