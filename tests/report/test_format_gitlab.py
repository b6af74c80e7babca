"""--format gitlab: a GitLab Code Quality report. check-jsonschema has no built-in schema for it,
so the keys and types GitLab requires (docs.gitlab.com/ci/testing/code_quality, "Code Quality
report format") are asserted here."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

from formats_tricky import (
    TRICKY_MESSAGE,
    TRICKY_ROOT_PATHS,
    tricky_context,
    tricky_findings,
    tricky_summary,
)
from helpers_cli import DOSE_LINE, ERROR_PAGE, WARNING_PAGE, run, write_tree

from validator.model.finding import Finding, Position
from validator.report.formats import Style, summarize
from validator.report.formats.gitlab import render

SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def assert_code_quality(document: str) -> list[dict[str, Any]]:
    """The report GitLab accepts: no BOM, a JSON array of issues with the required fields."""
    assert not document.startswith("\ufeff")
    issues = json.loads(document)
    assert isinstance(issues, list)
    for issue in issues:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert isinstance(issue["description"], str) and issue["description"]
        assert isinstance(issue["check_name"], str) and issue["check_name"]
        assert re.fullmatch("[0-9a-f]{32}", issue["fingerprint"])
        assert issue["severity"] in SEVERITIES
        location = issue["location"]
        assert set(location) == {"path", "lines"}
        assert isinstance(location["path"], str) and location["path"]
        lines = location["lines"]
        assert isinstance(lines["begin"], int) and lines["begin"] >= 1
        assert isinstance(lines["end"], int) and lines["end"] >= lines["begin"]
    fingerprints = [issue["fingerprint"] for issue in issues]
    assert len(set(fingerprints)) == len(fingerprints), "fingerprints must be unique"
    return issues


def rendered(findings: list[Finding] | None = None) -> list[dict[str, Any]]:
    findings = tricky_findings() if findings is None else findings
    return assert_code_quality(render(findings, tricky_summary(findings), Style(), tricky_context()))


def test_tricky_findings() -> None:
    findings = tricky_findings()
    issues = rendered()
    assert len(issues) == len(findings)
    for issue, finding, path in zip(issues, findings, TRICKY_ROOT_PATHS, strict=True):
        assert issue["check_name"] == finding.rule
        assert issue["description"] == f"{finding.rule} {finding.name}: {finding.message}"
        assert issue["location"]["path"] == path
        assert issue["location"]["lines"]["begin"] == finding.start.line
    assert any(issue["description"].endswith(TRICKY_MESSAGE) for issue in issues)


def test_severities() -> None:
    by_rule = {issue["check_name"]: issue["severity"] for issue in rendered()}
    assert by_rule == {
        "MON004": "major",
        "MON301": "major",
        "MON302": "major",
        "MON401": "major",
        "MON210": "minor",
        "MON410": "info",
    }


def test_multi_line_findings_give_their_last_line() -> None:
    lines = {issue["check_name"]: issue["location"]["lines"] for issue in rendered()}
    assert lines["MON302"] == {"begin": 37, "end": 41}
    assert lines["MON401"] == {"begin": 12, "end": 12}
    # An exclusive end at column 1 of line 5 ends the span on line 4.
    finding = dataclasses.replace(tricky_findings()[0], start=Position(3, 2), end=Position(5, 1))
    assert rendered([finding])[0]["location"]["lines"] == {"begin": 3, "end": 4}


def test_fingerprints_do_not_depend_on_lines() -> None:
    before = [issue["fingerprint"] for issue in rendered()]
    after = [issue["fingerprint"] for issue in rendered(tricky_findings(line_shift=7))]
    assert before == after


def test_fingerprints_tell_identical_findings_apart_and_stay_stable() -> None:
    base = tricky_findings()[1]
    twins = [dataclasses.replace(base, start=Position(line, 1), end=Position(line, 3)) for line in (4, 9)]
    first = [issue["fingerprint"] for issue in rendered(twins)]
    assert len(set(first)) == 2
    moved = [dataclasses.replace(finding, start=Position(finding.start.line + 30, 1)) for finding in twins]
    assert [issue["fingerprint"] for issue in rendered(moved)] == first
    # A different message, rule or path is another issue.
    others = [
        dataclasses.replace(twins[0], message="other"),
        dataclasses.replace(twins[0], rule="MON999"),
        dataclasses.replace(twins[0], path="elsewhere.md"),
    ]
    for other in others:
        assert rendered([other])[0]["fingerprint"] not in first


def test_the_report_is_ascii_json() -> None:
    document = render(tricky_findings(), tricky_summary(), Style(), tricky_context())
    assert document.isascii()
    assert document.endswith("]\n")
    assert json.loads(document)[-1]["location"]["path"] == "site/docs/Ärzte, notes/a:b 100%.md"


def test_an_empty_run() -> None:
    assert render([], summarize([], 3), Style(), tricky_context()) == "[]\n"


# --- the real command line -----------------------------------------------------------------------

BAD_PAGE = "Ärzte, Notizen/Dosis prüfen.md"


def test_cli_gitlab(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write_tree(tmp_path / "site", {BAD_PAGE: ERROR_PAGE, "warn.md": WARNING_PAGE})
    env = {"GITHUB_STEP_SUMMARY": "", "GITHUB_WORKSPACE": ""}
    result = run(["check", "--isolated", "--format", "gitlab", "."], tmp_path / "site", env=env)
    assert result.code == 1
    issues = assert_code_quality(result.stdout)
    assert [(i["check_name"], i["severity"], i["location"]["path"]) for i in issues] == [
        ("MON210", "minor", "site/warn.md"),
        ("MON401", "major", f"site/{BAD_PAGE}"),
    ]
    assert issues[1]["location"]["lines"] == {"begin": DOSE_LINE, "end": DOSE_LINE}
    # The same findings from another folder of the same repository: the same fingerprints.
    again = run(["check", "--isolated", "--format", "gitlab", "site"], tmp_path, env=env)
    assert [i["fingerprint"] for i in assert_code_quality(again.stdout)] == [i["fingerprint"] for i in issues]
