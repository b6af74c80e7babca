"""Per-rule fixture pages, in the sphinx-lint style.

tests/fixtures/rules/<RULE>/fail-* (.md; .bin for bytes that are not UTF-8 text) must produce
exactly the findings that the folder's expected.yaml declares for it (every rule, in any order),
and pass-*.md no finding of <RULE>.
Whole pages in tests/fixtures/pages/pass must produce no finding at all; those in
tests/fixtures/pages/fail exactly the declared ones. When a fix is declared, <name>.fixed.md
holds the page with every fix applied. Adding a page (and its expected.yaml entry) adds tests.
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

from validator.finding import Edit, Finding

if TYPE_CHECKING:
    from conftest import Lint, LintFile

FIXTURES = Path(__file__).parent / "fixtures"
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


def _pages(pattern: str, root: Path) -> list[Path]:
    return [path for path in sorted(root.glob(pattern)) if not path.name.endswith(FIXED)]


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
    assert observed(lint_file(page)) == expected


@pytest.mark.parametrize("page", PASS_PAGES, ids=_ids(PASS_PAGES))
def test_pass_page_gives_no_finding_of_its_rule(page: Path, lint_file: LintFile) -> None:
    assert [f.to_dict() for f in lint_file(page) if f.rule == page.parent.name] == []


@pytest.mark.parametrize("page", WHOLE_PASS_PAGES, ids=_ids(WHOLE_PASS_PAGES))
def test_whole_page_is_clean(page: Path, lint_file: LintFile) -> None:
    assert [f.to_dict() for f in lint_file(page)] == []


@pytest.mark.parametrize("folder", FOLDERS, ids=_ids(FOLDERS))
def test_expectations_and_fixed_pages_match_the_fail_pages(folder: Path) -> None:
    fail_pages = {page.name for page in FAIL_PAGES if page.parent == folder}
    assert set(expected_table(folder)) == fail_pages
    fixed_pages = {path.name for path in folder.glob(f"*{FIXED}")}
    assert fixed_pages == {page.name[: -len(".md")] + FIXED for page in FIXABLE_PAGES if page.parent == folder}


@pytest.mark.parametrize("page", FIXABLE_PAGES, ids=_ids(FIXABLE_PAGES))
def test_fixes_give_the_fixed_page(page: Path, lint: Lint) -> None:
    text = page.read_text(encoding="utf-8")
    findings = lint(text)
    edits = [edit for finding in findings if finding.fix for edit in finding.fix.edits]
    fixed = apply_edits(text, edits)
    assert fixed == page.with_name(page.name[: -len(".md")] + FIXED).read_text(encoding="utf-8")
    again = lint(fixed)
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
        return [(f.to_dict(), f.fix) for f in lint(data)]

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
