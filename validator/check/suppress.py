"""Inline suppression comments in a page:

    <!-- monolint-disable RULE OTHER-RULE -->   ... until enabled again
    <!-- monolint-enable RULE -->
    <!-- monolint-disable-next-line RULE -->
    <!-- monolint-disable-line RULE -->         (on the line it stands on)

With no rules named, a directive applies to every rule. Rules are named by id, name,
id prefix or category, as `monolint rules` lists them (separated by spaces or commas).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from validator.config.selection import SelectorError, resolve
from validator.model.page import Page
from validator.rules.registry import ALL_RULES

_DIRECTIVE = re.compile(
    r"<!--\s*monolint-(disable-next-line|disable-line|disable|enable)\b((?:(?!<!--|-->).)*)-->", re.DOTALL
)


@dataclass(frozen=True)
class BadDirective:
    start: int
    end: int
    message: str


@dataclass(frozen=True)
class Suppressions:
    # (rule id, first line, last line) inclusive, 1-based
    ranges: tuple[tuple[str, int, int], ...]
    problems: tuple[BadDirective, ...]

    def covers(self, rule_id: str, line: int) -> bool:
        starts, ends = self._by_rule.get(rule_id, ((), ()))
        index = bisect.bisect_right(starts, line) - 1
        return index >= 0 and line <= ends[index]

    @cached_property
    def _by_rule(self) -> dict[str, tuple[list[int], list[int]]]:
        """Each rule's ranges, merged where they overlap, as sorted starts and ends: a page
        can hold a directive per line and a finding per line, and a walk over every range
        for each finding would cost their product."""
        by_rule: dict[str, list[tuple[int, int]]] = {}
        for rule, first, last in self.ranges:
            by_rule.setdefault(rule, []).append((first, last))
        merged: dict[str, tuple[list[int], list[int]]] = {}
        for rule, ranges in by_rule.items():
            starts, ends = merged[rule] = ([], [])
            for first, last in sorted(ranges):
                if ends and first <= ends[-1]:
                    ends[-1] = max(ends[-1], last)
                else:
                    starts.append(first)
                    ends.append(last)
        return merged


def suppressions(page: Page) -> Suppressions:
    ranges: list[tuple[str, int, int]] = []
    problems: list[BadDirective] = []
    open_since: dict[str, int] = {}  # rule -> first line of an open disable
    last_line = len(page.line_starts)
    for comment in page.comments:
        for match in _DIRECTIVE.finditer(comment.text):
            kind = match[1]
            start = comment.offset(match.start())
            end = comment.offset(match.end())
            rules = list(_rules(match[2], start, end, problems))
            first = page.position(start).line
            last = page.position(end).line
            if kind == "disable-line":
                ranges.extend((rule, first, last) for rule in rules)
            elif kind == "disable-next-line":
                ranges.extend((rule, last + 1, last + 1) for rule in rules)
            elif kind == "disable":
                for rule in rules:
                    open_since.setdefault(rule, first)
            else:
                for rule in rules:
                    if rule in open_since:
                        ranges.append((rule, open_since.pop(rule), last))
    ranges.extend((rule, since, last_line) for rule, since in open_since.items())
    return Suppressions(tuple(ranges), tuple(problems))


def _rules(text: str, start: int, end: int, problems: list[BadDirective]) -> Iterator[str]:
    names = [name for name in re.split(r"[\s,]+", text.strip()) if name]
    if not names:
        # Every rule by id rather than a wildcard, so that a later enable naming one rule
        # re-enables just that rule.
        yield from (rule.id for rule in ALL_RULES)
        return
    for name in names:
        try:
            yield from (rule.id for rule in resolve(name))
        except SelectorError:
            problems.append(BadDirective(start, end, f"monolint comment names unknown rule '{name}'"))
