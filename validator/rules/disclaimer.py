"""Disclaimer rules: present, last, in its canonical form, and saying what it must say."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from validator.facts.disclaimer import disclaimer_to_append
from validator.facts.outline import question_or_answer, questions_section
from validator.facts.page_facts import PageFacts
from validator.model.finding import Edit, Fix, Severity
from validator.model.page import Block
from validator.model.problems import Problem
from validator.rules.base import Hit, Rule


@lru_cache(maxsize=8)
def _label(markdown: str) -> re.Pattern[str]:
    """The content model's label as people actually write it: for "**Disclaimer:**" also
    "**Disclaimer**:", "Disclaimer:" and "*Disclaimer:*" (the words come from the model)."""
    words = re.sub(r"[*_:\s]+", " ", markdown).strip()
    return re.compile(rf"^[*_\s]*{re.escape(words)}[*_\s]*:?[*_]*[ \t]*", re.IGNORECASE)


# A page type may have no disclaimer (its content model has no `disclaimer`): then no page has
# one to find, and each check below reports nothing.


def disclaimer_missing(facts: PageFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    page, disclaimer = facts.page, facts.model.disclaimer
    if disclaimer is None or facts.disclaimer is not None:
        return
    end = len(page.text)
    fix: Fix | None = Fix(
        "Append the canonical disclaimer", (Edit(end, end, disclaimer_to_append(page, disclaimer)),), safe=False
    )
    if any(problem.kind is Problem.FRONT_MATTER_UNCLOSED for problem in page.front_matter_problems):
        fix = None  # the page is all front matter: an appended disclaimer would land in it too
    elif not facts.appended_disclaimer_found:
        fix = None  # an unclosed comment or code fence at the end would swallow it
    # Point at the last line that has text, not at the empty line after the final newline.
    start = page.line_starts[page.position(len(page.text.rstrip())).line - 1]
    yield Hit(start, page.line_end(start), f"page has no disclaimer paragraph starting '{disclaimer.markdown}'", fix)


DISCLAIMER_MISSING = Rule(
    id="MON301",
    whole_page=True,
    name="disclaimer-missing",
    category="disclaimer",
    severity=Severity.ERROR,
    summary="Page has no disclaimer",
    rationale="Every monograph must tell readers it is not medical advice and send them to a "
    "professional; pages without it expose readers and the publisher.",
    check=disclaimer_missing,
)


def disclaimer_not_last(facts: PageFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    page, model = facts.page, facts.model
    block = facts.disclaimer
    if block is None or model.disclaimer is None or not model.disclaimer.must_be_last:
        return
    after = [other for other in page.blocks if other.start > block.start and not other.is_comment]
    if after:
        line = page.position(after[0].start).line
        message = f"the disclaimer must be the last block; {len(after)} block(s) follow it, from line {line}"
        yield Hit(block.start, page.line_end(block.start), message)


DISCLAIMER_NOT_LAST = Rule(
    id="MON302",
    whole_page=True,
    name="disclaimer-not-last",
    category="disclaimer",
    severity=Severity.ERROR,
    summary="The disclaimer is not the last block of the page",
    rationale="The template and readers expect the disclaimer at the end; content after it "
    "looks like part of it, or like an edit that landed in the wrong place.",
    check=disclaimer_not_last,
)


def disclaimer_incomplete(facts: PageFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    page, model = facts.page, facts.model
    block = facts.disclaimer
    if block is None or model.disclaimer is None:
        return
    for idea in model.disclaimer.ideas:
        if not idea.found_in(block.plain):
            yield Hit(block.start, page.line_end(block.start), f"the disclaimer does not say {idea.description}")


DISCLAIMER_INCOMPLETE = Rule(
    id="MON303",
    name="disclaimer-incomplete",
    category="disclaimer",
    severity=Severity.ERROR,
    summary="The disclaimer lacks a required idea",
    rationale="Wordings vary, but each disclaimer must carry every idea the content model "
    "lists in `disclaimer.ideas` (`monolint check --show-settings PAGE` names the model a page "
    "is checked against).",
    check=disclaimer_incomplete,
)


def disclaimer_label(facts: PageFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    page, model = facts.page, facts.model
    block = facts.disclaimer
    if block is None or model.disclaimer is None or block.raw.startswith(model.disclaimer.markdown):
        return
    markdown = model.disclaimer.markdown
    start = page.text.find(block.raw[:1], block.start)
    start = block.start if start < 0 else start
    label = _label(markdown).match(block.raw)
    if label is None:  # a disclaimer written without its label: add it, unless it has another
        message = f"the disclaimer should start with '{markdown}'"
        fix = None
        section = questions_section(model, block.plain)
        if section is not None:  # "A: Consult your doctor ...": labelling it is never right
            message += f" (unless this is a question or an answer of '{section}', and the page has no disclaimer yet)"
        elif not block.raw.startswith(("**", "__")):
            fix = _fix(facts, block, f"Insert '{markdown}'", Edit(start, start, markdown + " "))
        yield Hit(start, page.line_end(start), message, fix)
        return
    length = label.end()
    fix = None
    # "*Disclaimer: ... .*" (the whole paragraph in italics) has its closing marker at the
    # end; replacing the opening one alone would leave a stray '*'.
    if sum(label.group().count(marker) for marker in "*_") % 2 == 0:
        # Without a colon the word may start a sentence ("Disclaimer of liability ...").
        doubt = None if ":" in label.group() else "the word has no colon after it and may begin a sentence"
        fix = _fix(facts, block, f"Write '{markdown}'", Edit(start, start + length, markdown + " "), doubt)
    yield Hit(start, start + max(length, 1), f"the disclaimer should start with '{markdown}'", fix)


DISCLAIMER_LABEL = Rule(
    id="MON304",
    name="disclaimer-label",
    category="disclaimer",
    severity=Severity.ERROR,
    summary="The disclaimer does not start with the canonical label",
    rationale="The site styles and finds the disclaimer by its bold label; 'Disclaimer:' in "
    "plain text or '**Disclaimer**:' is missed. The fix writes the label; it is safe only where "
    "the paragraph cannot be anything but the closing disclaimer: the last block of the page, "
    "saying every idea the content model requires, written with a colon after the word, and "
    "neither a question or an answer of a section the content model marks with `questions` "
    "(FAQs), nor right after one or after another paragraph of that section; elsewhere it needs "
    "--unsafe-fixes. A last paragraph that reads as an answer ('A: Consult your doctor ...' "
    "says both ideas too) gets no fix: the page has no disclaimer yet.",
    check=disclaimer_label,
)


def _fix(facts: PageFacts, block: Block, message: str, edit: Edit, doubt: str | None = None) -> Fix:
    """The label fix: safe only where the paragraph cannot be anything but the closing
    disclaimer; elsewhere unsafe, saying why."""
    doubt = doubt or _doubt(facts, block)
    if doubt is None:
        return Fix(message, (edit,))
    return Fix(f"{message} (unsafe: {doubt})", (edit,), safe=False)


def _doubt(facts: PageFacts, block: Block) -> str | None:
    """Why ``block`` may not be the page's closing disclaimer, or None: it is the last
    block, it says every required idea, and it is not a question or an answer."""
    page, model = facts.page, facts.model
    content = [other for other in page.blocks if not other.is_comment]
    if content[-1] is not block:
        return "it is not the last block of the page"
    ideas = model.disclaimer.ideas if model.disclaimer is not None else ()
    missing = next((idea for idea in ideas if not idea.found_in(block.plain)), None)
    if missing is not None:
        return f"it does not say {missing.description}"
    return question_or_answer(page, model, facts.outline, block)
