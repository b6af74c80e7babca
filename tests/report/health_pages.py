"""Shared by the health report's tests: run the report and the JSON report on the same pages,
and read the figures the HTML page carries (its data-* attributes)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from helpers_cli import run

REPO = Path(__file__).resolve().parents[2]
RULE_PAGES = "tests/fixtures/rules"  # every rule's fixture pages: findings of nearly every rule
# The one resource URL a page may name: the SVG namespace, an identifier that is never fetched.
SVG_NAMESPACE = "http://www.w3.org/2000/svg"


def report_and_json(out: Path, *paths: str, cwd: Path = REPO, extra: tuple[str, ...] = ()) -> tuple[str, Any]:
    """The health report's HTML and the ``--format json`` report of the same pages."""
    html_file = out / "report.html"
    result = run(["report", "--isolated", "--no-cache", *paths, "-o", str(html_file), *extra], cwd, timeout=120)
    assert result.code == 0, result.stderr
    assert result.stdout == ""
    checked = run(["check", "--isolated", "--no-cache", "--format", "json", *paths], cwd, timeout=120)
    assert checked.code in (0, 1), checked.stderr
    return html_file.read_text(encoding="utf-8"), checked.json()


def data_values(html: str, attribute: str) -> dict[str, int]:
    """``<... data-ATTRIBUTE="key">1,234<`` -> {"key": 1234}."""
    pattern = re.compile(rf'data-{attribute}="([^"]*)">([\d,]+)<')
    return {key: int(value.replace(",", "")) for key, value in pattern.findall(html)}


def rule_rows(html: str) -> dict[str, tuple[int, int]]:
    """The per-rule tables: rule id -> (findings, pages)."""
    pattern = re.compile(r'data-rule="(MON\d{3})">.*?data-findings="(\d+)".*?data-pages="(\d+)"')
    return {rule: (int(findings), int(pages)) for rule, findings, pages in pattern.findall(html)}


def resource_urls(html: str) -> list[str]:
    """Every http(s) URL in the page other than the SVG namespace."""
    return [url for url in re.findall(r"https?://[^\s\"'<>)]+", html) if url != SVG_NAMESPACE]
