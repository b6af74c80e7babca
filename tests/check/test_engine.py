"""Engine policies that no single rule owns."""

from __future__ import annotations

from pathlib import Path

import pytest

from validator.check.engine import check_bytes, check_file, worker_died_finding
from validator.config.selection import Layer, build_settings
from validator.content_model.load import load_content_model

MODEL = load_content_model()


@pytest.mark.parametrize(
    ("raw", "rule"),
    [
        (b"---\ntitle: \xff\n---\n", "MON002"),
        (b"\xff\xfe-\x00-\x00-\x00", "MON002"),
        (b"---\n\x00\n---\n", "MON003"),
    ],
)
def test_undecodable_files_are_reported_whatever_the_selection(raw: bytes, rule: str) -> None:
    settings = build_settings([Layer(select=["dose"])])
    assert [finding.rule for finding in check_bytes(raw, "page.md", settings, MODEL)] == [rule]


def test_unreadable_files_are_reported_whatever_the_selection(tmp_path: Path) -> None:
    settings = build_settings([Layer(select=["MON401"])])
    findings = check_file(tmp_path / "missing.md", "missing.md", settings, MODEL)
    assert [finding.rule for finding in findings] == ["MON001"]


def test_unclosed_front_matter_runs_no_body_rules() -> None:
    raw = b"---\nlayout: minimal-medicine\ntitle: X\n\n# X\nTake 10mg.\n"
    findings = check_bytes(raw, "page.md", build_settings([]), MODEL)
    assert [finding.rule for finding in findings] == ["MON005"]


def test_findings_are_sorted_by_position_then_rule() -> None:
    raw = b"---\nlayout: minimal-medicine\ntitle: X\n---\n# X\n### Dosage:\nTake 10mg or 5.0 mg.\n"
    findings = check_bytes(raw, "page.md", build_settings([]), MODEL)
    keys = [(f.start.line, f.start.column, f.rule) for f in findings]
    assert keys == sorted(keys)
    assert {"MON207", "MON401", "MON402"} <= {f.rule for f in findings}


def test_a_dead_worker_is_reported_with_its_signal_or_exit_code() -> None:
    settings = build_settings([Layer(select=["dose"])])  # reported whatever the selection
    killed, exited = worker_died_finding("a.md", -9, settings), worker_died_finding("b.md", 70, settings)
    assert [(f.rule, f.start.line, f.start.column) for f in killed + exited] == [("MON011", 1, 1)] * 2
    assert killed[0].message.endswith("died (killed by SIGKILL)")
    assert exited[0].message.endswith("died (exit code 70)")
