"""What a rule is: metadata plus a pure check function that yields hits."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from validator.facts.page_facts import PageFacts
from validator.model.finding import Fix, Location, Position, Severity
from validator.model.frozen import quick_init

if TYPE_CHECKING:
    from validator.model.site import PageSummary

CATEGORIES = ("input", "frontmatter", "structure", "disclaimer", "dose", "names", "site")
# Rules of these categories read the Markdown body; they do not run when there is none to
# read (front matter that is never closed swallows the whole page).
BODY_CATEGORIES = ("structure", "disclaimer", "dose", "names")


class Aspect(str, enum.Enum):
    """What a rule's findings say, for reports that group them (the health report); a rule
    with an aspect gives each hit a ``subject``: the section or the form it is about."""

    SECTION_MISSING = "section.missing"  # subject: the section's heading in the content model
    SECTION_MISPLACED = "section.misplaced"  # out of order or at the wrong level; subject: the section
    SECTION_MISSPELLED = "section.misspelled"  # subject: the section
    DOSE_NOTATION = "dose.notation"  # an error-prone way to write a dose; subject: the form


@quick_init
@dataclass(frozen=True, slots=True)
class Hit:
    """What a check found: a span of the page text (offsets, end exclusive) and a message."""

    start: int
    end: int
    message: str
    fix: Fix | None = None
    # What the hit is about (a section's name, an error-prone form): the finding's subject.
    subject: str | None = None


@dataclass(frozen=True)
class SiteHit:
    """What a rule that compares pages found: on page ``page`` (an index into the summaries it
    was given), a span, a message, and the other pages' spans it is about."""

    page: int
    start: Position
    end: Position
    message: str
    related: tuple[Location, ...] = ()


# A rule that compares pages reads every page's summary (in the order the run found them)
# and its options; it runs once, after all pages are checked, and never reads a page.
Compare = Callable[[Sequence["PageSummary"], Mapping[str, Any]], Iterable[SiteHit]]


# A check reads the page, its content model and what rules share about it from the page's
# facts (``facts.page``, ``facts.model``, ``facts.outline`` ...), and its options.
Check = Callable[[PageFacts, Mapping[str, Any]], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    id: str  # stable, e.g. MON204
    name: str  # kebab-case, e.g. section-missing
    category: str
    severity: Severity  # the default; config may change it
    summary: str  # one line
    rationale: str  # why it matters
    # Its bad and good examples are data: validator/rules/examples/<id>.md (see example_files.py).
    # None for input rules the engine reports itself (the file could not become a Page), and
    # for the rules that compare pages, which have ``compare`` instead.
    check: Check | None = None
    # JSON Schema "properties" for the rule's options, each with a "default".
    options: Mapping[str, Any] = field(default_factory=dict)
    # Off unless selected by id or name (or ALL), for rules that are a matter of house style.
    default_enabled: bool = True
    # About the page as a whole (something missing or misplaced), not the text at its
    # position: --diff-base reports it whenever the page changed, whichever lines did.
    whole_page: bool = False
    # What its findings say, for reports that group them; None: nothing to group by.
    aspect: Aspect | None = None
    # For the rules that compare pages (category "site"): their pass over all pages' summaries.
    compare: Compare | None = None

    @property
    def defaults(self) -> dict[str, Any]:
        return {key: spec["default"] for key, spec in self.options.items()}


def shorten(text: str, limit: int = 60) -> str:
    """Page text quoted in a message: one line, at most ``limit`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
