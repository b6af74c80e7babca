"""Per-rule fixture pages, in the sphinx-lint style.

tests/fixtures/rules/<RULE>/fail-* (.md; .bin for bytes that are not UTF-8 text) must produce
exactly the findings that the folder's expected.yaml declares for it (every rule, in any order),
and pass-*.md no finding of <RULE>.
Whole pages in tests/fixtures/pages/pass must produce no finding at all; those in
tests/fixtures/pages/fail exactly the declared ones. When a fix is declared, <name>.fixed.md
holds the page with every fix applied, safe and unsafe. Adding a page (and its expected.yaml
entry) adds tests.

Pages are linted with the rules that are on by default; the pages of a rule that is off by
default (MON409) are linted with that rule selected too, the way a user turns it on.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml

from validator.model.finding import Edit, Finding, Fix, Position, Severity
from validator.rules.registry import ALL_RULES, BY_ID

if TYPE_CHECKING:
    from conftest import Lint, LintFile

FIXTURES = Path(__file__).parent.parent / "fixtures"
RULES = FIXTURES / "rules"
PAGES = FIXTURES / "pages"
FIXED = ".fixed.md"

Span = tuple[int, int, int, int]  # line, column, end line, end column
Expected = tuple[str, Span, tuple[Span, ...]]  # rule id, span, spans of the fix's edits

_SPAN = r"\d+:\d+-\d+:\d+"
_SPEC = re.compile(rf"(?P<rule>MON\d{{3}}) (?P<span>{_SPAN})(?: fix(?P<fix>(?: {_SPAN})+))?")


def _span(text: str) -> Span:
    line, column, end_line, end_column = (int(part) for part in re.split(r"[:-]", text))
    return line, column, end_line, end_column


def parse(spec: str) -> Expected:
    """'MON207 13:5-13:12 fix 13:5-13:12' -> ('MON207', (13, 5, 13, 12), ((13, 5, 13, 12),))."""
    match = _SPEC.fullmatch(spec)
    assert match, f"bad expectation {spec!r}"
    fix = tuple(_span(part) for part in (match["fix"] or "").split())
    return match["rule"], _span(match["span"]), fix


def observed(findings: Iterable[Finding]) -> list[Expected]:
    """The findings as the JSON report shows them, in the shape of the expectations."""
    result = []
    for finding in findings:
        data = finding.to_dict()
        span = (data["line"], data["column"], data["end_line"], data["end_column"])
        fix = data["fix"]
        edits = fix["edits"] if isinstance(fix, dict) else []
        result.append(
            (finding.rule, span, tuple((e["line"], e["column"], e["end_line"], e["end_column"]) for e in edits))
        )
    return sorted(result)  # type: ignore[arg-type]


@cache
def expected_table(folder: Path) -> dict[str, list[str]]:
    data = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{folder}/expected.yaml must map page names to findings"
    return data


def expectations(page: Path) -> list[Expected]:
    return sorted(parse(spec) for spec in expected_table(page.parent)[page.name])


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits (offsets into ``text``, end exclusive) all at once."""
    parts, cursor = [], 0
    for edit in sorted(edits, key=lambda edit: (edit.start, edit.end)):
        assert cursor <= edit.start <= edit.end, f"overlapping edits at offset {edit.start}"
        parts += [text[cursor : edit.start], edit.text]
        cursor = edit.end
    return "".join(parts) + text[cursor:]


def _overlap(one: Edit, other: Edit) -> bool:
    """Edits that change a character in common, an insertion strictly inside a replacement, or
    two insertions at one offset (their order would be arbitrary). Edits that only touch
    ("10ml": insert a space at 2, replace 2-4 by "mL") do not overlap."""
    if one.start == one.end == other.start == other.end:
        return True
    return one.start < other.end and other.start < one.end


def choose_fixes(findings: Iterable[Finding]) -> tuple[list[Fix], list[Fix]]:
    """The fixes to apply together, and the ones left out because an edit of theirs overlaps an
    edit of a fix chosen before (dose-thousands-separator and dose-large-number both rewrite
    "2400000"). Fixes are taken in page order, then by rule id, so the choice is deterministic;
    a fix is applied whole or not at all."""
    fixes = sorted(
        (
            (min(edit.start for edit in finding.fix.edits), finding.rule, finding.fix)
            for finding in findings
            if finding.fix
        ),
        key=lambda item: item[:2],
    )
    chosen: list[Fix] = []
    skipped: list[Fix] = []
    for _, _, fix in fixes:
        taken = [edit for other in chosen for edit in other.edits]
        if any(_overlap(edit, other) for edit in fix.edits for other in taken):
            skipped.append(fix)
        else:
            chosen.append(fix)
    return chosen, skipped


def apply_fixes(text: str, findings: Iterable[Finding]) -> tuple[str, list[Fix]]:
    """Apply every fix that does not overlap one chosen before; return the text and the fixes
    left out (a later pass, on the fixed text, applies them if they are still needed)."""
    chosen, skipped = choose_fixes(findings)
    return apply_edits(text, [edit for fix in chosen for edit in fix.edits]), skipped


def _pages(pattern: str, root: Path) -> list[Path]:
    return [path for path in sorted(root.glob(pattern)) if not path.name.endswith(FIXED)]


# The rules that compare pages are off by default too; their fixtures are a folder of pages
# (tests/fixtures/site, whose configuration turns them on), tested in tests/check/test_site.py.
DEFAULT_OFF = sorted(rule.id for rule in ALL_RULES if not rule.default_enabled and rule.category != "site")


def selected(page: Path) -> list[str]:
    """The rules to select on top of the defaults for a fixture page: its folder's rule when that
    rule is off by default, so that its pages test it."""
    rule = BY_ID.get(page.parent.name) if page.parent.parent == RULES else None
    return [rule.id] if rule is not None and not rule.default_enabled else []


FAIL_PAGES = _pages("*/fail-*", RULES) + _pages("*.md", PAGES / "fail")
PASS_PAGES = _pages("*/pass-*.md", RULES)
WHOLE_PASS_PAGES = _pages("*.md", PAGES / "pass")
FOLDERS = [*sorted(path for path in RULES.iterdir() if path.is_dir()), PAGES / "fail"]


def _ids(paths: Iterable[Path]) -> list[str]:
    return [str(path.relative_to(FIXTURES)) for path in paths]


def _is_text(path: Path) -> bool:
    if not path.is_file():
        return False
    raw = path.read_bytes()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in raw


def _has_fix(page: Path) -> bool:
    return any(fix for _, _, fix in expectations(page))


TEXT_PAGES = [page for page in FAIL_PAGES + PASS_PAGES + WHOLE_PASS_PAGES if _is_text(page)]
FIXABLE_PAGES = [page for page in FAIL_PAGES if _has_fix(page)]


@pytest.mark.parametrize("page", FAIL_PAGES, ids=_ids(FAIL_PAGES))
def test_fail_page_gives_the_declared_findings(page: Path, lint_file: LintFile) -> None:
    expected = expectations(page)
    if page.parent.parent == RULES:
        assert page.parent.name in {rule for rule, _, _ in expected}, "a fail page must fail its own rule"
    assert observed(lint_file(page, select=selected(page))) == expected


@pytest.mark.parametrize("page", PASS_PAGES, ids=_ids(PASS_PAGES))
def test_pass_page_gives_no_finding_of_its_rule(page: Path, lint_file: LintFile) -> None:
    assert [f.to_dict() for f in lint_file(page, select=selected(page)) if f.rule == page.parent.name] == []


@pytest.mark.parametrize("page", WHOLE_PASS_PAGES, ids=_ids(WHOLE_PASS_PAGES))
def test_whole_page_is_clean(page: Path, lint_file: LintFile) -> None:
    assert [f.to_dict() for f in lint_file(page)] == []


@pytest.mark.parametrize("folder", FOLDERS, ids=_ids(FOLDERS))
def test_expectations_and_fixed_pages_match_the_fail_pages(folder: Path) -> None:
    fail_pages = {page.name for page in FAIL_PAGES if page.parent == folder}
    assert set(expected_table(folder)) == fail_pages
    fixed_pages = {path.name for path in folder.glob(f"*{FIXED}")}
    assert fixed_pages == {page.name[: -len(".md")] + FIXED for page in FIXABLE_PAGES if page.parent == folder}


# Overlapping fixes are applied one more pass each; a page that needs more has fixes that fight.
MAX_PASSES = 3


@pytest.mark.parametrize("page", FIXABLE_PAGES, ids=_ids(FIXABLE_PAGES))
def test_fixes_give_the_fixed_page(page: Path, lint: Lint) -> None:
    text, select = page.read_text(encoding="utf-8"), selected(page)
    findings = lint(text, select=select)
    fixed, skipped = apply_fixes(text, findings)
    passes = 1
    while skipped:  # only a fix left out for overlapping another earns another pass
        assert passes < MAX_PASSES, f"overlapping fixes still left out after {passes} passes: {skipped}"
        fixed, skipped = apply_fixes(fixed, lint(fixed, select=select))
        passes += 1
    assert fixed == page.with_name(page.name[: -len(".md")] + FIXED).read_text(encoding="utf-8")
    again = lint(fixed, select=select)
    assert [f.to_dict() for f in again if f.fix is not None] == [], "fixing twice must change nothing"
    fixed_rules = {finding.rule for finding in findings if finding.fix}
    assert [f.to_dict() for f in again if f.rule in fixed_rules] == []


def _variants(raw: bytes) -> dict[str, bytes]:
    crlf = raw.replace(b"\n", b"\r\n")
    return {
        "crlf": crlf,
        "cr": raw.replace(b"\n", b"\r"),
        "bom": codecs.BOM_UTF8 + raw,
        "bom-crlf": codecs.BOM_UTF8 + crlf,
    }


@pytest.mark.parametrize("variant", ["crlf", "cr", "bom", "bom-crlf"])
@pytest.mark.parametrize("page", TEXT_PAGES, ids=_ids(TEXT_PAGES))
def test_newlines_and_bom_give_the_same_positions(page: Path, variant: str, lint: Lint) -> None:
    raw = page.read_bytes().removeprefix(codecs.BOM_UTF8)
    assert b"\r" not in raw, "fixture pages are stored with LF newlines"

    def report(data: bytes) -> list[tuple[object, ...]]:
        return [(f.to_dict(), f.fix) for f in lint(data, select=selected(page))]

    assert report(_variants(raw)[variant]) == report(raw)


def test_missing_file_is_unreadable(tmp_path: Path, lint_file: LintFile) -> None:
    assert observed(lint_file(tmp_path / "gone.md")) == [("MON001", (1, 1, 1, 1), ())]


def test_dangling_link_is_unreadable(tmp_path: Path, lint_file: LintFile) -> None:
    link = tmp_path / "baclofen.md"
    link.symlink_to(tmp_path / "missing" / "baclofen.md")
    assert observed(lint_file(link)) == [("MON001", (1, 1, 1, 1), ())]


def test_apply_edits_helper() -> None:
    assert apply_edits("take10ml", [Edit(6, 8, "mL"), Edit(6, 6, " "), Edit(0, 1, "T")]) == "Take10 mL"
    with pytest.raises(AssertionError, match="overlapping"):
        apply_edits("10.0mg", [Edit(0, 4, "10"), Edit(2, 2, " ")])


def _finding(rule: str, *edits: Edit) -> Finding:
    return Finding("page.md", Position(1, 1), Position(1, 1), rule, "name", "dose", Severity.ERROR, "", Fix("", edits))


def test_apply_fixes_leaves_out_an_overlapping_fix_whole() -> None:
    text = "Give 2400000 units, 10ml."
    separators = _finding("MON406", Edit(5, 12, "2,400,000"))
    words = _finding("MON407", Edit(5, 12, "2.4 million"))
    space = _finding("MON401", Edit(22, 22, " "))  # touches the case fix: both apply
    case = _finding("MON405", Edit(22, 24, "mL"))
    # A fix with two edits, one of them inside the number: neither of its edits is applied.
    both = _finding("MON400", Edit(8, 9, "5"), Edit(18, 19, ";"))
    for order in ([separators, words, space, case, both], [both, case, space, words, separators]):
        fixed, skipped = apply_fixes(text, order)
        assert fixed == "Give 2,400,000 units, 10 mL."
        assert skipped == [words.fix, both.fix]
    first, second = _finding("MON401", Edit(2, 2, " ")), _finding("MON402", Edit(2, 2, "  "))
    assert apply_fixes("10mg", [second, first]) == ("10 mg", [second.fix])


@pytest.mark.parametrize("rule", DEFAULT_OFF)
def test_default_off_rule_is_tested_with_it_selected(rule: str) -> None:
    folder = RULES / rule
    assert {selected(page) == [rule] for page in folder.glob("*.md")} == {True}
    assert selected(RULES / "MON401" / "fail-10mg.md") == selected(PAGES / "fail" / "metformin.md") == []


# Default-off rules' fail pages: the rule says nothing until it is selected (by id, name or ALL;
# a category or an id prefix leaves it out), and selecting it adds only its own findings.
DEFAULT_OFF_FAIL_PAGES = [page for page in FAIL_PAGES if page.parent.name in DEFAULT_OFF]


@pytest.mark.parametrize("page", DEFAULT_OFF_FAIL_PAGES, ids=_ids(DEFAULT_OFF_FAIL_PAGES))
def test_default_off_rule_fires_only_when_selected(page: Path, lint_file: LintFile) -> None:
    rule = page.parent.name
    by_default = observed(lint_file(page))
    assert [found for found in by_default if found[0] == rule] == []
    for selector in ("dose", rule[:4], rule[:5]):
        assert observed(lint_file(page, select=[selector])) == by_default, selector
    for selector in (rule, BY_ID[rule].name, "ALL"):
        findings = observed(lint_file(page, select=[selector]))
        assert [found for found in findings if found[0] == rule], f"{rule} selected by {selector!r} finds nothing"
        assert [found for found in findings if found[0] not in DEFAULT_OFF] == by_default, selector


def test_latin_frequency_is_off_by_default_and_on_with_extend_select(lint: Lint) -> None:
    page = "---\nlayout: minimal-medicine\ntitle: Amoxicillin\n---\n\n# Amoxicillin\n\nTake 500 mg bid.\n"
    assert "MON409" in DEFAULT_OFF
    assert [f.rule for f in lint(page) if f.rule == "MON409"] == []
    assert [(f.rule, f.start.column, f.end.column) for f in lint(page, select=["MON409"]) if f.rule == "MON409"] == [
        ("MON409", 13, 16)
    ]
