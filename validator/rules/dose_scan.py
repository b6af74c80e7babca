"""The page's dose expressions, scanned once and shared by the dose rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..doses import Quantity, scan
from ..page import Page
from ..schema import ContentModel


@dataclass(frozen=True)
class Found:
    """A quantity in one prose run; ``base`` turns its spans into page offsets."""

    base: int
    text: str  # the run's text, for what stands around the quantity
    quantity: Quantity


_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=16)
def quantities(page: Page, model: ContentModel) -> tuple[Found, ...]:
    found = []
    for run in page.runs:
        if _DIGIT.search(run.text) is None:  # most runs hold no number: skip the big pattern
            continue
        found.extend(Found(run.start, run.text, quantity) for quantity in scan(run.text, model.doses))
    return tuple(found)
