"""What the rules read about one page, each worked out once, when a rule first asks.

The engine makes one ``PageFacts`` for each check of a page and hands it to every rule; it
goes when the check ends, and what it worked out goes with it. Nothing is computed up front:
a run with only some rules selected pays only for the facts those rules read.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property

from validator.content_model.load import ContentModel
from validator.facts.disclaimer import appended_disclaimer_found, find_disclaimer
from validator.facts.dose_scan import Found, scan_doses
from validator.facts.drug_identity import DrugIdentity, drug_identity
from validator.facts.look_alike import names_about
from validator.facts.outline import Outline, outline
from validator.facts.unit_spans import UnitSpan, unit_spans
from validator.model.page import Block, Page


class PageFacts:
    """A page, the content model it is checked against, and the analyses several rules share."""

    def __init__(self, page: Page, model: ContentModel) -> None:
        self.page = page
        self.model = model

    def __repr__(self) -> str:
        return f"PageFacts({self.page.path!r})"

    @cached_property
    def outline(self) -> Outline:
        """The page's headings at section level, each matched to a model section or not."""
        return outline(self.page, self.model)

    @cached_property
    def drug(self) -> DrugIdentity:
        """The page's own names: its title and its generic-name line, with their spans."""
        return drug_identity(self.page, self.model, self.outline)

    @cached_property
    def lowered(self) -> str:
        """The page text in lower case, for quick searches of names in any case; its offsets
        are the page text's (a character whose lower case is longer, such as 'İ', is kept)."""
        text = self.page.text
        lowered = text.lower()
        if len(lowered) != len(text):
            lowered = "".join(char if len(char.lower()) != 1 else char.lower() for char in text)
        return lowered

    @cached_property
    def look_alike_about(self) -> frozenset[str]:
        """The look-alike names (case-folded) the page's title or generic-name line names."""
        return names_about(self.model, self.drug)

    @cached_property
    def disclaimer(self) -> Block | None:
        """The page's disclaimer paragraph (see ``find_disclaimer``), or None."""
        return find_disclaimer(self.page, self.model)

    @cached_property
    def appended_disclaimer_found(self) -> bool:
        """Whether the canonical disclaimer appended at the end would be found as the page's
        disclaimer (no block the page leaves open swallows it)."""
        return appended_disclaimer_found(self.page, self.model)

    @cached_property
    def _doses(self) -> tuple[tuple[Found, ...], Found | None]:
        return scan_doses(self.page, self.model)

    @property
    def quantities(self) -> tuple[Found, ...]:
        """The page's dose expressions, at most the content model's ``doses.max_per_page``."""
        return self._doses[0]

    @property
    def first_unchecked(self) -> Found | None:
        """The first dose expression past ``doses.max_per_page``, if the page has more."""
        return self._doses[1]

    @cached_property
    def unit_spans(self) -> Mapping[str, list[UnitSpan]]:
        """The units and denominators of the page's doses that the unit rules report, by kind."""
        return unit_spans(self.quantities, self.model.doses)
