"""Shared fixtures: lint a page with every rule that is on by default, at its default severity,
and the built-in content model, whatever configuration file the checkout has.

A rule that is off by default (Rule.default_enabled False) is tested by selecting it the way a
user does, with extend-select: ``lint(page, select=["MON409"])``.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Protocol

import pytest
import pytest_lsp
from helpers_lsp import RecordingClient
from helpers_shared import CORPUS, require_shared
from pytest_lsp import ClientServerConfig

from validator.check.engine import check_bytes, check_file
from validator.config.selection import Layer, RuleSettings, build_settings
from validator.content_model.load import load_content_model
from validator.model.finding import Finding


class Lint(Protocol):
    def __call__(self, page: str | bytes, *, select: Sequence[str] = ()) -> list[Finding]: ...


class LintFile(Protocol):
    def __call__(self, path: Path, *, select: Sequence[str] = ()) -> list[Finding]: ...


def settings(select: Sequence[str] = ()) -> RuleSettings:
    """The default rule set, extended with the rules in ``select`` (ids or names)."""
    return build_settings([Layer(extend_select=list(select))] if select else [])


@pytest.fixture
def lint() -> Lint:
    """Lint page text (str, encoded as UTF-8) or raw bytes; findings name the page 'page.md'."""
    model = load_content_model()

    def run(page: str | bytes, *, select: Sequence[str] = ()) -> list[Finding]:
        raw = page.encode("utf-8") if isinstance(page, str) else page
        return check_bytes(raw, "page.md", settings(select), model)

    return run


@pytest.fixture
def lint_file() -> LintFile:
    """Read and lint one file (or anything else at that path) the way `monolint` does."""
    model = load_content_model()

    def run(path: Path, *, select: Sequence[str] = ()) -> list[Finding]:
        return check_file(path, path.name, settings(select), model)

    return run


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The real corpus in ../shared, read in place: skipped without it, failed in CI."""
    return require_shared(CORPUS)


# A real language client talking to `monolint lsp` over stdio (pytest-lsp), for the language
# server's tests and the test that the command line, pre-commit and the server agree.
@pytest_lsp.fixture(
    config=ClientServerConfig(
        server_command=[sys.executable, "-m", "validator", "lsp"], client_factory=RecordingClient.create
    )
)
async def client(lsp_client: RecordingClient) -> AsyncIterator[None]:
    yield
    await lsp_client.shutdown_session()
