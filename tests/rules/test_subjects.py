"""A rule's aspect and its findings' subjects: what the health report groups findings by
without reading their messages. Every finding of a rule with an aspect names its subject
(a section of the content model, or the error-prone form found); the others name none."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from validator.content_model.load import load_content_model
from validator.rules.base import Aspect
from validator.rules.registry import ALL_RULES, BY_ID

if TYPE_CHECKING:
    from conftest import Lint, LintFile

RULES = Path(__file__).parent.parent / "fixtures" / "rules"
SECTION_ASPECTS = {Aspect.SECTION_MISSING, Aspect.SECTION_MISPLACED, Aspect.SECTION_MISSPELLED}
WITH_ASPECT = [rule.id for rule in ALL_RULES if rule.aspect is not None]


def test_the_aspects_cover_sections_and_dose_notation() -> None:
    aspects = {rule.aspect for rule in ALL_RULES}
    assert SECTION_ASPECTS | {Aspect.DOSE_NOTATION} <= aspects
    assert all(rule.category == "dose" for rule in ALL_RULES if rule.aspect is Aspect.DOSE_NOTATION)


@pytest.mark.parametrize("rule_id", WITH_ASPECT)
def test_each_finding_of_a_rule_with_an_aspect_names_its_subject(rule_id: str, lint_file: LintFile) -> None:
    rule = BY_ID[rule_id]
    sections = {section.heading for section in load_content_model(None).sections}
    pages = sorted((RULES / rule_id).glob("fail-*.md"))
    findings = [f for page in pages for f in lint_file(page, select=[rule_id]) if f.rule == rule_id]
    assert findings, f"{rule_id} has no failing fixture finding"
    for finding in findings:
        assert isinstance(finding.subject, str) and finding.subject.strip(), finding
        if rule.aspect in SECTION_ASPECTS:
            assert finding.subject in sections
        assert finding.to_dict()["subject"] == finding.subject


def test_rules_without_an_aspect_name_no_subject(lint_file: LintFile) -> None:
    without = {rule.id for rule in ALL_RULES if rule.aspect is None}
    findings = [f for page in sorted(RULES.glob("*/fail-*.md")) for f in lint_file(page) if f.rule in without]
    assert findings
    assert {finding.subject for finding in findings} == {None}


def test_subjects_say_which_section_and_which_form(lint: Lint) -> None:
    page = """---
title: Example
---
# Example

### Generic name:

Example.

### Dosage

Take 5mg, then 10mg twice, or 2 cc.
"""
    by_rule = {}
    for finding in lint(page):
        by_rule.setdefault(BY_ID[finding.rule].aspect, []).append(finding.subject)
    missing = by_rule[Aspect.SECTION_MISSING]
    assert "Usage" in missing and "Precautions" in missing and "Dosage" not in missing
    assert by_rule[Aspect.SECTION_MISSPELLED] == ["Generic Name"]
    assert sorted(by_rule[Aspect.DOSE_NOTATION]) == ["Nmg", "Nmg", "cc"]
