"""The drug a page is about, as the page names it: its title and its generic-name line.

Rules that compare names (a misspelt generic name, a look-alike name in the dosing text) and
the rules that compare pages with each other read these. Where each name sits on the page is
kept, so that a finding about it points at the name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from validator.content_model.load import ContentModel
from validator.facts.outline import Outline
from validator.model.page import Page

_EMPHASIS = re.compile(r"[*_`]+")


@dataclass(frozen=True)
class Named:
    """A name as the page writes it, and its span in the page text (end exclusive)."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class DrugIdentity:
    """The page's own names: its front matter title and its generic-name line (either may be
    missing: the structure rules report that)."""

    title: Named | None
    generic: Named | None

    def components(self, model: ContentModel, name: Named | None) -> tuple[str, ...]:
        """``name`` split into the names of its components (one for a single drug)."""
        if name is None:
            return ()
        parts = (part.strip() for part in model.drug.components.split(name.text))
        return tuple(part for part in parts if part)


def drug_identity(page: Page, model: ContentModel, found: Outline) -> DrugIdentity:
    return DrugIdentity(_title(page, model), _generic(page, model, found))


def _title(page: Page, model: ContentModel) -> Named | None:
    """The front matter title; its span is the title heading's text when that heading says
    the same, else the title's line in the front matter."""
    front_matter = page.front_matter
    data = front_matter.data if front_matter is not None else None
    value = data.get(model.title_key) if isinstance(data, dict) else None
    if not isinstance(value, str) or not value.strip():
        return None
    text = " ".join(value.split())
    for heading in page.headings:
        if heading.level == model.title_level and not heading.nested and " ".join(heading.plain.split()) == text:
            return Named(text, heading.text_start, heading.text_end)
    assert front_matter is not None  # data came from it
    start, end = front_matter.span_of((model.title_key,))
    return Named(text, start, end)


def _generic(page: Page, model: ContentModel, found: Outline) -> Named | None:
    """The first line of the first paragraph of the content model's generic-name section."""
    section = model.drug.generic_section
    if section is None:
        return None
    entry = next((entry for entry in found.firsts if entry.section == section), None)
    if entry is None:
        return None
    for block in page.blocks[entry.block_index + 1 :]:
        if block.heading is not None:
            return None  # the section is empty
        if block.is_comment:
            continue
        if block.kind != "paragraph":
            return None
        end = page.text.find("\n", block.start, block.end)
        end = block.end if end < 0 else end
        line = page.text[block.start : end].rstrip()
        # A reader's text of that line: soft line breaks join lines in ``block.plain``.
        plain = block.plain.strip() if "\n" not in block.raw.strip() else _EMPHASIS.sub("", line).strip()
        return Named(" ".join(plain.split()), block.start, block.start + len(line)) if plain else None
    return None
