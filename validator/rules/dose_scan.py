"""The page's dose expressions, scanned once and shared by the dose rules."""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter

from ..doses import Quantity, scan_texts
from ..frozen import quick_init
from ..page import Page, Segment, per_page
from ..schema import ContentModel


@quick_init
@dataclass(frozen=True, slots=True)
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


_TEXT = attrgetter("text")


@per_page
def quantities(page: Page, model: ContentModel) -> tuple[Found, ...]:
    segments = page.numeric_segments  # a quantity starts with a digit
    texts = list(map(_TEXT, segments))
    return tuple(Found(segments[index], quantity) for index, quantity in scan_texts(texts, model.doses))
