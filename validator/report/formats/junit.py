"""--format junit: JUnit XML for CI test reports (GitLab, Jenkins, Azure DevOps, CircleCI).

One <testsuites> holding one <testsuite name="monolint">. Each file with findings is a
<testcase> (name and file = the repository-relative path) with one <failure> per finding:
message "ID name: message", type the rule id, and as text "path:line:col: severity: message".
Every finding is a failure, warnings too, as other linters' JUnit reports do; the severity is in
the text. Several CI viewers show only the first <failure> of a testcase, so the testcase's
<system-out> also lists all its findings.

The files without findings are one aggregate passing testcase, "files without findings", whose
<system-out> gives their count: a report only receives findings and the number of files checked,
not the names of the clean files. Its name is stable, so CI test history can follow it.

The document is ASCII (other characters as character references), so it stays well-formed
UTF-8 whatever encoding the console uses; characters XML 1.0 forbids are written as escapes.
It validates against the Jenkins xunit plugin's junit-10.xsd (tests/schemas/junit-10.xsd).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from validator.model.finding import Finding
from validator.report.formats.context import Context
from validator.report.formats.summary import Style, Summary

SUITE = "monolint"
CLEAN_CASE = "files without findings"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
# Characters outside XML 1.0's Char production (https://www.w3.org/TR/xml/#charsets).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_safe(text: str) -> str:
    """Forbidden characters (C0 controls, lone surrogates from undecodable file names, U+FFFE,
    U+FFFF) as visible escapes such as '\\x1b', instead of an unparsable document."""
    return _NOT_XML.sub(lambda match: _escape(match.group()), text)


def _text(text: str) -> str:
    """Element text: line breaks normalised as an XML parser would (a CR in text content is
    read as LF), so the output holds no bare CR; the exact message is in the attributes."""
    return _xml_safe(text.replace("\r\n", "\n").replace("\r", "\n"))


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _failure(finding: Finding, path: str) -> ET.Element:
    failure = ET.Element(
        "failure",
        message=_xml_safe(f"{finding.rule} {finding.name}: {finding.message}"),
        type=finding.rule,
    )
    failure.text = _text(_location_line(finding, path))
    return failure


def _location_line(finding: Finding, path: str) -> str:
    return f"{path}:{finding.start.line}:{finding.start.column}: {finding.severity.value}: {finding.message}"


def _file_case(path: str, findings: list[Finding]) -> ET.Element:
    case = ET.Element("testcase", name=_xml_safe(path), classname=SUITE)
    if path != "-":  # standard input is no file of the repository
        case.set("file", _xml_safe(path))
    case.extend(_failure(finding, path) for finding in findings)
    listing = ET.SubElement(case, "system-out")
    listing.text = _text("".join(_location_line(finding, path) + "\n" for finding in findings))
    return case


def _clean_case(count: int) -> ET.Element:
    case = ET.Element("testcase", name=CLEAN_CASE, classname=SUITE)
    ET.SubElement(case, "system-out").text = f"{count} file{'' if count == 1 else 's'} checked without findings\n"
    return case


def render(findings: list[Finding], summary: Summary, style: Style, context: Context) -> str:
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:  # in finding order, which is sorted by path
        by_path.setdefault(context.root_path(finding.path), []).append(finding)
    cases = [_file_case(path, found) for path, found in by_path.items()]
    clean = summary.files - summary.files_with_findings
    if clean > 0:
        cases.append(_clean_case(clean))
    totals = {"name": SUITE, "tests": str(len(cases)), "failures": str(len(by_path)), "errors": "0"}
    root = ET.Element("testsuites", totals)
    suite = ET.SubElement(root, "testsuite", {**totals, "skipped": "0"})
    suite.extend(cases)
    ET.indent(root)
    # "us-ascii" writes every other character as a character reference.
    body: bytes = ET.tostring(root, encoding="us-ascii", xml_declaration=False)
    return _DECLARATION + body.decode("ascii") + "\n"
