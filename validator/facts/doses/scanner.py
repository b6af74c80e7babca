"""Find dose expressions in prose and parse them into Quantity values.

The scanner knows the shape of numbers, ranges, gaps and denominators; which words are
units comes from the content model's vocabulary. Spans are relative to the text given.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from validator.content_model.vocabulary import DoseVocabulary
from validator.facts.doses.glued import full_stop, letters_before
from validator.facts.doses.model import Amount, Number, Quantity, UnitMention
from validator.parse.digits import digit_offsets

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


@lru_cache(maxsize=32)
def _pattern(vocabulary: DoseVocabulary, run_in: bool = False, strict: bool = False) -> re.Pattern[str]:
    """The quantity pattern. ``run_in``: for a number run into a word ("Inderal40 mg"), which
    ``letters_before`` has checked. ``strict``: no full stop glued to a word after the unit."""
    spellings = sorted(vocabulary.unit_spellings, key=len, reverse=True)
    units = "|".join(re.escape(unit).replace(r"\ ", f"{GAP}+") for unit in spellings)
    words = "|".join(re.escape(word) for word, _ in vocabulary.number_words)
    return re.compile(
        # Not inside a word or another number ("B12", "CYP3A4", the "5" of "1.5").
        ("" if run_in else r"(?<![\w.,])") + rf"{_number('a', words)}"
        rf"(?:(?P<join>{_JOIN}){_number('b', words)})?"
        rf"(?P<gap>{GAP}*)"
        rf"(?P<unit>{units})"
        # A denominator starts with a letter: "250mg/5ml" is two quantities.
        r"(?P<per>(?:/[^\W\d_][^\W_]*){0,3})"
        # Not followed by a letter or digit ("5 grams", "10 units2"), nor by a dot and a
        # letter ("5 U.S. states"), unless (not strict) the dot is a stray full stop, which
        # _checked decides ("5 mg.twice daily").
         + (r"(?![\w%]|\.\w)" if strict else r"(?![\w%]|\.[\d_])")
    )


@lru_cache(maxsize=8)
def _join_pattern() -> re.Pattern[str]:
    return re.compile(rf"^{_JOIN}$")


def scan(text: str, vocabulary: DoseVocabulary) -> Iterator[Quantity]:
    """Yield the quantities in ``text`` left to right; "5 mg to 10 mg" is one quantity."""
    for _, quantity in _scan(text, (text,), vocabulary):
        yield quantity


# Joins the texts that ``scan_texts`` reads in one pass. Nothing in the pattern outside the
# vocabulary's spellings matches it, and its look-arounds treat it as the end of a text.
_SEPARATOR = "\n"


def scan_texts(texts: Sequence[str], vocabulary: DoseVocabulary) -> Iterator[tuple[int, Quantity]]:
    """The quantities of several texts (a page's prose), found in one pass over them all:
    (index into ``texts``, a quantity with offsets into that text), in order."""
    joined = _SEPARATOR.join(texts)
    if joined.count(_SEPARATOR) == len(texts) - 1 and _separates(vocabulary):
        yield from _scan(joined, texts, vocabulary)
        return
    for index, text in enumerate(texts):  # a text (or a spelling) holds the separator
        yield from ((index, quantity) for quantity in scan(text, vocabulary))


def _scan(text: str, parts: Sequence[str], vocabulary: DoseVocabulary) -> Iterator[tuple[int, Quantity]]:
    """The quantities in ``text``, ``parts`` joined by the separator, by part."""
    index, base, counted = 0, 0, 0  # the part a match is in, where it starts, how far counted
    previous: Quantity | None = None  # the part's last quantity, not yet yielded
    for match in _matches(text, vocabulary):
        if len(parts) > 1 and (skipped := text.count(_SEPARATOR, counted, match.start())):
            if previous is not None:
                yield index, previous
            index, base, previous = index + skipped, text.rfind(_SEPARATOR, 0, match.start()) + 1, None
        counted = match.start()
        quantity = _quantity(match, vocabulary, base)
        if quantity is None:
            continue
        if previous is not None and _same_range(parts[index], previous, quantity):
            previous = Quantity(previous.amounts + quantity.amounts, previous.start, quantity.end, previous.lead)
            continue
        if previous is not None:
            yield index, previous
        previous = quantity
    if previous is not None:
        yield index, previous


@lru_cache(maxsize=8)
def _separates(vocabulary: DoseVocabulary) -> bool:
    """Whether no spelling holds the separator, so that no match can run across it."""
    words = (*vocabulary.unit_spellings, *(word for word, _ in vocabulary.number_words))
    return not any(_SEPARATOR in word for word in words)


def _matches(text: str, vocabulary: DoseVocabulary) -> Iterator[re.Match[str]]:
    """What ``finditer`` would yield, trying the pattern only where a number may start: at
    the first digit of a run, or at a point right before it (".5 mg"). Led by a look-behind,
    the pattern is slow to try at every character of prose that holds few digits. A number
    run into a word ("Inderal40 mg") is tried only when ``letters_before`` finds one."""
    pattern = _pattern(vocabulary)
    position = 0
    for start in _digit_runs(text):
        if start < position:
            continue
        found = pattern.match(text, start - 1) if start > position and text[start - 1] == "." else None
        found = found or pattern.match(text, start)
        if found is None:
            if start > position and text[start - 1].isalpha() and letters_before(text, start, vocabulary):
                found = _checked(_pattern(vocabulary, run_in=True).match(text, start), vocabulary, run_in=True)
        elif text.startswith(".", found.end()):
            found = _checked(found, vocabulary)
        if found is not None:
            yield found
            position = found.end()


def _checked(found: re.Match[str] | None, vocabulary: DoseVocabulary, run_in: bool = False) -> re.Match[str] | None:
    """A match of the pattern, or what the strict pattern finds instead. A dot glued to a word
    after the unit is let through by the pattern, and kept only when it is a stray full stop
    after a unit symbol ("5 mg.twice"); else ("5 U.S.", "5 mg/day.then") the strict pattern
    decides, at the same place, as if the other were never tried."""
    if found is None:
        return None
    text, end = found.string, found.end()
    if not (text.startswith(".", end) and text[end + 1 : end + 2].isalpha()):
        return found
    if full_stop(text, end, _last_unit(found), vocabulary) is not None:
        return found
    return _pattern(vocabulary, run_in, strict=True).match(text, found.start())


def _last_unit(match: re.Match[str]) -> str:
    """The unit written last: the last denominator of "mg/kg", else the unit."""
    return match["per"].rsplit("/", 1)[-1] if match["per"] else match["unit"]


def _digit_runs(text: str) -> list[int]:
    """Where each run of digits in ``text`` starts."""
    digits = sorted(digit_offsets(text))
    return [at for index, at in enumerate(digits) if index == 0 or digits[index - 1] != at - 1]


def _same_range(text: str, first: Quantity, second: Quantity) -> bool:
    between = text[first.end : second.start]
    return (
        not first.is_range
        and not second.is_range
        and not second.lead
        and bool(_join_pattern().match(between))
        and first.unit.text == second.unit.text
    )


def _quantity(match: re.Match[str], vocabulary: DoseVocabulary, base: int) -> Quantity | None:
    """The quantity a match spells, with offsets from ``base``."""
    first = _parse_number(match, "a", vocabulary, base)
    if first is None:
        return None
    per = match["per"]
    unit = UnitMention(
        text=match["unit"],
        start=match.start("unit") - base,
        end=match.end("unit") - base,
        per=tuple(per.split("/")[1:]),
    )
    at = match.start()
    lead = letters_before(match.string, at, vocabulary) if at and match.string[at - 1].isalpha() else ""
    if match["b"] is None:
        return Quantity((Amount(first, unit),), first.start, match.end() - base, lead)
    second = _parse_number(match, "b", vocabulary, base)
    if second is None:
        return None
    return Quantity((Amount(first, None), Amount(second, unit)), first.start, match.end() - base, lead)


def _parse_number(match: re.Match[str], name: str, vocabulary: DoseVocabulary, base: int) -> Number | None:
    digits = match[f"{name}digits"]
    try:
        value = _decimal(digits)
    except InvalidOperation:  # pragma: no cover - the pattern only admits decimals
        return None
    group = f"{name}word"
    word = match[group] if group in match.re.groupindex else None  # none without number words
    if word:
        value *= dict(vocabulary.number_words)[word]
    exponent = match[f"{name}exp"] or match[f"{name}sup"]
    if exponent:
        value *= Decimal(10) ** int(exponent.translate(_SUPERSCRIPTS).replace("−", "-"))
    return Number(
        text=match[name],
        value=value,
        start=match.start(name) - base,
        end=match.end(name) - base,
        digits_end=match.end(f"{name}digits") - base,
    )


@lru_cache(maxsize=4096)
def _decimal(digits: str) -> Decimal:
    """The value of digits as written ("1,000"); Decimals are immutable, so a page that
    repeats a number shares one."""
    return Decimal(digits.replace(",", ""))
