"""Per-rule precision and recall of the dose and drug-name rules on the labelled suite
(every tests/doses/*.yaml).

    python tests/doses/metrics.py [--cases FILE ...] [--verbose]

Each case's text is linted as the body of a minimal page with only the rules of the suite's
categories enabled (those off by default, such as MON409, too). The page is titled "Dose suite"
and the text is its Dosage section, unless the case gives its own ``title``, a ``generic`` name
(a Generic Name section before it) or another ``section`` to hold the text: the name rules read
the page's own names. A finding matches a label when the
rule and the span are equal and, if the label gives a ``fix``, applying the finding's fix to
the case text gives the text with the label's span replaced by ``fix`` (``fix: null``: the
finding must have no fix). Exits 0 only when no rule has a false positive or negative.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from validator.check.engine import check_page
from validator.config.selection import Layer, build_settings
from validator.content_model.load import load_content_model
from validator.model.finding import Finding
from validator.parse.markdown import parse_page
from validator.rules.registry import BY_ID

CASES = Path(__file__).with_name("cases.yaml")
# Every YAML file in this folder is part of the suite: cases.yaml holds the dose-number and
# dose-unit cases; later kinds of designation keep their cases in files of their own.
SUITE = tuple(sorted(Path(__file__).parent.glob("*.yaml")))
# The categories the suite measures; every rule in them is scored, including those off by default.
CATEGORIES = ("dose", "names")
RULES = tuple(rule.id for rule in BY_ID.values() if rule.category in CATEGORIES)
PREFIX = "---\ntitle: Dose suite\n---\n\n### Dosage\n\n"
ANY = "\0any"  # a label without 'fix': the finding's fix is not compared
CASE_KEYS = {"text", "findings", "note", "source", "negative_for", "title", "generic", "section"}
LABEL_KEYS = {"rule", "text", "occurrence", "fix"}


class CaseError(ValueError):
    """A malformed case in the suite file."""


@dataclass(frozen=True)
class Span:
    rule: str
    start: int
    end: int
    fixed: str | None  # the case text with the fix applied; None: no fix; ANY: not compared

    def describe(self, text: str) -> str:
        fix = "" if self.fixed == ANY else " (no fix)" if self.fixed is None else f" -> {self.fixed!r}"
        return f"{self.rule} {text[self.start : self.end]!r} at {self.start}-{self.end}{fix}"


@dataclass
class Case:
    where: str  # file:line
    text: str
    expected: list[Span]
    negative_for: list[str] = field(default_factory=list)
    found: list[Span] = field(default_factory=list)
    missed: list[Span] = field(default_factory=list)  # labels with no finding (false negatives)
    spurious: list[Span] = field(default_factory=list)  # findings with no label (false positives)
    wrong_fix: list[tuple[Span, Span]] = field(default_factory=list)  # (label, finding): both FN and FP
    error: str = ""
    prefix: str = PREFIX  # the page text before the case's text

    @property
    def failed(self) -> bool:
        return bool(self.missed or self.spurious or self.wrong_fix or self.error)


def _label(text: str, raw: Any, where: str) -> Span:
    if not isinstance(raw, dict) or not isinstance(raw.get("rule"), str) or not isinstance(raw.get("text"), str):
        raise CaseError(f"{where}: a finding needs 'rule' and 'text' strings")
    occurrence = raw.get("occurrence", 1)
    if set(raw) - LABEL_KEYS or not raw["text"] or not isinstance(occurrence, int) or occurrence < 1:
        raise CaseError(f"{where}: bad finding {raw!r} (keys {sorted(LABEL_KEYS)}, occurrence >= 1)")
    start = -1
    for _ in range(occurrence):
        start = text.find(raw["text"], start + 1)
        if start < 0:
            raise CaseError(f"{where}: {raw['text']!r} does not occur {occurrence} time(s) in the text")
    end = start + len(raw["text"])
    fix = raw.get("fix", ANY)
    if fix is not None and not isinstance(fix, str):
        raise CaseError(f"{where}: 'fix' must be a string or null")
    return Span(raw["rule"], start, end, fix if fix in (None, ANY) else text[:start] + fix + text[end:])


def load_suite(paths: tuple[Path, ...] = SUITE) -> list[Case]:
    """Every case of the suite's files, in file order."""
    return [case for path in paths for case in load_cases(path)]


def load_cases(path: Path = CASES) -> list[Case]:
    """Read and check one suite file; a malformed case raises CaseError naming its line."""
    source = path.read_text(encoding="utf-8")
    nodes, data = yaml.compose(source, Loader=yaml.SafeLoader), yaml.safe_load(source)
    if not isinstance(data, list) or nodes is None:
        raise CaseError(f"{path.name}: expected a list of cases")
    cases = []
    for node, raw in zip(nodes.value, data, strict=True):
        where = f"{path.name}:{node.start_mark.line + 1}"
        if not isinstance(raw, dict) or set(raw) - CASE_KEYS or not isinstance(raw.get("findings"), list):
            raise CaseError(f"{where}: a case has 'text', 'findings' (a list) and optional {sorted(CASE_KEYS)}")
        if not isinstance(raw.get("text"), str) or not raw["text"]:
            raise CaseError(f"{where}: 'text' must be a non-empty string")
        labels = [_label(raw["text"], item, where) for item in raw["findings"]]
        case = Case(where, raw["text"], labels, list(raw.get("negative_for") or []))
        case.prefix = page_prefix(raw, where)
        cases.append(case)
    return cases


def page_prefix(raw: dict[str, Any], where: str) -> str:
    """The page before a case's text: front matter with its title, an optional Generic Name
    section, and the heading of the section that holds the text."""
    page = {key: raw.get(key, default) for key, default in (("title", "Dose suite"), ("section", "Dosage"))}
    if not all(isinstance(value, str) and value.strip() and "\n" not in value for value in page.values()):
        raise CaseError(f"{where}: 'title' and 'section' must be one-line strings")
    generic = raw.get("generic")
    if generic is not None and (not isinstance(generic, str) or "\n" in generic):
        raise CaseError(f"{where}: 'generic' must be a one-line string")
    named = f"### Generic Name\n\n{generic}\n\n" if generic else ""
    return f"---\ntitle: {page['title']}\n---\n\n{named}### {page['section']}\n\n"


def _span(finding: Finding, page_text: str, line_starts: tuple[int, ...], prefix: str = PREFIX) -> Span:
    """A finding in offsets of the case text, with its fix applied to the case text."""
    start = line_starts[finding.start.line - 1] + finding.start.column - 1 - len(prefix)
    end = line_starts[finding.end.line - 1] + finding.end.column - 1 - len(prefix)
    if finding.fix is None:
        return Span(finding.rule, start, end, None)
    fixed = page_text
    for edit in sorted(finding.fix.edits, key=lambda edit: edit.start, reverse=True):
        fixed = fixed[: edit.start] + edit.text + fixed[edit.end :]
    return Span(finding.rule, start, end, fixed[len(prefix) :].removesuffix("\n"))


def run(cases: list[Case]) -> None:
    """Lint every case and sort its labels and findings into matches and mismatches."""
    settings = build_settings([Layer(select=list(RULES))])
    model = load_content_model()
    for case in cases:
        page_text = case.prefix + case.text + "\n"
        page = parse_page("case.md", page_text)
        try:
            findings = check_page(page, settings, model)
        except Exception as error:  # a crash is reported, and counts as finding nothing
            case.error, findings = f"{type(error).__name__}: {error}", []
        case.found = [_span(finding, page_text, page.line_starts, case.prefix) for finding in findings]
        unmatched = list(case.found)
        case.missed, case.wrong_fix = [], []
        for label in case.expected:
            match = next(
                (f for f in unmatched if (f.rule, f.start, f.end) == (label.rule, label.start, label.end)), None
            )
            if match is None:
                case.missed.append(label)
                continue
            unmatched.remove(match)
            if label.fixed not in (ANY, match.fixed):
                case.wrong_fix.append((label, match))
        case.spurious = unmatched


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    positive_cases: int = 0
    negative_cases: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def scores(cases: list[Case]) -> dict[str, Score]:
    """Per-rule counts; a finding with the right span but the wrong fix is a FP and a FN."""
    table = {rule: Score() for rule in RULES}
    for case in cases:
        for rule in {label.rule for label in case.expected}:
            table.setdefault(rule, Score()).positive_cases += 1
        for rule in set(case.negative_for):
            table.setdefault(rule, Score()).negative_cases += 1
        failed = {id(label) for label in case.missed} | {id(label) for label, _ in case.wrong_fix}
        for label in case.expected:
            score = table.setdefault(label.rule, Score())
            if id(label) in failed:
                score.fn += 1
            else:
                score.tp += 1
        for span in case.spurious + [found for _, found in case.wrong_fix]:
            table.setdefault(span.rule, Score()).fp += 1
    return table


def mismatches(cases: list[Case], rule: str | None = None) -> list[str]:
    """Readable lines for each case with a mismatch (of ``rule``, or of any rule)."""
    lines = []
    for case in cases:
        missed = [span for span in case.missed if rule in (None, span.rule)]
        spurious = [span for span in case.spurious if rule in (None, span.rule)]
        wrong = [(label, found) for label, found in case.wrong_fix if rule in (None, label.rule)]
        if not (missed or spurious or wrong or case.error):
            continue
        lines.append(f"{case.where}: {case.text!r}" + (f"  [crashed: {case.error}]" if case.error else ""))
        lines.extend(f"    missed    {span.describe(case.text)}" for span in missed)
        lines.extend(f"    spurious  {span.describe(case.text)}" for span in spurious)
        for label, found in wrong:
            lines.append(f"    wrong fix {label.describe(case.text)}; the fix gives {found.fixed!r}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Precision and recall of the dose rules on the labelled suite.")
    parser.add_argument("--cases", type=Path, action="append", help="a suite file (default: every tests/doses/*.yaml)")
    parser.add_argument("--verbose", action="store_true", help="list the cases with false positives or negatives")
    args = parser.parse_args(argv)
    try:
        cases = load_suite(tuple(args.cases) if args.cases else SUITE)
    except (CaseError, OSError, ValueError, yaml.YAMLError) as error:
        print(f"metrics: error: {error}", file=sys.stderr)
        return 2
    run(cases)
    table = scores(cases)
    print(f"{len(cases)} cases, {sum(not case.expected for case in cases)} with no expected finding")
    print(f"{'rule':<8}{'pos':>5}{'neg':>5}{'TP':>6}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>8}")
    for rule, score in sorted(table.items()):
        print(
            f"{rule:<8}{score.positive_cases:>5}{score.negative_cases:>5}{score.tp:>6}{score.fp:>5}{score.fn:>5}"
            f"{score.precision:>11.3f}{score.recall:>8.3f}"
        )
    failing = [case for case in cases if case.failed]
    print(f"{len(failing)} case(s) with a false positive or negative (pos: labelled findings, neg: hard negatives)")
    if args.verbose and failing:
        print("\n".join(mismatches(cases)))
    return 0 if not failing and all(s.fp == s.fn == 0 for s in table.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
