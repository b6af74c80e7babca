"""Fixing, tested mdformat's way: fixture pairs (input, expected output) in
tests/fixtures/fix/, fixing twice changes nothing, nothing outside the fixed spans changes;
plus the edit rules of validator.fix.apply, the structure safety net and writing files back."""

from __future__ import annotations

import codecs
import os
import re
import stat
from pathlib import Path

import pytest
from helpers_cli import CLEAN_PAGE, ERROR_PAGE, page, run, snapshot, write_tree
from helpers_fix import apply_first_wins, changed_only_inside, read_cases
from helpers_model import every_page_model

from validator.api import Options, Report, fix_text, lint_text
from validator.config.files import Config
from validator.fix.apply import MAX_PASSES, Change, apply_fixes, encode, write_back
from validator.fix.apply import fix_text as fix_loop
from validator.fix.safety_net import structure_problem
from validator.model.finding import Edit, Finding, Fix, Position, Severity
from validator.parse.source import Source, decode

FIXTURES = Path(__file__).parent.parent / "fixtures" / "fix"
SAFE = read_cases(FIXTURES / "safe.md")
UNSAFE = read_cases(FIXTURES / "unsafe.md")
CASES = [(False, *case) for case in SAFE] + [(True, *case) for case in UNSAFE]
CASE_IDS = [f"{'unsafe' if unsafe else 'safe'}:{line}:{title}" for unsafe, line, title, _, _ in CASES]
# The fixture cases are body snippets without front matter, which the built-in model skips as
# not monographs: they are fixed with the same model minus its applies_to.
EVERY_PAGE = every_page_model()
ISOLATED = Config(root=Path(__file__).parent.parent, source=None, schema=EVERY_PAGE)
DISCLAIMER = CLEAN_PAGE[CLEAN_PAGE.index("**Disclaimer:**") :]


def _fix(text: str | bytes, unsafe: bool = False) -> Report:
    return fix_text(text, "page.md", ISOLATED, Options(fix=True, unsafe_fixes=unsafe))


def _lint(text: str | bytes) -> list[Finding]:
    return lint_text(text, "page.md", ISOLATED, Options())


def _spans(findings: list[Finding], unsafe: bool) -> list[list[tuple[int, int, str]]]:
    """The edits of the fixes a run may apply, one list per fix, in finding order."""
    return [
        [(edit.start, edit.end, edit.text) for edit in finding.fix.edits]
        for finding in findings
        if finding.fix is not None and (finding.fix.safe or unsafe)
    ]


# --- fixture pairs -------------------------------------------------------------------------


@pytest.mark.parametrize(("unsafe", "line", "title", "given", "expected"), CASES, ids=CASE_IDS)
def test_fixture(unsafe: bool, line: int, title: str, given: str, expected: str) -> None:
    report = _fix(given, unsafe)
    assert report.output is not None
    assert report.output.decode("utf-8") == expected
    assert (report.fixed > 0) == (given != expected)


@pytest.mark.parametrize(("unsafe", "line", "title", "given", "expected"), CASES, ids=CASE_IDS)
def test_fixing_twice_changes_nothing(unsafe: bool, line: int, title: str, given: str, expected: str) -> None:
    again = _fix(expected, unsafe)
    assert again.output == expected.encode("utf-8")
    assert (again.fixed, again.changes) == (0, ())
    left = [f.rule for f in _lint(expected) if f.fix is not None and (f.fix.safe or unsafe)]
    assert left == [], "a fixed page has no finding that carries an applicable fix"


@pytest.mark.parametrize(("unsafe", "line", "title", "given", "expected"), CASES, ids=CASE_IDS)
def test_nothing_outside_the_fixed_spans_changes(
    unsafe: bool, line: int, title: str, given: str, expected: str
) -> None:
    fixes = _spans(_lint(given), unsafe)
    applied, conflicts = apply_first_wins(given, fixes)
    if not conflicts:  # one pass: exactly the reported edits
        assert expected == applied
    assert changed_only_inside(given, expected, [edit for edits in fixes for edit in edits])


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_fixture_cases_through_the_command_line(tmp_path: Path, unsafe: bool) -> None:
    cases = UNSAFE if unsafe else SAFE
    write_tree(tmp_path, {f"case-{line:03}.md": given for line, _, given, _ in cases})
    unsafe_flag = ["--unsafe-fixes"] if unsafe else []
    result = run(["check", "--isolated", "--schema", str(EVERY_PAGE), "--fix", *unsafe_flag, "."], tmp_path)
    assert result.code in (0, 1), result.stderr
    for line, title, _, expected in cases:
        assert (tmp_path / f"case-{line:03}.md").read_text(encoding="utf-8") == expected, title


def test_the_readme_page_with_every_fix_gives_its_fixed_page() -> None:
    pages = Path(__file__).parent.parent / "fixtures" / "pages" / "fail"
    report = _fix((pages / "metformin.md").read_bytes(), unsafe=True)
    assert report.output == (pages / "metformin.fixed.md").read_bytes()


@pytest.mark.parametrize(
    ("given", "safe"), [("1.000 units", False), ("12.500 mg", False), ("5.0 mg", True), ("0.500 mg", True)]
)
def test_a_number_that_may_be_a_european_thousand_has_no_safe_zero_fix(given: str, safe: bool) -> None:
    """ "1.000 units" is 1 unit or, grouped the European way, 1,000: no safe fix may choose."""
    [finding] = [f for f in _lint(f"Give {given} a day.\n") if f.rule == "MON402"]
    assert finding.fix is not None and finding.fix.safe is safe


# --- applying edits ------------------------------------------------------------------------


def _fixes(*fixes: tuple[tuple[int, int, str], ...]) -> list[Fix]:
    return [Fix("fix", tuple(Edit(*edit) for edit in edits)) for edits in fixes]


@pytest.mark.parametrize(
    ("text", "fixes", "expected", "applied"),
    [
        # An insertion at the edge of a replacement does not conflict with it.
        ("10ml", [((2, 2, " "),), ((2, 4, "mL"),)], "10 mL", 2),
        ("10ml", [((2, 4, "mL"),), ((2, 2, " "),)], "10 mL", 2),
        (".50mg", [((0, 0, "0"),), ((0, 3, ".5"),), ((3, 3, " "),)], "0.5 mg", 3),
        ("5.0mg", [((3, 3, " "),), ((0, 3, "5"),)], "5 mg", 2),
        # Overlapping spans: the first fix (in finding order) wins.
        ("abcdef", [((1, 3, "X"),), ((2, 4, "Y"),)], "aXdef", 1),
        ("abcdef", [((2, 4, "Y"),), ((1, 3, "X"),)], "abYef", 1),
        # An insertion strictly inside a replaced span conflicts with it.
        ("abcdef", [((1, 4, "X"),), ((2, 2, "I"),)], "aXef", 1),
        # Two insertions at one offset conflict: their order would be arbitrary.
        ("abc", [((1, 1, "X"),), ((1, 1, "Y"),)], "aXbc", 1),
        # Touching replacements do not overlap.
        ("abcd", [((0, 2, "X"),), ((2, 4, "Y"),)], "XY", 2),
        # A fix's edits are all applied or none: the second fix conflicts in one edit only.
        ("abcdef", [((0, 1, "A"),), ((5, 6, "F"), (0, 1, "Z"))], "Abcdef", 1),
        ("abcdef", [((5, 6, "F"), (0, 0, "<")), ((3, 3, ">"),)], "<abc>deF", 2),
        # Unusable fixes are skipped: out of range, overlapping itself, changing nothing.
        ("abc", [((2, 9, "X"),), ((0, 2, "X"), (1, 3, "Y")), ((1, 2, "b"),), ((0, 0, "!"),)], "!abc", 1),
    ],
)
def test_apply_fixes(text: str, fixes: list[tuple[tuple[int, int, str], ...]], expected: str, applied: int) -> None:
    result, taken = apply_fixes(text, _fixes(*fixes))
    assert (result, len(taken)) == (expected, applied)


def _finding(fix: Fix | None, rule: str = "MON401") -> Finding:
    where = Position(1, 1)
    return Finding("page.md", where, where, rule, "rule", "dose", Severity.ERROR, "message", fix)


def test_conflicting_fixes_are_applied_over_passes() -> None:
    # Each pass re-lints; a fix left out by a conflict comes back and applies then.
    def lint(text: str) -> list[Finding]:
        fixes = []
        if "ab" in text:
            fixes.append(_finding(Fix("a", (Edit(0, 2, "AB"),))))
        if text.startswith(("ab", "AB")) and "c" not in text:
            fixes.append(_finding(Fix("b", (Edit(1, 1, "c"),))))
        return fixes

    result = fix_loop("ab", lint)
    assert (result.text, result.fixed, result.problem) == ("AcB", 2, None)


def test_the_loop_stops_after_max_passes() -> None:
    calls = []

    def lint(text: str) -> list[Finding]:  # a rule that is never satisfied
        calls.append(text)
        return [_finding(Fix("more", (Edit(0, 0, "x"),)))]

    result = fix_loop("page", lint)
    assert result.text == "x" * MAX_PASSES + "page"
    assert result.fixed == MAX_PASSES and len(calls) == MAX_PASSES + 1


def test_the_loop_stops_when_a_pass_changes_nothing() -> None:
    calls = []

    def lint(text: str) -> list[Finding]:
        calls.append(text)
        return [_finding(Fix("no-op", (Edit(0, 4, "page"),))), _finding(None)]

    result = fix_loop("page", lint)
    assert (result.text, result.fixed, len(calls)) == ("page", 0, 1)


def test_unsafe_fixes_only_when_asked() -> None:
    lint = lambda text: [_finding(Fix("u", (Edit(0, 0, "x"),), safe=False))] if "x" not in text else []  # noqa: E731
    assert fix_loop("page", lint).text == "page"
    assert fix_loop("page", lint, unsafe=True).text == "xpage"


# --- the structure safety net --------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "edit", "safe", "allowed"),
    [
        ("## Usage\n\nText.\n", Edit(0, 2, "###"), True, True),  # a heading level fix
        ("### Dosage:\n\nText.\n", Edit(4, 11, "Dosage"), True, True),
        ("Disclaimer: no.\n", Edit(0, 12, "**Disclaimer:** "), True, True),  # writes markup
        ("Take 10mg.\n", Edit(7, 7, " "), True, True),
        ("Text.\n", Edit(6, 6, "\n# Title\n"), False, True),  # an unsafe insertion adds a block
        ("Text.\n", Edit(6, 6, "\n# Title\n"), True, False),  # a safe one may not
        ("One line,\nanother.\n", Edit(9, 9, "\n"), True, False),  # splits the paragraph
        ("Take 10 mg.\n", Edit(0, 0, "# "), True, False),  # makes a heading
        ("**bold **\n", Edit(6, 7, ""), True, False),  # no markup in the edit, but bold appears
        ("### Dosage\n", Edit(0, 4, "## "), True, False),  # not just a '#' run: not a level fix
        ("* a\n* b\n", Edit(3, 3, "\n"), True, False),  # a tight list becomes loose
        ("See [dose].\n\n[dose]: /d\n", Edit(14, 18, "dosing"), True, False),  # a link elsewhere breaks
    ],
)
def test_structure_problem(before: str, edit: Edit, safe: bool, allowed: bool) -> None:
    fix = Fix("fix", (edit,), safe=safe)
    after, _ = apply_fixes(before, [fix])
    assert after != before
    problem = structure_problem(before, after, [fix])
    assert (problem is None) == allowed, problem


def test_a_fix_that_breaks_the_structure_is_refused() -> None:
    text = "Line one,\nline two.\n"
    bad = _finding(Fix("split", (Edit(9, 9, "\n"),)))
    result = fix_loop(text, lambda current: [bad] if current == text else [])
    assert (result.text, result.fixed) == (text, 0)
    assert result.problem is not None
    assert "Markdown structure" in result.problem and result.problem.endswith("; nothing was written")


def test_a_refused_fix_is_reported_and_not_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import validator.fix.apply

    monkeypatch.setattr(validator.fix.apply, "structure_problem", lambda *args: "the structure changed")
    write_tree(tmp_path, {"page.md": ERROR_PAGE})
    before = snapshot(tmp_path)
    from validator.api import lint_paths

    report = lint_paths(["page.md"], ISOLATED, Options(fix=True), tmp_path)
    assert snapshot(tmp_path) == before
    assert [(f.rule, f.message) for f in report.failures] == [("MON000", "the structure changed; nothing was written")]
    assert [f.rule for f in report.findings] == ["MON401", "MON000"] and report.fixed == 0


# --- encoding, line endings, writing -------------------------------------------------------


def _source(raw: bytes) -> Source:
    source = decode(raw)
    assert isinstance(source, Source)
    return source


@pytest.mark.parametrize(
    ("raw", "text", "expected"),
    [
        (b"a\r\nb\r\n", "A\nb\n", b"A\r\nb\r\n"),
        (b"a\rb\r", "A\nb\n", b"A\rb\r"),
        (b"a\nb", "A\nb", b"A\nb"),
        (codecs.BOM_UTF8 + b"a\r\nb", "A\nb", codecs.BOM_UTF8 + b"A\r\nb"),
        # Mixed endings: each line keeps its own while the lines are the same in number...
        (b"a\r\nb\nc\rd", "A\nB\nC\nD", b"A\r\nB\nC\rD"),
        # ...otherwise every line gets the file's first newline.
        (b"a\r\nb\nc", "# T\na\nb\nc", b"# T\r\na\r\nb\r\nc"),
        (b"", "x\n", b"x\n"),
    ],
)
def test_encode_keeps_bom_and_line_endings(raw: bytes, text: str, expected: bytes) -> None:
    assert encode(_source(raw), text) == expected


@pytest.mark.parametrize("mode", [0o640, 0o755, 0o600])
def test_write_back_keeps_permission_bits_and_leaves_no_temp_file(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "page.md"
    path.write_bytes(b"old")
    path.chmod(mode)
    assert write_back(path, b"old", b"new") is None
    assert path.read_bytes() == b"new"
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert [entry.name for entry in tmp_path.iterdir()] == ["page.md"]


def test_write_back_through_a_link_keeps_the_link(tmp_path: Path) -> None:
    (tmp_path / "real.md").write_bytes(b"old")
    (tmp_path / "link.md").symlink_to("real.md")
    assert write_back(tmp_path / "link.md", b"old", b"new") is None
    assert (tmp_path / "link.md").is_symlink() and (tmp_path / "real.md").read_bytes() == b"new"


def test_write_back_refuses_a_file_that_changed(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_bytes(b"edited meanwhile")
    assert write_back(path, b"old", b"new") == "the file changed while monolint was fixing it"
    assert path.read_bytes() == b"edited meanwhile"


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_a_failed_write_removes_its_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> None:
    path = tmp_path / "page.md"
    path.write_bytes(b"old")

    def fail(descriptor: int) -> None:
        raise error

    monkeypatch.setattr(os, "fsync", fail)
    if isinstance(error, OSError):
        assert write_back(path, b"old", b"new") == "cannot write the fixes: No space left on device"
    else:
        with pytest.raises(KeyboardInterrupt):
            write_back(path, b"old", b"new")
    assert path.read_bytes() == b"old"
    assert [entry.name for entry in tmp_path.iterdir()] == ["page.md"]


def test_diff_is_a_unified_diff() -> None:
    change = Change("docs/page.md", "a\nb\nc", "a\nB\nc\n")
    assert change.diff() == (
        "--- a/docs/page.md\n+++ b/docs/page.md\n@@ -1,3 +1,3 @@\n a\n-b\n-c\n\\ No newline at end of file\n+B\n+c\n"
    )


# --- the command line ----------------------------------------------------------------------

FIXABLE = page(dose="500mg", extra="Give 5.0 mg or .5 mg in 10ml.")  # only safe dose fixes
FIXED = page(dose="500 mg", extra="Give 5 mg or 0.5 mg in 10 mL.")


def test_fix_writes_reports_what_remains_and_exits_on_it(tmp_path: Path) -> None:
    write_tree(tmp_path, {"fixable.md": FIXABLE, "other.md": page(dose="500mg", extra="Give 100 IU.")})
    result = run(["check", "--isolated", "--fix", "."], tmp_path)
    assert (tmp_path / "fixable.md").read_text(encoding="utf-8") == FIXED
    assert (tmp_path / "other.md").read_text(encoding="utf-8") == page(extra="Give 100 IU.")
    assert [rule for _, _, _, rule in result.findings()] == ["MON404"]  # IU -> units is unsafe
    assert result.lines[-1] == "Fixed 6 findings (1 remaining)."
    assert result.code == 1
    again = run(["check", "--isolated", "--fix", "fixable.md"], tmp_path)
    assert again.code == 0 and again.lines == ["All checks passed (1 file checked).", "Fixed 0 findings (0 remaining)."]


def test_fix_json_summary_counts_the_fixes(tmp_path: Path) -> None:
    write_tree(tmp_path, {"page.md": ERROR_PAGE})
    result = run(["check", "--isolated", "--fix", "--format", "json", "page.md"], tmp_path)
    assert result.code == 0
    assert result.json()["summary"]["fixed"] == 1 and result.json()["findings"] == []
    assert "fixed" not in run(["check", "--isolated", "--format", "json", "page.md"], tmp_path).json()["summary"]


def test_fixing_twice_changes_no_byte_and_no_mtime(tmp_path: Path) -> None:
    write_tree(tmp_path, {"page.md": FIXABLE})
    run(["check", "--isolated", "--fix", "."], tmp_path)
    after_first = snapshot(tmp_path)
    second = run(["check", "--isolated", "--fix", "--unsafe-fixes", "."], tmp_path)
    assert snapshot(tmp_path) == after_first
    assert second.lines[-1] == "Fixed 0 findings (0 remaining)."


@pytest.mark.parametrize(
    ("args", "fixed"),
    [
        (["--select", "MON401"], page(extra="Give 5.0 mg or .5 mg in 10 ml.")),
        (["--ignore", "dose-no-space"], page(dose="500mg", extra="Give 5 mg or 0.5 mg in 10mL.")),
    ],
)
def test_fix_applies_only_the_selected_rules(tmp_path: Path, args: list[str], fixed: str) -> None:
    write_tree(tmp_path, {"page.md": FIXABLE})
    run(["check", "--isolated", "--fix", *args, "page.md"], tmp_path)
    assert (tmp_path / "page.md").read_text(encoding="utf-8") == fixed


def test_fix_respects_configuration_and_suppressions(tmp_path: Path) -> None:
    suppressed = page(dose="500mg", extra="<!-- monolint-disable-next-line MON402 -->\nGive 5.0 mg.")
    write_tree(
        tmp_path,
        {
            "monolint.toml": 'ignore = ["MON403"]\n',
            "a.md": page(extra="Give .5 mg."),
            "b.md": suppressed,
        },
    )
    run(["check", "--fix", "."], tmp_path)
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == page(extra="Give .5 mg.")
    assert (tmp_path / "b.md").read_text(encoding="utf-8") == suppressed.replace("500mg", "500 mg")


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
@pytest.mark.parametrize("bom", [False, True])
def test_fix_keeps_bom_and_line_endings(tmp_path: Path, newline: str, bom: bool) -> None:
    prefix = codecs.BOM_UTF8 if bom else b""
    write_tree(tmp_path, {"page.md": prefix + FIXABLE.replace("\n", newline).encode("utf-8")})
    run(["check", "--isolated", "--fix", "page.md"], tmp_path)
    assert (tmp_path / "page.md").read_bytes() == prefix + FIXED.replace("\n", newline).encode("utf-8")


def test_fix_keeps_mixed_line_endings(tmp_path: Path) -> None:
    lines = FIXABLE.split("\n")
    # A lone CR is followed by text: before an empty line it would read as CRLF.
    endings = [
        "\r" if number % 3 == 0 and lines[number + 1] else "\r\n" if number % 3 == 1 else "\n"
        for number in range(len(lines) - 1)
    ]
    assert set(endings) == {"\r", "\r\n", "\n"}
    mixed = "".join(line + ending for line, ending in zip(lines, endings, strict=False)) + lines[-1]
    write_tree(tmp_path, {"page.md": mixed.encode("utf-8")})
    run(["check", "--isolated", "--fix", "page.md"], tmp_path)
    fixed_lines = FIXED.split("\n")
    expected = "".join(line + ending for line, ending in zip(fixed_lines, endings, strict=False)) + fixed_lines[-1]
    assert (tmp_path / "page.md").read_bytes() == expected.encode("utf-8")


@pytest.mark.parametrize("mode", [0o640, 0o755])
def test_fix_keeps_permission_bits(tmp_path: Path, mode: int) -> None:
    write_tree(tmp_path, {"page.md": FIXABLE})
    (tmp_path / "page.md").chmod(mode)
    run(["check", "--isolated", "--fix", "page.md"], tmp_path)
    assert stat.S_IMODE((tmp_path / "page.md").stat().st_mode) == mode
    assert (tmp_path / "page.md").read_text(encoding="utf-8") == FIXED
    assert sorted(entry.name for entry in tmp_path.iterdir()) == ["page.md"]


def test_check_mode_writes_nothing(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.md": FIXABLE, "b.md": ERROR_PAGE.replace("\n", "\r\n")})
    before = snapshot(tmp_path)
    assert run(["check", "--isolated", "--no-cache", "--unsafe-fixes", "."], tmp_path).code == 1
    assert snapshot(tmp_path) == before


def _apply_unified_diff(old: str, diff: str) -> str:
    """Apply a unified diff of one file (as `patch` would) to ``old``."""
    lines, result, cursor = old.split("\n"), [], 0
    body = diff.split("\n")[2:]
    for line in body:
        if line.startswith("@@"):
            start = int(line.split()[1].split(",")[0][1:]) - 1
            result += lines[cursor:start]
            cursor = start
        elif line.startswith((" ", "-")):
            assert lines[cursor] == line[1:], (lines[cursor], line)
            cursor += 1
            if line.startswith(" "):
                result.append(line[1:])
        elif line.startswith("+"):
            result.append(line[1:])
    return "\n".join(result + lines[cursor:])


def test_diff_prints_a_unified_diff_and_writes_nothing(tmp_path: Path) -> None:
    write_tree(tmp_path, {"docs/page.md": FIXABLE, "clean.md": CLEAN_PAGE})
    before = snapshot(tmp_path)
    result = run(["check", "--isolated", "--diff", "."], tmp_path)
    assert snapshot(tmp_path) == before
    assert result.code == 1
    assert result.lines[:2] == ["--- a/docs/page.md", "+++ b/docs/page.md"]
    assert _apply_unified_diff(FIXABLE, result.stdout) == FIXED
    assert result.stderr == "Would fix 5 findings in 1 file.\n"
    clean = run(["check", "--isolated", "--diff", "clean.md"], tmp_path)
    assert (clean.code, clean.stdout, clean.stderr) == (0, "", "No fixes to apply.\n")
    assert run(["check", "--isolated", "--diff", "--exit-zero", "."], tmp_path).code == 0


def test_unreadable_or_undecodable_files_are_never_fixed(tmp_path: Path) -> None:
    latin1 = FIXABLE.replace("Testamol is", "Testamol \xe9 is").encode("latin-1")
    write_tree(tmp_path, {"latin1.md": latin1, "good.md": FIXABLE})
    result = run(["check", "--isolated", "--fix", "."], tmp_path)
    assert (tmp_path / "latin1.md").read_bytes() == latin1
    assert (tmp_path / "good.md").read_text(encoding="utf-8") == FIXED
    assert [(path, rule) for path, _, _, rule in result.findings()] == [("latin1.md", "MON002")]
    diff = run(["check", "--isolated", "--diff", "latin1.md"], tmp_path)
    assert diff.stdout == "" and diff.stderr.startswith("latin1.md:") and "MON002" in diff.stderr


@pytest.mark.parametrize("read_only", ["file", "folder"])
def test_a_read_only_file_or_folder_is_one_error_and_the_others_are_fixed(tmp_path: Path, read_only: str) -> None:
    write_tree(tmp_path, {"locked/page.md": FIXABLE, "open/page.md": FIXABLE})
    locked = tmp_path / "locked" / ("page.md" if read_only == "file" else "")
    mode = locked.stat().st_mode
    locked.chmod(0o555 if read_only == "folder" else 0o444)
    try:
        result = run(["check", "--isolated", "--fix", "."], tmp_path)
        assert (tmp_path / "locked" / "page.md").read_text(encoding="utf-8") == FIXABLE
        assert sorted((tmp_path / "locked").iterdir()) == [tmp_path / "locked" / "page.md"]
    finally:
        locked.chmod(mode)
    assert (tmp_path / "open" / "page.md").read_text(encoding="utf-8") == FIXED
    errors = [line for line in result.lines if "MON010" in line]
    expected = "the file is read-only" if read_only == "file" else "its folder is read-only"
    assert errors == [f"locked/page.md:1:1: MON010 [fix-not-written] {expected}; the fixes were not written"]
    assert result.code == 1
    assert result.lines[-1] == "Fixed 5 findings (6 remaining)."


def test_fix_on_standard_input_prints_only_the_fixed_page(tmp_path: Path) -> None:
    raw = codecs.BOM_UTF8 + FIXABLE.replace("\n", "\r\n").encode("utf-8")
    result = run(["check", "--isolated", "--fix", "-"], tmp_path, stdin=raw)
    assert result.code == 0
    assert result.stdout.encode("utf-8") == codecs.BOM_UTF8 + FIXED.replace("\n", "\r\n").encode("utf-8")
    assert result.stderr == "All checks passed (1 file checked).\nFixed 5 findings (0 remaining).\n"
    named = run(
        ["check", "--isolated", "--schema", str(EVERY_PAGE), "--fix", "--stdin-filename", "drugs/x.md"],
        tmp_path,
        stdin=b"Take 10mg\n",
    )
    assert named.stdout == "Take 10 mg\n"
    assert "drugs/x.md:1:1: MON004" in named.stderr and named.code == 1
    # The built-in model applies to monographs only: a page without front matter is given back as it came.
    other = run(["check", "--isolated", "--fix", "--stdin-filename", "drugs/x.md"], tmp_path, stdin=b"Take 10mg\r\n")
    assert (other.stdout.encode(), other.code) == (b"Take 10mg\r\n", 0)
    assert "1 file skipped: no matching content model." in other.stderr
    undecodable = run(["check", "--isolated", "--fix", "-"], tmp_path, stdin=b"Take 10mg \xe9\n")
    assert undecodable.stdout == "Take 10mg \ufffd\n", "a page that cannot be decoded is printed unchanged"
    assert "MON002" in undecodable.stderr and undecodable.code == 1
    assert snapshot(tmp_path) == {}


def test_diff_on_standard_input(tmp_path: Path) -> None:
    args = ["check", "--isolated", "--diff", "--stdin-filename", "x.md"]
    result = run([*args, "--schema", str(EVERY_PAGE)], tmp_path, stdin=b"Take 10mg\n")
    assert result.stdout == "--- a/x.md\n+++ b/x.md\n@@ -1 +1 @@\n-Take 10mg\n+Take 10 mg\n"
    assert result.code == 1
    skipped = run(args, tmp_path, stdin=b"Take 10mg\n")  # not a monograph for the built-in model
    assert (skipped.stdout, skipped.code) == ("", 0)


def test_the_readme_diff_example_is_real_output() -> None:
    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```diff\n(.*?)```", readme, re.DOTALL)
    args = ["check", "--diff", "tests/fixtures/pages/fail/metformin.md", "--select", "MON206,MON207,MON401"]
    assert f"`monolint {' '.join(args)}`" in " ".join(readme.split())
    result = run(args, root)
    assert (result.stderr, result.code) == ("Would fix 3 findings in 1 file.\n", 1)
    # The README keeps no trailing spaces: a blank context line is ' ' in the diff.
    assert [line.rstrip() for line in result.lines] == block.split("\n")[:-1]
