"""Which pages a content model applies to: its ``applies_to`` (layouts and paths).

A page is in scope when it matches every criterion the model gives; a model without
``applies_to`` applies to every page. The decision is a pure function of the page's parsed
front matter, its path relative to the configuration's root and the model's criteria, so
every way of running monolint (a folder, standard input, a worker, the cache, the editor)
makes the same one.

A page that may be of the model's type is checked, so that what is wrong with it is
reported rather than hidden: front matter that cannot be read (we cannot tell what the page
is), and a layout that is a near miss of one the model applies to (``Minimal-Medicine``,
``minimal_medicine``, ``minimal-medecine``). A page without front matter, or with a clearly
different layout (or none), is another kind of page and is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from validator.content_model.patterns import patterns_match

if TYPE_CHECKING:
    from validator.model.front_matter import FrontMatter

# The front matter key that names a page's template (Jekyll's and Hugo's convention).
# How alike (difflib's ratio, after folding case and separators) a layout must be to one
# the model applies to for a typo: 'minimal-medecine' is 0.93, 'minimal-page' 0.62, 'page' 0.21.
NEAR_MISS_RATIO = 0.8

_SEPARATORS = re.compile(r"[\s_\-.]+")


@dataclass(frozen=True)
class AppliesTo:
    """A content model's ``applies_to``; an empty tuple is a criterion not given."""

    layouts: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()  # gitignore-style patterns, relative to the configuration's root
    layout_key: str = "layout"  # the front matter key whose value ``layouts`` lists (the schema's default)

    @classmethod
    def from_data(cls, data: Mapping[str, Any] | None) -> AppliesTo | None:
        """From the content model's (already validated) ``applies_to`` mapping."""
        if data is None:
            return None
        return cls(
            tuple(str(item) for item in data.get("layouts", ())),
            tuple(str(item) for item in data.get("paths", ())),
            str(data.get("layout_key", cls.layout_key)),
        )


def applies(front_matter: FrontMatter | None, relative: str | None, criteria: AppliesTo | None) -> bool:
    """Whether a page is in the model's scope. ``front_matter`` is None for a page without
    any; ``relative`` is None when the page has no path (standard input without a name)."""
    return path_applies(relative, criteria) and front_matter_applies(front_matter, criteria)


def path_applies(relative: str | None, criteria: AppliesTo | None) -> bool:
    """The ``paths`` criterion alone (it needs no reading of the page)."""
    if criteria is None or not criteria.paths or relative is None:
        return True
    return patterns_match(criteria.paths, relative)


def front_matter_applies(front_matter: FrontMatter | None, criteria: AppliesTo | None) -> bool:
    """The ``layouts`` criterion alone."""
    if criteria is None or not criteria.layouts:
        return True
    if front_matter is None:
        return False  # no front matter at all: not a page of this type
    data = front_matter.data
    if not isinstance(data, dict):
        return True  # unreadable or not a mapping: it may be one, and its finding says what is wrong
    layout = data.get(criteria.layout_key)
    if layout is None:
        return False
    written = layout if isinstance(layout, str) else str(layout)
    return written in criteria.layouts or near_miss(written, criteria.layouts) is not None


def near_miss(layout: str, layouts: Sequence[str]) -> str | None:
    """The layout of ``layouts`` that ``layout`` misspells, or None when it is none of them
    (an exact match is not a near miss)."""
    if layout in layouts:
        return None
    folded = _fold(layout)
    for known in layouts:
        if _fold(known) == folded:
            return known
    import difflib

    best = max(layouts, key=lambda known: difflib.SequenceMatcher(None, folded, _fold(known)).ratio())
    return best if difflib.SequenceMatcher(None, folded, _fold(best)).ratio() >= NEAR_MISS_RATIO else None


def _fold(layout: str) -> str:
    return _SEPARATORS.sub("", layout.casefold())
