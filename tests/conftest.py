"""Shared fixtures: lint a page with every rule at its default severity and the built-in
content model, whatever configuration file the checkout has."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from validator.engine import check_bytes, check_file
from validator.finding import Finding
from validator.schema import load_content_model
from validator.selection import build_settings

Lint = Callable[[str | bytes], list[Finding]]
LintFile = Callable[[Path], list[Finding]]


@pytest.fixture
def lint() -> Lint:
    """Lint page text (str, encoded as UTF-8) or raw bytes; findings name the page 'page.md'."""
    settings, model = build_settings([]), load_content_model()

    def run(page: str | bytes) -> list[Finding]:
        raw = page.encode("utf-8") if isinstance(page, str) else page
        return check_bytes(raw, "page.md", settings, model)

    return run


@pytest.fixture
def lint_file() -> LintFile:
    """Read and lint one file (or anything else at that path) the way `monolint` does."""
    settings, model = build_settings([]), load_content_model()
    return lambda path: check_file(path, path.name, settings, model)
