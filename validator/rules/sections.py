"""Section rules: the content model's sections, present once each, in order, at their level,
spelled canonically and not empty; and no headings the model does not know."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from itertools import pairwise
from typing import Any

from validator.content_model.load import ContentModel
from validator.facts.outline import SectionHeading, normalize
from validator.facts.page_facts import PageFacts
from validator.model.finding import Edit, Fix, Severity
from validator.model.page import Block, Heading, Page
from validator.rules.base import Aspect, Hit, Rule, shorten


def section_missing(facts: PageFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    model = facts.model
    found = facts.outline
    present = {entry.section: entry for entry in found.firsts}
    for index, section in enumerate(model.sections):
        if index in present:
            continue
        following = next((present[later] for later in range(index + 1, len(model.sections)) if later in present), None)
        if following is not None:
            heading = following.heading
            message = f"required section '{section.heading}' is missing (expected before '{shorten(heading.plain)}')"
            yield Hit(heading.start, heading.end, message, subject=section.heading)
        else:
            start, end = _end_of_content(facts)
            message = f"required section '{section.heading}' is missing (expected at the end)"
            yield Hit(start, end, message, subject=section.heading)


SECTION_MISSING = Rule(
    id="MON204",
    whole_page=True,
    name="section-missing",
    category="structure",
    severity=Severity.ERROR,
    summary="A required section is missing",
    rationale="Readers and the site's navigation expect every monograph to answer the same "
    "questions in the same places; a missing Precautions section is a safety gap.",
    check=section_missing,
    aspect=Aspect.SECTION_MISSING,
)


def _end_of_content(facts: PageFacts) -> tuple[int, int]:
    """Where a section missing at the end belongs: before the disclaimer, or the last line."""
    page = facts.page
    blocks = [block for block in page.blocks if not block.is_comment]
    if blocks and blocks[-1] is facts.disclaimer:
        block = blocks[-1]
        return block.start, page.line_end(block.start)
    if blocks:
        last = blocks[-1]
        start = page.line_starts[page.position(last.end).line - 1]
        return start, last.end
    return page.body_start, page.line_end(page.body_start)


def _longest_increasing(values: list[int]) -> set[int]:
    """Positions (into ``values``) of one longest strictly increasing subsequence."""
    if all(earlier < later for earlier, later in pairwise(values)):
        return set(range(len(values)))  # the sections are in order, as on most pages
    best: list[list[int]] = []
    for position, value in enumerate(values):
        chains = [chain for chain in best if values[chain[-1]] < value]
        longest: list[int] = max(chains, key=len, default=[])
        best.append([*longest, position])
    winner: list[int] = max(best, key=len, default=[])
    return set(winner)


def section_order(facts: PageFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    model = facts.model
    firsts = facts.outline.firsts
    order = [entry.section for entry in firsts if entry.section is not None]
    keep = _longest_increasing(order)
    for position, entry in enumerate(firsts):
        if position in keep or entry.section is None:
            continue
        before = [model.sections[order[p]].heading for p in sorted(keep) if order[p] < entry.section]
        after = [model.sections[order[p]].heading for p in sorted(keep) if order[p] > entry.section]
        place = f"after '{before[-1]}'" if before else f"before '{after[0]}'"
        name = model.sections[entry.section].heading
        message = f"section '{name}' is out of order; it belongs {place}"
        yield Hit(entry.heading.start, entry.heading.end, message, subject=name)


SECTION_ORDER = Rule(
    id="MON205",
    whole_page=True,
    name="section-order",
    category="structure",
    severity=Severity.ERROR,
    summary="Sections are out of the content model's order",
    rationale="A fixed order lets readers find the dose or the precautions without reading the "
    "whole page. The fewest sections needed to restore the order are reported.",
    check=section_order,
    aspect=Aspect.SECTION_MISPLACED,
)


def section_level(facts: PageFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    page, model = facts.page, facts.model
    for entry in facts.outline.matched():
        heading = entry.heading
        if heading.level == model.section_level:
            continue
        marker = "#" * model.section_level
        fix = None
        if page.text.startswith("#" * heading.level, heading.start):  # ATX, not setext
            edit = Edit(heading.start, heading.start + heading.level, marker)
            why = _new_parent(page, model, heading)  # "### Alprazolam / #### Dosage": not the drug's
            fix = Fix(f"Make it '{marker}'", (edit,))
            if why is not None:
                fix = Fix(f"Make it '{marker}' (unsafe: {why})", (edit,), safe=False)
        message = f"section heading '{shorten(heading.plain)}' is level {heading.level}; sections are level {model.section_level}"
        assert entry.section is not None
        yield Hit(heading.start, heading.end, message, fix, subject=model.sections[entry.section].heading)


SECTION_LEVEL = Rule(
    id="MON206",
    name="section-level",
    category="structure",
    severity=Severity.ERROR,
    summary="A section heading has the wrong level",
    rationale="The template styles and indexes sections by heading level; a '##' section "
    "falls out of the page's table of contents. The fix is safe when the heading stays under "
    "the same heading; taking '#### Dosage' out from under '### Alprazolam' would make one "
    "drug's dose the page's, so that needs --unsafe-fixes.",
    check=section_level,
    aspect=Aspect.SECTION_MISPLACED,
)


def _parent(page: Page, heading: Heading, level: int) -> Heading | None:
    """The heading ``heading`` would stand under at ``level``: the last one before it that is higher."""
    before = (other for other in reversed(page.headings) if other.start < heading.start and not other.nested)
    return next((other for other in before if other.level < level), None)


def _new_parent(page: Page, model: ContentModel, heading: Heading) -> str | None:
    """Why taking the section level would move ``heading`` under another heading, or None."""
    old, new = _parent(page, heading, heading.level), _parent(page, heading, model.section_level)
    if old == new:
        return None
    if old is not None and (new is None or old.start > new.start):
        return f"it would leave '{shorten(old.plain)}', which it stands under"
    return f"it would go under '{shorten(new.plain)}'" if new is not None else None


def _same_words(raw: str, canonical: str, model: ContentModel) -> bool:
    """Whether a heading says the canonical heading's words, in another case, spacing,
    trailing punctuation or emphasis: not a synonym, and no link or code to lose."""
    strip = model.strip_trailing
    return normalize(raw.replace("*", "").replace("_", ""), strip) == normalize(canonical, strip)


def heading_not_canonical(facts: PageFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    model = facts.model
    for entry in facts.outline.matched():
        if entry.exact or entry.section is None:
            continue
        heading = entry.heading
        section = model.sections[entry.section]
        canonical, written = section.heading, model.written(section)
        fix = None
        if heading.text_end - heading.text_start == len(heading.raw):  # one line of source
            edit = Edit(heading.text_start, heading.text_end, written)
            # Only a respelling is safe: a synonym ("Warnings" for "Precautions", "Drug Name"
            # for "Generic Name") or extra words change what the heading says.
            safe = not entry.extra_words and _same_words(heading.raw, canonical, model)
            fix = Fix(f"Replace with '{written}'", (edit,), safe=safe)
        detail = "; move the extra words into the section" if entry.extra_words else ""
        message = f"heading '{shorten(heading.raw)}' should be written '{written}'{detail}"
        yield Hit(heading.text_start, heading.text_end, message, fix, subject=canonical)


HEADING_NOT_CANONICAL = Rule(
    id="MON207",
    name="heading-not-canonical",
    category="structure",
    severity=Severity.ERROR,
    summary="A section heading is not spelled as in the content model",
    rationale="Trailing colons, other capitalisation, synonyms and extra words make headings "
    "differ from page to page and break anchors ('#dosage') that other pages link to. The fix "
    "is safe only for a respelling (case, spacing, trailing punctuation, emphasis); a synonym "
    "('Warnings' for 'Precautions', 'Drug Name' for 'Generic Name'), extra words or a link "
    "change what the heading says, so those need --unsafe-fixes.",
    check=heading_not_canonical,
    aspect=Aspect.SECTION_MISSPELLED,
)


def section_duplicate(facts: PageFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    page, model = facts.page, facts.model
    seen: dict[int, SectionHeading] = {}
    for entry in facts.outline.matched():
        assert entry.section is not None
        first = seen.setdefault(entry.section, entry)
        if first is not entry:
            line = page.position(first.heading.start).line
            name = model.sections[entry.section].heading
            yield Hit(entry.heading.start, entry.heading.end, f"section '{name}' appears again (first on line {line})")


SECTION_DUPLICATE = Rule(
    id="MON208",
    name="section-duplicate",
    category="structure",
    severity=Severity.ERROR,
    summary="A section appears more than once",
    rationale="Two Dosage sections usually mean a merge went wrong, and they may disagree.",
    check=section_duplicate,
)


def section_empty(facts: PageFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    model = facts.model
    found = facts.outline
    disclaimer = facts.disclaimer
    for entry in found.matched():
        assert entry.section is not None
        if model.sections[entry.section].allow_empty:
            continue
        if not _has_content(found.blocks[entry.block_index + 1 :], entry.heading.level, disclaimer):
            name = model.sections[entry.section].heading
            yield Hit(entry.heading.start, entry.heading.end, f"section '{name}' is empty")


SECTION_EMPTY = Rule(
    id="MON209",
    name="section-empty",
    category="structure",
    severity=Severity.ERROR,
    summary="A required section has no content",
    rationale="An empty section looks like an answer that was lost; say why it does not apply "
    "instead (sections may be allowed empty in the content model).",
    check=section_empty,
)


def _has_content(following: Sequence[Block], level: int, disclaimer: Block | None) -> bool:
    """Whether a block other than a comment or the disclaimer comes before the heading that
    ends the section, looking no further than that block."""
    for block in following:
        if block.heading is not None and block.heading.level <= level:
            return False
        if not block.is_comment and block is not disclaimer:
            return True
    return False


def unknown_section(facts: PageFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    model = facts.model
    if model.allow_other_sections:
        return
    known = ", ".join(section.heading for section in model.sections)
    allowed = {normalize(name, model.strip_trailing) for name in options.get("allow", ())}
    for entry in facts.outline.headings:
        heading = entry.heading
        if entry.section is None and normalize(heading.plain, model.strip_trailing) not in allowed:
            yield Hit(heading.start, heading.end, f"unknown section '{shorten(heading.plain)}' (sections are: {known})")


UNKNOWN_SECTION = Rule(
    id="MON210",
    name="unknown-section",
    category="structure",
    severity=Severity.WARNING,
    summary="A section heading the content model does not know",
    rationale="Extra sections are often misspelled required ones or sub-headings written at the "
    "section level; use a deeper level for sub-headings.",
    check=unknown_section,
    options={
        "allow": {
            "description": "extra section headings this site accepts (compared like section names)",
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "default": [],
        }
    },
)
