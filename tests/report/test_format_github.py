"""--format github: workflow commands the Actions runner decodes back to the original finding,
the one-line summary, and the Markdown job summary appended to $GITHUB_STEP_SUMMARY."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from formats_tricky import (
    MULTILINE_PATH,
    STDIN_PATH,
    TRICKY_MESSAGE,
    TRICKY_ROOT_PATHS,
    tricky_context,
    tricky_findings,
    tricky_summary,
)
from helpers_cli import DOSE_COLUMN, DOSE_LINE, ERROR_PAGE, WARNING_PAGE, run, write_tree

from validator.model.finding import Finding, Position, Severity
from validator.report.formats import Style, summarize
from validator.report.formats.github import job_summary, render

KINDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


@dataclasses.dataclass(frozen=True)
class Command:
    name: str
    properties: dict[str, str]
    data: str


def _unescape(text: str, tokens: tuple[tuple[str, str], ...]) -> str:
    for escaped, char in tokens:
        text = text.replace(escaped, char)
    return text


def parse_command(line: str) -> Command:
    """Decode one line the way the runner does (actions/runner, src/Runner.Common/
    ActionCommand.cs, TryParseV2 with UnescapeProperty and UnescapeData, "%25" last)."""
    line = line.lstrip()
    assert line.startswith("::"), line
    end = line.index("::", 2)
    info, data = line[2:end], line[end + 2 :]
    name, _, listed = info.partition(" ")
    data_tokens = (("%0D", "\r"), ("%0A", "\n"), ("%25", "%"))
    property_tokens = (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%"))
    properties = {}
    for pair in filter(None, listed.strip().split(",")):
        key, value = pair.split("=", 1)
        properties[key] = _unescape(value, property_tokens)
    return Command(name, properties, _unescape(data, data_tokens))


def annotations(output: str) -> list[Command]:
    # The runner splits its output into lines at LF and CR only.
    return [parse_command(line) for line in re.split("\r\n|\r|\n", output) if line.startswith("::")]


def rendered(findings: list[Finding] | None = None, quiet: bool = False) -> str:
    findings = tricky_findings() if findings is None else findings
    return render(findings, tricky_summary(findings), Style(quiet=quiet), tricky_context())


def test_every_annotation_decodes_to_the_original_finding() -> None:
    findings = tricky_findings()
    decoded = annotations(rendered())
    assert len(decoded) == len(findings)
    by_title = {command.properties["title"]: command for command in decoded}
    for finding, root_path in zip(findings, TRICKY_ROOT_PATHS, strict=True):
        command = by_title[f"{finding.rule} {finding.name}"]
        assert command.data == finding.message
        assert command.name == KINDS[finding.severity]
        assert command.properties.get("file") == (None if finding.path == STDIN_PATH else root_path)
        assert int(command.properties["line"]) == finding.start.line


def test_the_tricky_message_is_escaped_like_the_toolkit() -> None:
    line = next(line for line in rendered().splitlines() if "MON210" in line)
    assert line == (
        "::warning file=site/docs/Ärzte%2C notes/a%3Ab 100%25.md,line=20,endLine=20,col=1,endColumn=33,"
        "title=MON210 unknown-section::unknown section 'Dosage: 100%25'%0Asecond line%0D with :: and a:b, c"
    )
    assert parse_command(line).data == TRICKY_MESSAGE


def test_each_annotation_is_one_line_and_only_annotations_start_with_colons() -> None:
    output = rendered()
    lines = output.splitlines()
    assert "\r" not in output
    assert len(lines) == len(tricky_findings()) + 1
    assert all(line.startswith("::") for line in lines[:-1])
    assert lines[-1] == "monolint: 4 errors, 1 warning, 1 info in 4 files (4 files checked)"


def test_errors_come_first_and_the_order_is_otherwise_stable() -> None:
    findings = tricky_findings()
    decoded = annotations(rendered())
    assert [command.name for command in decoded] == ["error"] * 4 + ["warning", "notice"]
    errors = [f"{f.rule} {f.name}" for f in findings if f.severity is Severity.ERROR]
    assert [command.properties["title"] for command in decoded[:4]] == errors


def test_a_multi_line_finding_has_lines_but_no_columns() -> None:
    command = next(c for c in annotations(rendered()) if c.properties["title"].startswith("MON302"))
    assert command.properties["file"] == f"site/{MULTILINE_PATH}"
    assert (command.properties["line"], command.properties["endLine"]) == ("37", "41")
    assert "col" not in command.properties
    assert "endColumn" not in command.properties


def _finding(start: Position, end: Position) -> Finding:
    return dataclasses.replace(tricky_findings()[-1], start=start, end=end)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # endColumn is inclusive: the exclusive end column 11 marks the last character at 10.
        (Position(12, 7), Position(12, 11), {"line": "12", "endLine": "12", "col": "7", "endColumn": "10"}),
        # An empty span (an insertion point) still names one column.
        (Position(3, 5), Position(3, 5), {"line": "3", "endLine": "3", "col": "5", "endColumn": "5"}),
        # Up to the end of line 4, newline included: one line, last column unknown.
        (Position(4, 2), Position(5, 1), {"line": "4", "endLine": "4", "col": "2"}),
        # Lines 4 and 5 in full: two lines, so no columns.
        (Position(4, 1), Position(6, 1), {"line": "4", "endLine": "5"}),
    ],
)
def test_positions(start: Position, end: Position, expected: dict[str, str]) -> None:
    (command,) = annotations(rendered([_finding(start, end)]))
    assert {k: v for k, v in command.properties.items() if k not in ("file", "title")} == expected


def test_standard_input_has_no_file_property() -> None:
    command = next(c for c in annotations(rendered()) if c.properties["title"].startswith("MON004"))
    assert "file" not in command.properties
    assert command.properties["line"] == "1"


def test_quiet_prints_the_annotations_only() -> None:
    lines = rendered(quiet=True).splitlines()
    assert len(lines) == len(tricky_findings())
    assert all(line.startswith("::") for line in lines)


def test_an_empty_run() -> None:
    context = tricky_context()
    assert render([], summarize([], 3), Style(), context) == "monolint: no findings (3 files checked)\n"
    assert render([], summarize([], 3), Style(quiet=True), context) == ""
    assert render([], summarize([], 3, fixed=2), Style(), context) == (
        "monolint: no findings (3 files checked); fixed 2 findings\n"
    )


# --- the job summary ---------------------------------------------------------------------------


def _rows(markdown: str, heading: str) -> list[list[str]]:
    """The body rows of the table under ``heading``, split at unescaped '|'."""
    section = markdown.split(heading, 1)[1].split("\n### ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")][2:]
    return [[cell.strip() for cell in re.split(r"(?<!\\)\|", row)[1:-1]] for row in rows]


def test_job_summary_of_the_tricky_findings() -> None:
    markdown = job_summary(tricky_findings(), tricky_summary(), tricky_context())
    assert markdown.startswith("## monolint\n")
    assert ":x: **Failed**: 4 errors, 1 warning, 1 info in 4 of 4 files checked." in markdown
    assert _rows(markdown, "### Findings per rule") == [
        ["MON004", "frontmatter-missing", "error", "1"],
        ["MON301", "disclaimer-missing", "error", "1"],
        ["MON302", "disclaimer-not-last", "error", "1"],
        ["MON401", "dose-no-space", "error", "1"],
        ["MON210", "unknown-section", "warning", "1"],
        ["MON410", "dose-comparison-symbol", "info", "1"],
    ]
    assert _rows(markdown, "### Pages to fix first") == [
        ["`site/content/metformin.md`", "1", "2"],
        ["`site/docs/Ärzte, notes/a:b 100%.md`", "1", "2"],
        ["`-`", "1", "1"],
        ["`../elsewhere/x.md`", "1", "1"],
    ]
    assert markdown.endswith("\n\n")


def test_job_summary_cells_are_escaped() -> None:
    nasty = "docs/a|b `c`\nd.md"
    findings = [dataclasses.replace(finding, path=nasty) for finding in tricky_findings()[-2:]]
    findings[0] = dataclasses.replace(findings[0], rule="MON9|1", name="x*y_<b>")
    markdown = job_summary(findings, summarize(findings, 1), tricky_context())
    (page,) = _rows(markdown, "### Pages to fix first")
    assert page == ["``site/docs/a\\|b `c` d.md``", "1", "2"]
    rules = _rows(markdown, "### Findings per rule")
    assert ["MON9\\|1", "x\\*y\\_\\<b\\>", "error", "1"] in rules
    assert all(len(row) == 4 for row in rules)


def test_job_summary_lists_the_ten_pages_with_most_errors() -> None:
    base = tricky_findings()[0]  # an error
    findings = [
        dataclasses.replace(base, path=f"p{index:02}.md", start=Position(line, 1), end=Position(line, 2))
        for index in range(12)
        for line in range(1, index + 2)
    ]
    markdown = job_summary(findings, summarize(findings, 20), tricky_context())
    pages = _rows(markdown, "### Pages to fix first")
    assert [row[0] for row in pages] == [f"`site/p{index:02}.md`" for index in range(11, 1, -1)]
    assert pages[0][1:] == ["12", "12"]
    assert "… and 2 more pages." in markdown


def test_job_summary_without_errors_passes() -> None:
    findings = [f for f in tricky_findings() if f.severity is not Severity.ERROR]
    markdown = job_summary(findings, summarize(findings, 9, fixed=3), tricky_context())
    assert (
        ":warning: **Passed with findings**: 1 warning, 1 info in 2 of 9 files checked. Fixed 3 findings." in markdown
    )


def test_job_summary_of_a_clean_run() -> None:
    markdown = job_summary([], summarize([], 7), tricky_context())
    assert markdown == "## monolint\n\n:white_check_mark: All checks passed (7 files checked).\n\n"


# --- the real command line -----------------------------------------------------------------------

BAD_PAGE = "Ärzte, Notizen/Dosis prüfen.md"


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A work tree (a .git folder) whose site/ folder holds a bad page and a page with a warning."""
    (tmp_path / ".git").mkdir()
    write_tree(tmp_path / "site", {BAD_PAGE: ERROR_PAGE, "warn.md": WARNING_PAGE})
    return tmp_path


def _github(repository: Path, summary_file: Path) -> tuple[int, str]:
    # Empty values, so a CI run of these tests never writes to the real job summary.
    env = {"GITHUB_STEP_SUMMARY": str(summary_file), "GITHUB_WORKSPACE": ""}
    result = run(["check", "--isolated", "--format", "github", BAD_PAGE, "warn.md"], repository / "site", env=env)
    return result.code, result.stdout


def test_cli_annotations_and_job_summary(repository: Path, tmp_path: Path) -> None:
    summary_file = tmp_path / "step-summary.md"
    code, stdout = _github(repository, summary_file)
    assert code == 1
    decoded = annotations(stdout)
    assert [(c.name, c.properties["title"]) for c in decoded] == [
        ("error", "MON401 dose-no-space"),
        ("warning", "MON210 unknown-section"),
    ]
    error = decoded[0]
    assert error.properties["file"] == f"site/{BAD_PAGE}"
    assert (error.properties["line"], error.properties["col"]) == (str(DOSE_LINE), str(DOSE_COLUMN))
    assert error.properties["endColumn"] == str(DOSE_COLUMN + len("500mg") - 1)
    assert f"file=site/Ärzte%2C Notizen/Dosis prüfen.md,line={DOSE_LINE}," in stdout
    assert stdout.splitlines()[-1] == "monolint: 1 error, 1 warning in 2 files (2 files checked)"
    first = summary_file.read_text(encoding="utf-8")
    assert first.startswith("## monolint\n")
    assert f"`site/{BAD_PAGE}`" in first

    _github(repository, summary_file)
    assert summary_file.read_text(encoding="utf-8") == first + first


def test_cli_outside_actions_prints_annotations_only(repository: Path) -> None:
    env = {"GITHUB_STEP_SUMMARY": "", "GITHUB_WORKSPACE": ""}
    result = run(["check", "--isolated", "--format", "github", "warn.md"], repository / "site", env=env)
    assert (result.code, result.stderr) == (0, "")
    assert [(c.name, c.properties["file"]) for c in annotations(result.stdout)] == [("warning", "site/warn.md")]


def test_cli_messages_decode_to_the_json_report_messages(repository: Path) -> None:
    env = {"GITHUB_STEP_SUMMARY": "", "GITHUB_WORKSPACE": ""}
    site = repository / "site"
    report = run(["check", "--isolated", "--format", "json", BAD_PAGE, "warn.md"], site, env=env).json()
    github = run(["check", "--isolated", "--format", "github", BAD_PAGE, "warn.md"], site, env=env)
    assert [c.data for c in annotations(github.stdout)] == [f["message"] for f in report["findings"]]
