"""Find dose expressions in prose and parse them into Quantity values.

The scanner knows the shape of numbers, ranges, gaps and denominators; which words are
units comes from the content model's vocabulary. Spans are relative to the text given.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from .model import Amount, Number, Quantity, UnitMention
from .vocabulary import DoseVocabulary

# Spaces people type between a number and its unit: space, no-break, thin, narrow no-break.
GAP = "[ \u00a0\u2009\u202f]"
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
# "5 × 10^6", "5x10^6", "5 × 10⁶": the power must be marked, so "5 x 10 mg" stays two numbers.
_POWER = r"(?:[ \u00a0]?[×xX*][ \u00a0]?10(?:\^|\*\*)(?P<{n}exp>[-−]?\d{{1,2}})|[ \u00a0]?[×xX][ \u00a0]?10(?P<{n}sup>[⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]{{1,2}}))"
_JOIN = r"[ \u00a0]*(?:-|\u2013|\u2014|to)[ \u00a0]*"


def _number(name: str, words: str) -> str:
    scale = rf"(?:{GAP}+(?P<{name}word>{words}))?" if words else ""
    power = _POWER.format(n=name)
    return rf"(?P<{name}>(?P<{name}digits>{_DIGITS})(?:{power}|{scale}))"


@lru_cache(maxsize=8)
def _pattern(vocabulary: DoseVocabulary) -> re.Pattern[str]:
    spellings = sorted(vocabulary.unit_spellings, key=len, reverse=True)
    units = "|".join(re.escape(unit).replace(r"\ ", f"{GAP}+") for unit in spellings)
    words = "|".join(re.escape(word) for word, _ in vocabulary.number_words)
    return re.compile(
        # Not inside a word or another number ("B12", "CYP3A4", the "5" of "1.5").
        rf"(?<![\w.,]){_number('a', words)}"
        rf"(?:(?P<join>{_JOIN}){_number('b', words)})?"
        rf"(?P<gap>{GAP}*)"
        rf"(?P<unit>{units})"
        # A denominator starts with a letter: "250mg/5ml" is two quantities.
        r"(?P<per>(?:/[^\W\d_][^\W_]*){0,3})"
        # Not followed by a letter or digit ("5 grams", "10 units2"), nor by a dot and a
        # letter ("5 U.S. states").
        r"(?![\w%]|\.\w)"
    )


@lru_cache(maxsize=8)
def _join_pattern() -> re.Pattern[str]:
    return re.compile(rf"^{_JOIN}$")


def scan(text: str, vocabulary: DoseVocabulary) -> Iterator[Quantity]:
    """Yield the quantities in ``text`` left to right; "5 mg to 10 mg" is one quantity."""
    previous: Quantity | None = None
    for match in _pattern(vocabulary).finditer(text):
        quantity = _quantity(match, vocabulary)
        if quantity is None:
            continue
        if previous is not None and _same_range(text, previous, quantity):
            previous = Quantity(previous.amounts + quantity.amounts, previous.start, quantity.end)
            continue
        if previous is not None:
            yield previous
        previous = quantity
    if previous is not None:
        yield previous


def _same_range(text: str, first: Quantity, second: Quantity) -> bool:
    between = text[first.end : second.start]
    return (
        not first.is_range
        and not second.is_range
        and bool(_join_pattern().match(between))
        and first.unit.text == second.unit.text
    )


def _quantity(match: re.Match[str], vocabulary: DoseVocabulary) -> Quantity | None:
    first = _parse_number(match, "a", vocabulary)
    if first is None:
        return None
    per = match["per"]
    unit = UnitMention(
        text=match["unit"],
        start=match.start("unit"),
        end=match.end("unit"),
        per=tuple(per.split("/")[1:]),
    )
    if match["b"] is None:
        return Quantity((Amount(first, unit),), first.start, match.end())
    second = _parse_number(match, "b", vocabulary)
    if second is None:
        return None
    return Quantity((Amount(first, None), Amount(second, unit)), first.start, match.end())


def _parse_number(match: re.Match[str], name: str, vocabulary: DoseVocabulary) -> Number | None:
    digits = match[f"{name}digits"]
    try:
        value = Decimal(digits.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern only admits decimals
        return None
    word = match[f"{name}word"]
    if word:
        value *= dict(vocabulary.number_words)[word]
    exponent = match[f"{name}exp"] or match[f"{name}sup"]
    if exponent:
        value *= Decimal(10) ** int(exponent.translate(_SUPERSCRIPTS).replace("−", "-"))
    return Number(
        text=match[name],
        value=value,
        start=match.start(name),
        end=match.end(name),
        digits_end=match.end(f"{name}digits"),
    )
