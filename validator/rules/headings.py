"""Heading rules that hold for any page type."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from validator.facts.page_facts import PageFacts
from validator.model.finding import Severity
from validator.rules.base import Hit, Rule


def heading_increment(facts: PageFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    page, model = facts.page, facts.model
    previous: int | None = None
    for heading in page.headings:
        if heading.nested:
            continue
        # The content model may sanction one jump: from the title straight to the sections.
        sanctioned = previous == model.title_level and heading.level == model.section_level
        if previous is not None and heading.level > previous + 1 and not sanctioned:
            message = f"heading level jumps from {previous} to {heading.level}; use level {previous + 1}"
            yield Hit(heading.start, heading.end, message)
        previous = heading.level


HEADING_INCREMENT = Rule(
    id="MON211",
    name="heading-increment",
    category="structure",
    severity=Severity.WARNING,
    summary="Heading levels jump by more than one",
    rationale="Skipped levels break the document outline that screen readers and tables of "
    "contents rely on. The jump from the title to the sections that the content model "
    "defines (H1 to H3 for monographs) is allowed.",
    check=heading_increment,
)
