"""One finding identity (validator.report.fingerprint) for SARIF, GitLab and the baseline."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from validator.model.finding import Finding, Position, Severity
from validator.report import baseline
from validator.report.fingerprint import Fingerprint, digest, fingerprints, message_key
from validator.report.formats import Context, Style, summarize
from validator.report.formats.gitlab import render as render_gitlab
from validator.report.formats.sarif import FINGERPRINT_KEY
from validator.report.formats.sarif import render as render_sarif


def finding(line: int = 3, message: str = "'10mg': put a space", path: str = "a.md") -> Finding:
    return Finding(
        path=path,
        start=Position(line, 1),
        end=Position(line, 5),
        rule="MON401",
        name="dose-no-space",
        category="dose",
        severity=Severity.ERROR,
        message=message,
    )


def test_message_key_blanks_quoted_line_and_column_numbers_only() -> None:
    assert message_key("2 block(s) follow it, from line 39") == "2 block(s) follow it, from line N"
    assert message_key("lines 3 and column  12") == "lines N and column N"
    assert message_key("'10mg': put a space") == "'10mg': put a space"


def test_occurrences_count_per_digest_from_the_top() -> None:
    prints = fingerprints([finding(3), finding(9), finding(9, path="b.md"), finding(12)], str)
    assert [p.occurrence for p in prints] == [1, 2, 1, 3]
    assert prints[0].digest == prints[1].digest != prints[2].digest
    assert str(prints[1]) == f"{prints[1].digest}:2"
    assert len({p.hex for p in prints}) == 4


def test_sarif_and_gitlab_report_the_same_identity(tmp_path: Path) -> None:
    found = [finding(3), finding(9), finding(5, message="from line 7")]
    context = Context(cwd=tmp_path, root=tmp_path)
    summary, style = summarize(found, 1), Style()
    sarif = json.loads(render_sarif(found, summary, style, context))
    gitlab = json.loads(render_gitlab(found, summary, style, context))
    expected = fingerprints(found, context.root_path)
    assert [r["partialFingerprints"][FINGERPRINT_KEY] for r in sarif["runs"][0]["results"]] == [
        str(p) for p in expected
    ]
    assert [issue["fingerprint"] for issue in gitlab] == [p.hex for p in expected]


def test_a_baseline_entry_stands_for_its_first_occurrences(tmp_path: Path) -> None:
    file = tmp_path / "baseline.json"
    baseline.write(file, [finding(3), finding(9)], ["a.md"], tmp_path)
    entry = json.loads(file.read_text(encoding="utf-8"))["findings"][0]
    assert entry["count"] == 2
    # The entry's identity is the digest the reports use for the same page and message.
    shared = fingerprints([finding(3)], str)[0]
    assert digest(entry["rule"], entry["path"], entry["message"]) == shared.digest
    # Three twins after lines moved: the first two are known, the third is new.
    moved = [replace(f, start=Position(f.start.line + 4, 1)) for f in (finding(3), finding(9), finding(20))]
    outcome = baseline.apply(file, moved, ["a.md"], tmp_path)
    assert outcome.findings == [moved[2]] and outcome.known == 2 and outcome.stale == 0
    assert Fingerprint(shared.digest, 3) == fingerprints(moved, str)[2]


def test_a_baseline_written_by_an_older_monolint_still_matches(tmp_path: Path) -> None:
    # Older baselines blanked "line 7" only when one space followed the word.
    file = tmp_path / "baseline.json"
    old = {"path": "a.md", "rule": "MON401", "message": "see line  7", "count": 1}
    file.write_text(json.dumps({"monolint_baseline": 1, "findings": [old]}), encoding="utf-8")
    outcome = baseline.apply(file, [finding(2, message="see line  9")], ["a.md"], tmp_path)
    assert outcome.findings == [] and outcome.known == 1
