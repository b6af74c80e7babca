"""--format junit: JUnit XML valid against the Jenkins xunit plugin's junit-10.xsd, one testcase
per file with findings, a failure per finding, and one testcase for the files without findings."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema
from formats_tricky import (
    STDIN_PATH,
    TRICKY_FILES,
    TRICKY_MESSAGE,
    TRICKY_ROOT_PATHS,
    tricky_context,
    tricky_findings,
    tricky_summary,
)
from helpers_cli import CLEAN_PAGE, DOSE_COLUMN, DOSE_LINE, ERROR_PAGE, WARNING_PAGE, run, write_tree

from validator.model.finding import Finding
from validator.report.formats import Style, Summary, summarize
from validator.report.formats.junit import CLEAN_CASE, render

SCHEMA = xmlschema.XMLSchema(Path(__file__).parent.parent / "schemas" / "junit-10.xsd")


def rendered(findings: list[Finding] | None = None, summary: Summary | None = None) -> str:
    findings = tricky_findings() if findings is None else findings
    return render(findings, summary or tricky_summary(findings), Style(), tricky_context())


def parse(document: str) -> ET.Element:
    """Validate against junit-10.xsd, then parse."""
    SCHEMA.validate(document)
    return ET.fromstring(document.encode("ascii"))  # the report is pure ASCII


def cases(root: ET.Element) -> list[ET.Element]:
    (suite,) = root.findall("testsuite")
    return suite.findall("testcase")


def test_tricky_findings_validate_and_keep_their_text() -> None:
    document = rendered()
    assert document.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    assert document.isascii()
    assert "\r" not in document
    root = parse(document)
    assert root.tag == "testsuites"
    assert (root.get("name"), root.get("tests"), root.get("failures")) == ("monolint", "4", "4")
    expected_paths = list(dict.fromkeys(TRICKY_ROOT_PATHS))
    assert [case.get("name") for case in cases(root)] == expected_paths
    failures = [failure for case in cases(root) for failure in case.findall("failure")]
    findings = tricky_findings()
    assert len(failures) == len(findings)
    for failure, finding, path in zip(failures, findings, TRICKY_ROOT_PATHS, strict=True):
        assert failure.get("type") == finding.rule
        assert failure.get("message") == f"{finding.rule} {finding.name}: {finding.message}"
        assert (failure.text or "").startswith(f"{path}:{finding.start.line}:{finding.start.column}: ")


def test_the_tricky_message_round_trips_in_the_message_attribute() -> None:
    root = parse(rendered())
    messages = [failure.get("message") for failure in root.iter("failure")]
    assert f"MON210 unknown-section: {TRICKY_MESSAGE}" in messages
    # Element text has its line breaks normalised (XML reads a CR in text as LF).
    texts = [failure.text or "" for failure in root.iter("failure")]
    assert any(text.endswith(TRICKY_MESSAGE.replace("\r", "\n")) for text in texts)


def test_every_testcase_lists_all_its_findings_in_system_out() -> None:
    for case in cases(parse(rendered())):
        failures = case.findall("failure")
        listing = (case.findtext("system-out") or "").splitlines()
        assert [text for failure in failures for text in (failure.text or "").splitlines()] == listing


def test_standard_input_has_no_file_attribute_and_files_have_one() -> None:
    by_name = {case.get("name"): case for case in cases(parse(rendered()))}
    assert by_name[STDIN_PATH].get("file") is None
    assert by_name["site/content/metformin.md"].get("file") == "site/content/metformin.md"
    assert {case.get("classname") for case in by_name.values()} == {"monolint"}


def test_files_without_findings_are_one_passing_testcase() -> None:
    findings = tricky_findings()
    root = parse(rendered(findings, summarize(findings, TRICKY_FILES + 3)))
    *failing, clean = cases(root)
    assert len(failing) == 4
    assert clean.get("name") == CLEAN_CASE
    assert clean.findall("failure") == []
    assert clean.findtext("system-out") == "3 files checked without findings\n"
    assert (root.get("tests"), root.get("failures")) == ("5", "4")


def test_an_empty_run() -> None:
    root = parse(rendered([], summarize([], 0)))
    assert cases(root) == []
    assert (root.get("tests"), root.get("failures")) == ("0", "0")
    clean = parse(rendered([], summarize([], 1)))
    assert [(case.get("name"), case.findtext("system-out")) for case in cases(clean)] == [
        (CLEAN_CASE, "1 file checked without findings\n")
    ]


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x0c", "\udcff", "\ufffe"])
def test_characters_xml_forbids_are_replaced(char: str) -> None:
    base = tricky_findings()[0]
    finding = dataclasses.replace(base, path=f"bad{char}name.md", message=f"odd {char} text")
    (case,) = cases(parse(rendered([finding], summarize([finding], 1))))
    escaped = f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
    assert case.get("name") == f"site/bad{escaped}name.md"
    (failure,) = case.findall("failure")
    assert failure.get("message") == f"{base.rule} {base.name}: odd {escaped} text"


def test_a_tab_and_non_ascii_text_survive() -> None:
    finding = dataclasses.replace(tricky_findings()[0], message="tab\there: µg → mcg")
    (failure,) = parse(rendered([finding], summarize([finding], 1))).iter("failure")
    assert failure.get("message", "").endswith("tab\there: µg → mcg")


# --- the real command line -----------------------------------------------------------------------

BAD_PAGE = "Ärzte, Notizen/Dosis prüfen.md"


def test_cli_junit(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write_tree(tmp_path / "site", {BAD_PAGE: ERROR_PAGE, "warn.md": WARNING_PAGE, "clean.md": CLEAN_PAGE})
    env = {"GITHUB_STEP_SUMMARY": "", "GITHUB_WORKSPACE": ""}
    result = run(["check", "--isolated", "--format", "junit", "."], tmp_path / "site", env=env)
    assert result.code == 1
    root = parse(result.stdout)
    summary = [(case.get("name"), [f.get("type") for f in case.findall("failure")]) for case in cases(root)]
    # In finding order: paths sorted by code point, so "warn.md" before "Ärzte".
    assert summary == [
        ("site/warn.md", ["MON210"]),
        (f"site/{BAD_PAGE}", ["MON401"]),
        (CLEAN_CASE, []),
    ]
    (failure,) = cases(root)[1].findall("failure")
    assert (failure.text or "").startswith(f"site/{BAD_PAGE}:{DOSE_LINE}:{DOSE_COLUMN}: error: '500mg'")
