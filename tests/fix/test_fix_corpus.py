"""`monolint check --fix` on the real corpus (4,842 pages), copied into a temporary folder.

(a) each page's new text is its old text with exactly the safe edits that `--format json`
    reported (fixes that conflict are applied over later passes, so for those pages only
    the text between the reported spans is compared);
(b) the Markdown token structure is the same before and after, except inside fixed text;
(c) a second `--fix` changes no byte;
(d) linting the fixed pages shows no finding with a safe fix.

The corpus is copied once, and fixed; only the pages that changed are linted (in place)
and fixed again, to keep the test well under a minute.
"""

from __future__ import annotations

import bisect
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from helpers_cli import monolint_command
from helpers_fix import Span, apply_first_wins, changed_only_inside, json_edits, line_starts
from helpers_shared import CORPUS, needs_corpus

from validator.parse.front_matter import split_front_matter
from validator.parse.markdown import markdown_parser
from validator.parse.source import Source, decode

pytestmark = needs_corpus

_INLINE_MARKUP = set("*_`[]<>!\\&~|")


@dataclass(frozen=True)
class CorpusFix:
    before: dict[str, bytes]
    after: dict[str, bytes]
    lint: dict[str, list[dict[str, Any]]]  # findings of the original pages, by path
    fixed: dict[str, Any]  # the JSON report of `--fix`
    second: dict[str, Any]  # the JSON report of a second `--fix` on the pages the first changed
    again: dict[str, bytes]  # the pages after the second `--fix`

    @property
    def changed(self) -> list[str]:
        return sorted(path for path, raw in self.before.items() if self.after[path] != raw)


def _pages(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*.md"))}


def _writable_copy(target: Path) -> None:
    shutil.copytree(CORPUS, target)
    for folder, _, files in os.walk(target):  # the shared corpus is read-only
        Path(folder).chmod(0o755)
        for name in files:
            (Path(folder) / name).chmod(0o644)


def _start(args: list[str], cwd: Path, output: Path) -> subprocess.Popen[bytes]:
    command = [*monolint_command(), "check", "--isolated", "--exit-zero", "--format", "json", "-o", str(output), *args]
    return subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _finish(process: subprocess.Popen[bytes], output: Path) -> dict[str, Any]:
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 0 and not stderr, stderr.decode("utf-8", "replace")
    report: dict[str, Any] = json.loads(output.read_text(encoding="utf-8"))
    return report


@pytest.fixture(scope="module")
def fixed_corpus(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> CorpusFix:
    root = tmp_path_factory.mktemp("corpus")
    fixing = root / "rxhive"
    _writable_copy(fixing)
    before = _pages(fixing)
    fix_report = _finish(_start(["--fix", "."], fixing, root / "fix.json"), root / "fix.json")
    after = _pages(fixing)
    changed = sorted(path for path in before if after[path] != before[path])
    assert changed, "the corpus has safe fixes to apply"
    # A page the first run left alone would go through the same steps again, and the first
    # run's findings for it are its lint: only the changed pages need linting (the corpus
    # itself, read in place) and fixing again. The two runs go side by side.
    lint = _start(changed, CORPUS, root / "lint.json")
    second = _start(["--fix", *changed], fixing, root / "second.json")
    lint_report, second_report = _finish(lint, root / "lint.json"), _finish(second, root / "second.json")
    findings: dict[str, list[dict[str, Any]]] = {path: [] for path in before}
    unchanged = [f for f in fix_report["findings"] if f["path"] not in set(changed)]
    for finding in unchanged + lint_report["findings"]:
        findings[finding["path"]].append(finding)
    return CorpusFix(before, after, findings, fix_report, second_report, _pages(fixing))


def _text(raw: bytes) -> str:
    source = decode(raw)
    assert isinstance(source, Source)
    return source.text


def _safe_fixes(fixed: CorpusFix, path: str, text: str) -> list[list[Span]]:
    return [json_edits(text, f["fix"]) for f in fixed.lint[path] if f["fix"] is not None and f["fix"]["safe"]]


def test_no_page_failed_to_be_fixed(fixed_corpus: CorpusFix) -> None:
    failures = [f for f in fixed_corpus.fixed["findings"] if f["rule"] in ("MON000", "MON001")]
    assert failures == []
    reported = sum(len(_safe_fixes(fixed_corpus, path, _text(raw))) for path, raw in fixed_corpus.before.items())
    assert 0 < fixed_corpus.fixed["summary"]["fixed"] <= reported


def test_a_new_text_is_the_old_with_the_reported_safe_edits(fixed_corpus: CorpusFix) -> None:
    wrong = []
    for path, raw in fixed_corpus.before.items():
        old, new = _text(raw), _text(fixed_corpus.after[path])
        fixes = _safe_fixes(fixed_corpus, path, old)
        applied, conflicts = apply_first_wins(old, fixes)
        if conflicts:  # some fixes were applied on later passes, after re-linting
            exact = changed_only_inside(old, new, [edit for edits in fixes for edit in edits])
        else:
            exact = new == applied
        if not exact:
            wrong.append(path)
        if fixed_corpus.after[path] != raw:  # still UTF-8, with the same BOM and line endings
            assert raw.startswith(b"\xef\xbb\xbf") == fixed_corpus.after[path].startswith(b"\xef\xbb\xbf"), path
            assert raw.count(b"\r") == 0 or fixed_corpus.after[path].count(b"\r") > 0, path
    assert wrong == []


def _tokens(text: str) -> list[tuple[Any, tuple[int, int]]]:
    """Block tokens of the page body, with their 0-based lines of the whole text."""
    body_start = split_front_matter(text).body_start
    first = text.count("\n", 0, body_start)
    tokens, lines = [], (first, first + 1)
    for token in markdown_parser().parse(text[body_start:]):
        lines = (first + token.map[0], first + token.map[1]) if token.map else lines
        tokens.append((token, lines))
    return tokens


def _structure_differences(old: str, new: str, fixes: list[list[Span]]) -> list[str]:
    starts = line_starts(old)

    def line(offset: int) -> int:
        return bisect.bisect_right(starts, offset) - 1

    edits = [edit for fix in fixes for edit in fix]
    touched = [(line(start), line(end), old[start:end], text) for start, end, text in edits]

    def touches(lines: tuple[int, int], markup: bool = False, level: bool = False) -> bool:
        return any(
            first < lines[1]
            and last >= lines[0]
            and (not markup or not _INLINE_MARKUP.isdisjoint(removed + added))
            and (not level or (set(removed) == set(added) == {"#"}))
            for first, last, removed, added in touched
        )

    before, after = _tokens(old), _tokens(new)
    if len(before) != len(after):
        return [f"{len(before)} tokens became {len(after)}"]
    problems = []
    for (a, lines), (b, _) in zip(before, after, strict=True):
        where = f"line {lines[0] + 1}: {a.type}"
        if (a.type, a.nesting, a.level, a.hidden) != (b.type, b.nesting, b.level, b.hidden):
            problems.append(f"{where} became {b.type}")
        if (a.tag, a.markup) != (b.tag, b.markup) and not (a.type.startswith("heading") and touches(lines, level=True)):
            problems.append(f"{where}: {a.tag} {a.markup!r} became {b.tag} {b.markup!r}")
        shapes = [[(c.type, c.tag, c.nesting, c.markup) for c in token.children or []] for token in (a, b)]
        if shapes[0] != shapes[1] and not touches(lines, markup=True):
            problems.append(f"{where}: its inline markup changed")
        if a.content != b.content and not touches(lines):
            problems.append(f"{where}: its text changed outside the fixes")
    return problems


def test_the_markdown_structure_is_kept(fixed_corpus: CorpusFix) -> None:
    problems = {}
    for path in fixed_corpus.changed:
        old, new = _text(fixed_corpus.before[path]), _text(fixed_corpus.after[path])
        found = _structure_differences(old, new, _safe_fixes(fixed_corpus, path, old))
        if found:
            problems[path] = found
    assert problems == {}


def test_a_second_fix_changes_nothing(fixed_corpus: CorpusFix) -> None:
    assert fixed_corpus.second["summary"]["fixed"] == 0
    assert [path for path in fixed_corpus.changed if fixed_corpus.again[path] != fixed_corpus.after[path]] == []
    assert fixed_corpus.again == fixed_corpus.after


def test_no_safe_fix_is_left(fixed_corpus: CorpusFix) -> None:
    changed = set(fixed_corpus.changed)
    left = [f for f in fixed_corpus.fixed["findings"] if f["path"] not in changed] + fixed_corpus.second["findings"]
    safe = [(f["path"], f["rule"]) for f in left if f["fix"] is not None and f["fix"]["safe"]]
    assert safe == []
    assert {f["path"] for f in fixed_corpus.second["findings"]} <= changed
    assert sys.executable  # the same interpreter ran every step (monolint_command)
