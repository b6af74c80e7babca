"""Match a page's headings to the content model's sections (shared by the section rules),
and tell the questions and answers of a section that holds them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

from validator.content_model.load import ContentModel
from validator.model.page import Block, Heading, Page


@dataclass(frozen=True)
class SectionHeading:
    heading: Heading
    block_index: int
    section: int | None  # index into model.sections; None for an unknown heading
    exact: bool  # written exactly as the canonical heading text
    extra_words: bool  # matched only by ignoring words after the name


@dataclass(frozen=True)
class Outline:
    """The page's headings at section level in order, each matched to a model section or not."""

    headings: tuple[SectionHeading, ...]
    blocks: tuple[Block, ...]

    def matched(self) -> list[SectionHeading]:
        return [entry for entry in self.headings if entry.section is not None]

    @cached_property
    def firsts(self) -> tuple[SectionHeading, ...]:
        """The first heading of each section the page has, in page order."""
        seen: set[int] = set()
        firsts = []
        for entry in self.headings:
            if entry.section is not None and entry.section not in seen:
                seen.add(entry.section)
                firsts.append(entry)
        return tuple(firsts)


def normalize(text: str, strip: str) -> str:
    """Case-folded, single-spaced, without trailing punctuation from ``strip``."""
    return " ".join(text.casefold().split()).rstrip(strip + " ")


def outline(page: Page, model: ContentModel) -> Outline:
    entries = []
    seen: set[int] = set()
    title_level, section_level = model.title_level, model.section_level
    for index, block in enumerate(page.blocks):
        heading = block.heading
        if heading is None or heading.level == title_level:
            continue
        section, extra = _match(heading.plain, model)
        at_section_level = heading.level <= section_level
        if section is None and not at_section_level:
            continue  # a sub-heading inside a section
        if extra and heading.level != section_level:
            continue  # "Pediatric dosage notes" as a sub-heading is not the Dosage section
        if not at_section_level and section in seen:
            continue  # "#### Warnings" under Precautions is a sub-heading, not Precautions again
        exact = section is not None and heading.raw == model.written(model.sections[section])
        entries.append(SectionHeading(heading, index, section, exact, extra))
        if section is not None:
            seen.add(section)
    return Outline(tuple(entries), page.blocks)


@lru_cache(maxsize=8)
def _names(model: ContentModel) -> tuple[tuple[str, int], ...]:
    """Every normalised name and alias with its section index, longest first."""
    names = []
    for index, section in enumerate(model.sections):
        for name in (section.heading, *section.aliases):
            names.append((normalize(name, model.strip_trailing), index))
    return tuple(sorted(names, key=lambda item: -len(item[0])))


@lru_cache(maxsize=1024)  # pages share most of their headings ("Dosage", "FAQs")
def _match(plain: str, model: ContentModel) -> tuple[int | None, bool]:
    """The section a heading names, and whether only by ignoring words after the name."""
    text = normalize(plain, model.strip_trailing)
    names = _names(model)
    for name, index in names:
        if text == name:
            return index, False
    if model.allow_extra_words:
        for name, index in names:
            if text.startswith(name) and not text[len(name)].isalnum():
                return index, True
    return None, False


def questions_section(model: ContentModel, text: str) -> str | None:
    """The name of the section of questions and answers whose ``questions`` pattern the
    start of ``text`` (a paragraph's plain text) matches, or None."""
    for section in model.sections:
        if section.questions is not None and section.questions.search(text):
            return section.heading
    return None


def question_or_answer(page: Page, model: ContentModel, found: Outline, block: Block) -> str | None:
    """Why ``block`` may be a question or an answer of a section the content model marks
    with ``questions``, or None. It may be when its text starts like one, when it comes
    right after a paragraph that does (it may continue that answer), or when it comes right
    after a paragraph or a sub-heading inside such a section (answers need not be marked).
    ``found`` is the page's outline."""
    if all(section.questions is None for section in model.sections):
        return None
    name = questions_section(model, block.plain)
    if name is not None:
        return f"it reads as a question or an answer of '{name}'"
    index = page.blocks.index(block)
    before = next((other for other in reversed(page.blocks[:index]) if not other.is_comment), None)
    name = questions_section(model, before.plain) if before is not None and before.kind == "paragraph" else None
    if name is not None:
        return f"it follows a question or an answer of '{name}', and may continue it"
    entry = next((entry for entry in reversed(found.headings) if entry.block_index < index), None)
    if entry is None or entry.section is None or model.sections[entry.section].questions is None:
        return None
    if before is None or before is page.blocks[entry.block_index]:
        return None  # right after the section's heading: there is no question to answer
    if before.kind == "paragraph" or before.heading is not None:
        return f"it follows a paragraph or a heading inside '{model.sections[entry.section].heading}', and may be an answer"
    return None
