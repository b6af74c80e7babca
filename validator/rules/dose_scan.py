"""The page's dose expressions, scanned once and shared by the dose rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..doses import Quantity, scan
from ..page import Page, Segment
from ..schema import ContentModel


@dataclass(frozen=True)
class Found:
    """A quantity in one prose segment; ``page`` turns its offsets into page offsets."""

    segment: Segment
    quantity: Quantity

    @property
    def text(self) -> str:
        """The segment's text, for what stands around the quantity."""
        return self.segment.text

    def page(self, offset: int) -> int:
        return self.segment.to_page(offset)

    def page_end(self, offset: int) -> int:
        """The page offset of an exclusive end: it belongs with the character before it."""
        return self.segment.to_page(offset - 1) + 1 if offset > 0 else self.page(offset)


_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=1)  # rules run page by page: keep only the current one alive
def quantities(page: Page, model: ContentModel) -> tuple[Found, ...]:
    found: list[Found] = []
    for segment in page.segments:
        if _DIGIT.search(segment.text) is None:  # most prose holds no number: skip the big pattern
            continue
        found.extend(Found(segment, quantity) for quantity in scan(segment.text, model.doses))
    return tuple(found)
