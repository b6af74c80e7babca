"""Find quantity expressions ("10 mg", "5-10 mg/kg", ".5 mL", "1,000 units") in prose.

The unit vocabulary comes from the content model; the scanner only knows the shape of a
number, a range and a gap, and reports spans relative to the text it was given.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

# Spaces people type between a number and its unit: space, no-break, thin, narrow no-break.
GAP_CHARS = " \u00a0\u2009\u202f"
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_RANGE_JOIN = r"\s*(?:-|\u2013|\u2014|to)\s*"


@dataclass(frozen=True)
class UnitVocabulary:
    """Every unit spelling to recognise (safe and error-prone), in any order."""

    spellings: tuple[str, ...]


@dataclass(frozen=True)
class Number:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Quantity:
    numbers: tuple[Number, ...]  # one, or two for a range
    unit: str
    unit_start: int
    unit_end: int
    per: tuple[str, ...] = ()  # denominators: "10 mg/kg/day" -> ("kg", "day")

    @property
    def start(self) -> int:
        return self.numbers[0].start

    @property
    def gap(self) -> tuple[int, int]:
        """The span between the last number and the unit."""
        return self.numbers[-1].end, self.unit_start


@cache
def _pattern(vocabulary: UnitVocabulary) -> re.Pattern[str]:
    units = "|".join(re.escape(unit) for unit in sorted(vocabulary.spellings, key=len, reverse=True))
    return re.compile(
        rf"(?<![\w.,])(?P<first>{_NUMBER})"
        rf"(?:(?P<join>{_RANGE_JOIN})(?P<second>{_NUMBER}))?"
        rf"(?P<gap>[{GAP_CHARS}]*)"
        rf"(?P<unit>{units})"
        # A denominator starts with a letter; "250mg/5ml" is two quantities.
        r"(?P<per>(?:/[^\W\d_][^\W_]*){0,3})"
        # Not followed by a letter or digit ("5 grams", "2 units" vs "2 unitsX"), nor by a
        # dot and a letter ("U.S.").
        r"(?![\w%]|\.\w)"
    )


def scan(text: str, vocabulary: UnitVocabulary) -> Iterator[Quantity]:
    """Yield the quantities in ``text``, left to right, with spans relative to ``text``."""
    for match in _pattern(vocabulary).finditer(text):
        numbers = [Number(match["first"], match.start("first"), match.end("first"))]
        if match["second"] is not None:
            numbers.append(Number(match["second"], match.start("second"), match.end("second")))
        per = tuple(match["per"].split("/")[1:])
        yield Quantity(tuple(numbers), match["unit"], match.start("unit"), match.end("unit"), per)
