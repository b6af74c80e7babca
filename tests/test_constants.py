"""Names the code shares (cache folder, configuration files, page suffixes, output formats,
standard input's path) are defined once and imported where they are used."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from validator.cli.main import cli
from validator.report import FORMATS
from validator.report.formats import renderer

PACKAGE = Path(__file__).resolve().parents[1] / "validator"


@pytest.mark.parametrize(
    "literal",
    ['".monolint_cache"', '"monolint.toml"', '"pyproject.toml"', '".markdown"', '"gitlab"', 'STDIN_PATH = "-"'],
)
def test_each_shared_name_is_written_once_in_the_package(literal: str) -> None:
    places = [
        f"{module.relative_to(PACKAGE)}:{number}"
        for module in sorted(PACKAGE.rglob("*.py"))
        for number, line in enumerate(module.read_text(encoding="utf-8").splitlines(), 1)
        if literal in re.sub(r"#.*$", "", line)
    ]
    assert len(places) == 1, places


def test_the_format_option_offers_exactly_the_registered_formats() -> None:
    check = cli.commands["check"]
    (option,) = [param for param in check.params if param.name == "output_format"]
    assert isinstance(option.type, click.Choice)
    assert tuple(option.type.choices) == FORMATS
    for name in FORMATS:
        assert callable(renderer(name))


def test_discovery_takes_both_page_suffixes_and_skips_the_cache_folder(tmp_path: Path) -> None:
    from validator.api import discover_files

    for name in ("a.md", "b.MARKDOWN", "c.txt", ".monolint_cache/d.md", "sub/e.markdown"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x\n", encoding="utf-8")
    assert sorted(c.display for c in discover_files(["."], cwd=tmp_path)) == ["a.md", "b.MARKDOWN", "sub/e.markdown"]
