"""The health report in a real browser: Debian's headless Chromium renders it from file://
(no network needed: the page loads nothing), its DOM has the charts with their text
equivalents and the JSON report's numbers, and a screenshot of it is a real picture.
Two browser launches in all. Without Chromium the test skips (fails in CI)."""

from __future__ import annotations

import re
import struct
import subprocess
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from health_pages import RULE_PAGES, data_values, report_and_json, resource_urls, rule_rows
from helpers_tools import require_tool


def _chromium() -> str:
    return require_tool("chromium", "install Debian's chromium (apt-get install chromium), as .ci/install-tools does")


def _browse(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # No sandbox: CI runs as root in a container, where Chromium's sandbox cannot start.
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, Any]:
    out = tmp_path_factory.mktemp("browser")
    html, report = report_and_json(out, RULE_PAGES)
    return out / "report.html", html, report


def test_chromium_dom_has_the_charts_and_the_json_numbers(rendered: tuple[Path, str, Any], tmp_path: Path) -> None:
    browser = _chromium()
    file, _, report = rendered
    done = _browse(browser, tmp_path / "profile", "--dump-dom", file.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert "<body" in dom and "Section health" in dom
    charts = re.findall(r"<svg\b[^>]*>.*?</svg>", dom, flags=re.S)
    categories = {finding["category"] for finding in report["findings"]}
    assert len(charts) == len(categories) + 1  # one per category with findings, and the sections
    for chart in charts:
        assert re.search(r'role="img"', chart) and re.search(r'aria-label="[^"]+"', chart)
        assert re.search(r"<title>[^<]+</title>", chart)
        bars = re.findall(r'data-value="(\d+)"><title>[^<]*: ([\d,]+)</title>', chart)
        assert bars and all(int(value) == int(shown.replace(",", "")) for value, shown in bars)
    summary = report["summary"]
    assert data_values(dom, "total") == {key: summary[key] for key in data_values(dom, "total")}
    pages: defaultdict[str, set[str]] = defaultdict(set)
    for finding in report["findings"]:
        pages[finding["rule"]].add(finding["path"])
    assert rule_rows(dom) == {rule: (count, len(pages[rule])) for rule, count in summary["by_rule"].items()}
    # The charts say the tables' numbers: each rule's bars (findings, pages).
    bars = re.findall(r'data-label="(MON\d{3}) [^"]*" data-series="(findings|pages)" data-value="(\d+)"', dom)
    charted = {(rule, series): int(value) for rule, series, value in bars}
    assert charted == {
        **{(rule, "findings"): count for rule, count in summary["by_rule"].items()},
        **{(rule, "pages"): len(paths) for rule, paths in pages.items()},
    }
    assert resource_urls(dom) == []


def test_chromium_screenshot_is_a_real_picture(rendered: tuple[Path, str, Any], tmp_path: Path) -> None:
    browser = _chromium()
    file, _, _ = rendered
    shot = tmp_path / "report.png"
    done = _browse(
        browser,
        tmp_path / "profile",
        "--hide-scrollbars",
        "--window-size=1200,2400",
        f"--screenshot={shot}",
        file.as_uri(),
    )
    assert done.returncode == 0, done.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1200, 2400)
    assert len(data) > 50_000  # text, tables and charts; a blank page of this size is a few kB
