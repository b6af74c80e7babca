"""The real command line, run in subprocesses: commands, options, output and exit codes."""

from __future__ import annotations

import contextlib
import json
import os
import select
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers_cli import (
    CLEAN_PAGE,
    DOSE_COLUMN,
    DOSE_LINE,
    ERROR_PAGE,
    WARNING_PAGE,
    assert_usage_error,
    monolint_command,
    page,
    run,
    write_tree,
)

from validator import __version__
from validator.cli.main import cli
from validator.rules.registry import ALL_RULES

PROJECT = Path(__file__).resolve().parents[2]
# 5.0mg: MON401 and MON402 on the dose line; the Storage section: MON210 (a warning).
MIXED_PAGE = page(dose="5.0mg", extra="### Storage\n\nKeep it dry.")
FINDING_KEYS = {
    "path", "line", "column", "end_line", "end_column", "rule", "name", "category", "severity", "message", "subject", "fix",
}  # fmt: skip


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    write_tree(
        tmp_path,
        {"clean.md": CLEAN_PAGE, "error.md": ERROR_PAGE, "warning.md": WARNING_PAGE, "mixed.md": MIXED_PAGE},
    )
    return tmp_path


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["check", "clean.md"], 0),
        (["clean.md"], 0),
        (["check", "error.md"], 1),
        (["error.md"], 1),
        (["warning.md"], 0),
        (["clean.md", "warning.md", "error.md"], 1),
        (["--exit-zero", "error.md"], 0),
        (["check", "--exit-zero", "mixed.md"], 0),
    ],
)
def test_exit_codes(pages: Path, args: list[str], code: int) -> None:
    result = run(args, pages)
    assert result.code == code, result.stdout + result.stderr
    assert result.stderr == ""


def test_short_form_is_check(pages: Path) -> None:
    assert run(["error.md", "mixed.md"], pages) == run(["check", "error.md", "mixed.md"], pages)


def test_text_output(pages: Path) -> None:
    result = run(["error.md", "clean.md", "warning.md"], pages)
    assert result.lines[0].startswith(f"error.md:{DOSE_LINE}:{DOSE_COLUMN}: MON401 [dose-no-space] '500mg'")
    assert result.lines[1].startswith("warning.md:35:1: MON210 [unknown-section] ")
    assert result.lines[2:] == [
        "",
        "Found 1 error, 1 warning in 2 files (3 files checked).",
        "[*] 1 fixable with --fix.",
    ]
    assert run(["clean.md"], pages).lines == ["All checks passed (1 file checked)."]


def test_exit_zero_still_reports(pages: Path) -> None:
    assert run(["--exit-zero", "error.md"], pages).findings() == [("error.md", DOSE_LINE, DOSE_COLUMN, "MON401")]


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--bogus", "clean.md"], ["--bogus"]),
        (["check", "--bogus", "clean.md"], ["--bogus"]),
        (["--select", "NOPE", "clean.md"], ["--select", "NOPE"]),
        (["--select", "MON401,NOPE", "clean.md"], ["--select", "NOPE"]),
        (["--ignore", "MON9", "clean.md"], ["--ignore", "MON9"]),
        (["--extend-select", "dose", "--extend-select", "nope", "clean.md"], ["--extend-select", "nope"]),
        (["--schema", "missing.yaml", "clean.md"], ["missing.yaml"]),
        (["--schema", "broken.yaml", "clean.md"], ["broken.yaml", "YAML"]),
        (["--schema", "incomplete.yaml", "clean.md"], ["incomplete.yaml", "front_matter"]),
        (["--schema", ".", "clean.md"], ["cannot read"]),
        (["--format", "xml", "clean.md"], ["--format"]),
        (["--color", "sometimes", "clean.md"], ["--color"]),
        (["--config", "missing.toml", "clean.md"], ["missing.toml"]),
        (["check"], ["no paths"]),
        (["-", "clean.md"], ["standard input"]),
        (["--stdin-filename", "x.md", "clean.md"], ["standard input"]),
        (["--output", "no/such/folder/out.txt", "clean.md"], ["no/such/folder/out.txt"]),
        (["explain", "NOPE"], ["NOPE"]),
        (["explain"], ["RULE"]),
        (["rules", "--format", "xml"], ["--format"]),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(pages: Path, args: list[str], fragments: list[str]) -> None:
    write_tree(pages, {"broken.yaml": "name: [\n", "incomplete.yaml": "name: x\n"})
    assert_usage_error(run(args, pages), *fragments)


def test_no_arguments_shows_help_and_exits_2(pages: Path) -> None:
    result = run([], pages)
    assert result.code == 2
    assert "Usage:" in result.stderr


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help(pages: Path, flag: str) -> None:
    for args in ([flag], ["check", flag]):
        result = run(args, pages)
        assert result.code == 0
        assert "Usage:" in result.stdout


def test_json_output(pages: Path) -> None:
    result = run(["--format", "json", "clean.md", "mixed.md", "error.md"], pages)
    assert result.code == 1
    report = result.json()
    findings = report["findings"]
    assert all(set(finding) == FINDING_KEYS for finding in findings)
    assert [(f["path"], f["line"], f["column"], f["rule"]) for f in findings] == [
        ("mixed.md", DOSE_LINE, DOSE_COLUMN, "MON401"),
        ("mixed.md", DOSE_LINE, DOSE_COLUMN, "MON402"),
        ("mixed.md", 35, 1, "MON210"),
        ("error.md", DOSE_LINE, DOSE_COLUMN, "MON401"),
    ]
    first = findings[0]
    assert (first["end_line"], first["end_column"]) == (DOSE_LINE, DOSE_COLUMN + len("5.0mg"))
    assert (first["name"], first["category"], first["severity"]) == ("dose-no-space", "dose", "error")
    assert first["fix"]["edits"] == [
        {
            "line": DOSE_LINE,
            "column": DOSE_COLUMN + 3,
            "end_line": DOSE_LINE,
            "end_column": DOSE_COLUMN + 3,
            "text": " ",
        }
    ]
    assert findings[2]["severity"] == "warning"
    summary = report["summary"]
    assert summary == {
        "files": 3,
        "files_with_findings": 2,
        "findings": len(findings),
        "errors": sum(f["severity"] == "error" for f in findings),
        "warnings": sum(f["severity"] == "warning" for f in findings),
        "info": 0,
        "fixable": sum(f["fix"] is not None for f in findings),
        "by_rule": {"MON210": 1, "MON401": 2, "MON402": 1},
        "skipped": 0,
    }


def test_json_output_when_clean(pages: Path) -> None:
    report = run(["--format", "json", "clean.md"], pages).json()
    assert report["findings"] == []
    assert report["summary"]["files"] == 1


@pytest.mark.parametrize("output_format", ["text", "json"])
def test_output_file(pages: Path, output_format: str) -> None:
    result = run(["--format", output_format, "--output", "report.out", "error.md"], pages)
    assert result.code == 1
    assert result.stdout == ""
    written = (pages / "report.out").read_text(encoding="utf-8")
    assert written == run(["--format", output_format, "error.md"], pages).stdout
    assert "\x1b[" not in written


@pytest.mark.parametrize(
    ("options", "rules"),
    [
        ([], {"MON401", "MON402", "MON210"}),
        (["--select", "MON401"], {"MON401"}),
        (["--select", "mon401"], {"MON401"}),
        (["--select", "MON4"], {"MON401", "MON402"}),
        (["--select", "dose-no-space"], {"MON401"}),
        (["--select", "dose"], {"MON401", "MON402"}),
        (["--select", "ALL"], {"MON401", "MON402", "MON210"}),
        (["--select", "MON401,unknown-section"], {"MON401", "MON210"}),
        (["--select", "MON401", "--select", "MON210"], {"MON401", "MON210"}),
        (["--select", " MON401 , MON402 "], {"MON401", "MON402"}),
        (["--ignore", "dose"], {"MON210"}),
        (["--ignore", "MON401", "--ignore", "unknown-section"], {"MON402"}),
        (["--ignore", "MON4,structure"], set()),
        (["--select", "dose", "--extend-select", "structure"], {"MON401", "MON402", "MON210"}),
        (["--select", "MON401", "--extend-select", "MON402,MON210"], {"MON401", "MON402", "MON210"}),
        (["--select", "dose", "--ignore", "MON402"], {"MON401"}),
    ],
)
def test_select_ignore_extend_select(pages: Path, options: list[str], rules: set[str]) -> None:
    result = run([*options, "--format", "json", "mixed.md"], pages)
    assert {finding["rule"] for finding in result.json()["findings"]} == rules


def test_stdin(pages: Path) -> None:
    dash = run(["-"], pages, stdin=ERROR_PAGE.encode())
    assert dash.findings() == [("-", DOSE_LINE, DOSE_COLUMN, "MON401")]
    assert dash.code == 1
    named = run(["--stdin-filename", "drugs/x.md"], pages, stdin=ERROR_PAGE.encode())
    assert named.findings() == [("drugs/x.md", DOSE_LINE, DOSE_COLUMN, "MON401")]
    both = run(["--stdin-filename", "drugs/x.md", "-"], pages, stdin=ERROR_PAGE.encode())
    assert both.findings() == named.findings()
    assert run(["-"], pages, stdin=CLEAN_PAGE.encode()).code == 0


def test_stdin_bad_bytes(pages: Path) -> None:
    result = run(["--stdin-filename", "x.md"], pages, stdin="title: x".encode("utf-16"))
    assert result.findings() == [("x.md", 1, 1, "MON002")]
    # An empty page has no front matter: it is not a monograph, so it is skipped, not reported.
    empty = run(["-"], pages, stdin=b"")
    assert (empty.findings(), empty.code) == ([], 0)
    assert "1 file skipped: no matching content model." in empty.lines


def test_quiet(pages: Path) -> None:
    assert run(["-q", "clean.md"], pages).stdout == ""
    quiet = run(["--quiet", "error.md", "warning.md"], pages)
    assert len(quiet.lines) == 2
    assert [finding[3] for finding in quiet.findings()] == ["MON401", "MON210"]


def test_statistics(pages: Path) -> None:
    result = run(["--statistics", "-q", "mixed.md", "error.md"], pages)
    rows = [line.split() for line in result.lines]
    assert rows == [
        ["2", "MON401", "dose-no-space", "error", "[*]"],
        ["1", "MON210", "unknown-section", "warning"],
        ["1", "MON402", "dose-trailing-zero", "error", "[*]"],
    ]
    assert result.code == 1


@pytest.mark.parametrize(
    ("args", "env", "colored"),
    [
        (["--color", "always"], {}, True),
        (["--color", "always"], {"NO_COLOR": "1"}, True),
        (["--color", "never"], {}, False),
        (["--color", "auto"], {}, False),
        ([], {}, False),
    ],
)
def test_color_on_a_pipe(pages: Path, args: list[str], env: dict[str, str], colored: bool) -> None:
    result = run([*args, "error.md"], pages, env=env)
    assert ("\x1b[" in result.stdout) is colored
    if not colored:
        assert result.findings() == [("error.md", DOSE_LINE, DOSE_COLUMN, "MON401")]


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize(
    ("args", "env", "colored"), [([], {}, True), ([], {"NO_COLOR": "1"}, False), (["--color", "never"], {}, False)]
)
def test_color_on_a_terminal(pages: Path, args: list[str], env: dict[str, str], colored: bool) -> None:
    import pty

    leader, follower = pty.openpty()
    environment = {key: value for key, value in os.environ.items() if key != "NO_COLOR"} | env
    process = subprocess.Popen([*monolint_command(), *args, "error.md"], cwd=pages, stdout=follower, env=environment)
    os.close(follower)
    output = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:  # never block the suite on a process that hangs
            process.kill()
            pytest.fail("monolint wrote nothing for 60 s")
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closes when the process exits
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    assert process.wait(timeout=60) == 1
    assert b"MON401" in output
    assert (b"\x1b[" in output) is colored


def test_rules_command(pages: Path) -> None:
    text = run(["rules"], pages)
    assert text.code == 0
    assert [line.split()[0] for line in text.lines] == [rule.id for rule in ALL_RULES]
    listing = run(["rules", "--format", "json"], pages).json()
    assert [entry["id"] for entry in listing] == [rule.id for rule in ALL_RULES]
    assert len({entry["name"] for entry in listing}) == len(listing)
    assert all({"id", "name", "category", "severity", "summary"} <= set(entry) for entry in listing)
    markdown = run(["rules", "--format", "markdown"], pages)
    assert all(rule.id in markdown.stdout for rule in ALL_RULES)


def test_explain(pages: Path) -> None:
    by_id = run(["explain", "MON401"], pages)
    assert by_id.code == 0
    assert by_id.lines[0].startswith("MON401 dose-no-space")
    assert run(["explain", "dose-no-space"], pages).stdout == by_id.stdout
    assert run(["explain", "mon401"], pages).stdout == by_id.stdout


@pytest.mark.parametrize("args", [["--version"], ["-V"], ["version"]])
def test_version(pages: Path, args: list[str]) -> None:
    for command in (None, [sys.executable, "-m", "validator"]):
        result = run(args, pages, command=command)
        assert result.code == 0
        assert result.stdout.strip() == f"monolint, version {__version__}"


@pytest.mark.parametrize(("typo", "command"), [("chek", "check"), ("rule", "rules"), ("explian", "explain")])
def test_a_misspelt_command_is_a_usage_error(pages: Path, typo: str, command: str) -> None:
    result = run([typo, "."], pages)
    assert result.code == 2
    assert result.stderr.strip() == f"monolint: error: no command or path '{typo}'; did you mean '{command}'?"
    assert result.stdout == ""


def test_a_first_word_that_is_a_path_is_checked_even_if_it_reads_like_a_command(pages: Path) -> None:
    (pages / "chek").mkdir()
    (pages / "chek" / "page.md").write_text((pages / "error.md").read_text(encoding="utf-8"), encoding="utf-8")
    result = run(["chek"], pages)
    assert result.code == 1
    assert {finding[0] for finding in result.findings()} == {"chek/page.md"}


def test_python_m_validator_is_the_same_command(pages: Path) -> None:
    module = [sys.executable, "-m", "validator"]
    for args in (["error.md", "mixed.md"], ["--format", "json", "mixed.md"], ["--select", "NOPE", "x.md"]):
        assert run(args, pages, command=module) == run(args, pages)


def test_the_projects_own_content_is_clean() -> None:
    result = run(["content"], PROJECT)
    assert result.code == 0, result.stdout
    assert result.lines[-1].startswith("All checks passed")


def test_check_writes_nothing(pages: Path) -> None:
    before = {path: path.read_bytes() for path in pages.iterdir()}
    stamps = {path: path.stat().st_mtime_ns for path in pages.iterdir()}
    # --no-cache: the findings cache is the one thing a check may write (test_cache.py).
    run(["--no-cache", "."], pages)
    run(["--no-cache", "--format", "json", "--statistics", "."], pages)
    assert {path: path.read_bytes() for path in pages.iterdir()} == before
    assert {path: path.stat().st_mtime_ns for path in pages.iterdir()} == stamps


def test_a_closed_pipe_ends_the_run_quietly(tmp_path: Path) -> None:
    write_tree(tmp_path, {"many.md": page(dose="5mg " * 20_000)})
    process = subprocess.Popen(
        [*monolint_command(), "many.md"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()  # like `monolint ... | head -1`
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) in (0, 1)
    assert "Traceback" not in stderr
    assert "Exception" not in stderr


def test_click_runner_sees_the_same_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    listing = runner.invoke(cli, ["rules", "--format", "json"])
    assert listing.exit_code == 0
    assert len(json.loads(listing.output)) == len(ALL_RULES)
    explained = runner.invoke(cli, ["explain", "dose-no-space"])
    assert explained.exit_code == 0
    assert explained.output.startswith("MON401 dose-no-space")
    write_tree(tmp_path, {"page.md": CLEAN_PAGE})
    monkeypatch.chdir(tmp_path)
    checked = runner.invoke(cli, ["--isolated", "page.md"])
    assert checked.exit_code == 0
    assert checked.output == "All checks passed (1 file checked).\n"


@pytest.mark.parametrize("encoding", ["utf-8", "ascii", "cp1252"])
def test_output_the_terminal_cannot_encode_is_escaped_not_fatal(tmp_path: Path, encoding: str) -> None:
    write_tree(tmp_path, {"日本.md": ERROR_PAGE})
    # A file name that is not UTF-8 (Linux allows any bytes; some file systems refuse it).
    with contextlib.suppress(OSError, UnicodeError):
        (tmp_path / os.fsdecode(b"bad\xff.md")).write_bytes(ERROR_PAGE.encode())
    names = sorted(path.name for path in tmp_path.iterdir())
    result = run(["."], tmp_path, env={"PYTHONIOENCODING": encoding})
    assert result.code == 1, result.stderr
    assert len(result.findings()) == len(names)
    written = run(["--format", "json", "-o", "out.json", "."], tmp_path, env={"PYTHONIOENCODING": encoding})
    assert written.code == 1, written.stderr
    report = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert "日本.md" in {finding["path"] for finding in report["findings"]}
    assert report["summary"]["files"] == len(names)


def test_version_loads_neither_rules_nor_settings() -> None:
    """`monolint --version` (and the errors main() turns into one line) import no stage that
    would load the rules: editors and pre-commit start the command often."""
    code = (
        "import sys\nfrom validator.cli.main import main\ntry:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(name for name in sys.modules if name.startswith('validator.'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = result.stdout.splitlines()[-1].split()
    assert "monolint, version" in result.stdout
    assert [
        name for name in loaded if name.startswith(("validator.rules", "validator.config", "validator.facts"))
    ] == []
