"""The page's dose expressions, scanned once (by ``PageFacts``) for every dose rule."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from operator import attrgetter

from validator.content_model.load import ContentModel
from validator.facts.doses import Quantity, scan_texts
from validator.model.frozen import quick_init
from validator.model.page import Page, Segment


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


def scan_doses(page: Page, model: ContentModel) -> tuple[tuple[Found, ...], Found | None]:
    """The page's dose expressions, at most the content model's ``doses.max_per_page``, and
    the first one past that limit, if the page has more."""
    doses = model.doses
    if doses is None:  # a page type without doses
        return (), None
    segments = page.numeric_segments  # a quantity starts with a digit
    texts = list(map(_TEXT, segments))
    limit = doses.max_per_page
    # The scanner is lazy: it stops at the first quantity past the limit, so a page of
    # 600,000 doses costs no more than one of 10,000 beyond its parse.
    found = [Found(segments[index], quantity) for index, quantity in islice(scan_texts(texts, doses), limit + 1)]
    extra = found.pop() if len(found) > limit else None
    return tuple(found), extra
