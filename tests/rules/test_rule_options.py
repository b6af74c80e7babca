"""Rule options set in the configuration reach the rules, and bad options are config errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from validator.api import lint_text
from validator.config.files import ConfigError, parse_config

PAGE = Path(__file__).resolve().parents[2] / "content" / "metformin.md"


def _page_with_storage() -> str:
    text = PAGE.read_text(encoding="utf-8")
    return text.replace("### FAQs", "### Storage\nKeep below 25 °C.\n\n### FAQs")


def _rules(table: dict[str, object], tmp_path: Path) -> list[str]:
    config = parse_config(table, tmp_path, None, "test config")
    return [finding.rule for finding in lint_text(_page_with_storage(), "page.md", config, cwd=tmp_path)]


def test_unknown_section_is_reported_by_default(tmp_path: Path) -> None:
    assert _rules({}, tmp_path) == ["MON210"]


def test_allow_option_accepts_an_extra_section(tmp_path: Path) -> None:
    assert _rules({"rules": {"unknown-section": {"allow": ["storage"]}}}, tmp_path) == []


def test_allow_option_is_compared_like_section_names(tmp_path: Path) -> None:
    assert _rules({"rules": {"MON210": {"allow": ["STORAGE:"]}}}, tmp_path) == []


def test_allow_option_leaves_other_headings_reported(tmp_path: Path) -> None:
    assert _rules({"rules": {"MON210": {"allow": ["References"]}}}, tmp_path) == ["MON210"]


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"allow": "Storage"}, "allow"),
        ({"alow": ["Storage"]}, "alow"),
        ({"severity": "fatal"}, "severity"),
    ],
)
def test_bad_rule_options_are_config_errors_naming_the_key(
    settings: dict[str, object], named: str, tmp_path: Path
) -> None:
    with pytest.raises(ConfigError) as error:
        parse_config({"rules": {"MON210": settings}}, tmp_path, None, "test config")
    message = str(error.value)
    assert "\n" not in message
    assert named in message
