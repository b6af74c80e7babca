"""What stands next to a dose: abbreviations in the words around it, a symbol before it."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .model import Quantity
from .vocabulary import Designation

_WORD = re.compile(r"\S+")
_LEADING = "([{\"'“‘"
_TRAILING = ",;:)]}\"'”’!?"
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*$")
WORDS_AFTER = 3
WORDS_BEFORE = 2
_REACH = 120  # characters either side that hold those words


@dataclass(frozen=True)
class Mention:
    designation: Designation
    written: str
    start: int
    end: int


def _lookup(token: str, start: int, table: Mapping[str, Designation]) -> Mention | None:
    """The designation a token is, once wrapping punctuation and a full stop are removed
    ("(QD).", "qd,", "q.d." and "q.d.)." all count)."""
    begin = len(token) - len(token.lstrip(_LEADING))
    core = token[begin:].rstrip(_TRAILING)
    bare = token[begin:].rstrip(_TRAILING + ".")
    for candidate in (core, core[:-1] if core.endswith(".") else None, bare, bare + "."):
        if candidate and candidate in table:
            return Mention(table[candidate], candidate, start + begin, start + begin + len(candidate))
    return None


class DesignationTable(dict[str, Designation]):
    """Each written form of some designations, and a pattern that finds any of them, so
    that the words around a dose are split only when one may be there."""

    def __init__(self, designations: Sequence[Designation]) -> None:
        super().__init__((written, entry) for entry in designations for written in entry.written)
        spellings = sorted(self, key=len, reverse=True)
        self.pattern = re.compile("|".join(re.escape(spelling) for spelling in spellings)) if spellings else None

    def maybe_in(self, text: str, start: int, end: int) -> bool:
        return self.pattern is not None and self.pattern.search(text, start, end) is not None


_TABLES: dict[int, tuple[Sequence[Designation], DesignationTable]] = {}


def designation_table(designations: Sequence[Designation]) -> DesignationTable:
    """The table of a vocabulary's designations, built once (keyed by identity: hashing the
    designations on every page cost more than the lookups)."""
    cached = _TABLES.get(id(designations))
    if cached is None or cached[0] is not designations:
        cached = (designations, DesignationTable(designations))
        _TABLES[id(designations)] = cached
    return cached[1]


def _window(text: str, start: int, end: int, cut_start: bool) -> list[tuple[int, int, str]]:
    """Whole words between two offsets; a word cut by the far edge is left out (the near
    edge is the quantity itself, which no word crosses)."""
    words = [(match.start(), match.end(), match.group()) for match in _WORD.finditer(text, start, end)]
    if cut_start and words and words[0][0] == start and start > 0 and not text[start - 1].isspace():
        words = words[1:]
    if not cut_start and words and words[-1][1] == end and end < len(text) and not text[end].isspace():
        words = words[:-1]
    return words


def _ends_sentence(token: str, table: Mapping[str, Designation]) -> bool:
    """Whether a sentence ends with this word ("mg.", "AD."), unless its dots are those of a
    dotted abbreviation ("q.d.")."""
    core = token.lstrip(_LEADING).rstrip(_TRAILING)
    return bool(_SENTENCE_END.search(token)) and core not in table


def nearby_designations(
    text: str, quantity: Quantity, table: Mapping[str, Designation], adjacent: frozenset[str] = frozenset()
) -> Iterator[Mention]:
    """Designations written within a few words after or before ``quantity``, in the same
    sentence. Spellings in ``adjacent`` count only right next to it ("10 mg OD", not "for AD")."""
    reach_start, reach_end = max(0, quantity.start - _REACH), min(len(text), quantity.end + _REACH)
    if isinstance(table, DesignationTable) and not table.maybe_in(text, reach_start, reach_end):
        return  # the common case: nothing that could be a designation is anywhere near
    if not table:
        return
    # Only a few words either side matter; a long paragraph is not split into words each time.
    after = _window(text, quantity.end, reach_end, cut_start=False)
    before = _window(text, reach_start, quantity.start, cut_start=True)[::-1]
    if after and after[0][0] == quantity.end:  # punctuation stuck to the unit: "10 mg." or "10 mg),"
        if _ends_sentence(after[0][2], table):
            after = []
        else:
            after = after[1:] if _lookup(after[0][2], after[0][0], table) is None else after
    for distance, (start, _end, token) in enumerate(after[:WORDS_AFTER]):
        mention = _two_words(text, after, distance, table) or _lookup(token, start, table)
        if mention is not None and (distance == 0 or mention.written not in adjacent or _glossed(text, mention)):
            yield mention
        if _ends_sentence(token, table):
            break
    for distance, (start, _end, token) in enumerate(before[:WORDS_BEFORE]):
        if _ends_sentence(token, table):
            break  # the previous sentence
        mention = _two_words(text, before, distance, table) or _lookup(token, start, table)
        if mention is not None and (distance == 0 or mention.written not in adjacent or _glossed(text, mention)):
            yield mention


def _glossed(text: str, mention: Mention) -> bool:
    """Written alone in parentheses, "once daily (OD)": an abbreviation, not a word."""
    return text[mention.start - 1 : mention.start] == "(" and text[mention.end : mention.end + 1] == ")"


def _two_words(
    text: str, side: list[tuple[int, int, str]], index: int, table: Mapping[str, Designation]
) -> Mention | None:
    """A two-word spelling such as "sub q", read in text order."""
    if index + 1 >= len(side):
        return None
    first, second = sorted((side[index], side[index + 1]))
    joined = f"{first[2]} {second[2]}"
    if text[first[1] : second[0]] != " ":
        return None
    return _lookup(joined, first[0], table)


def symbol_before(text: str, quantity: Quantity, symbols: Sequence[Designation]) -> Mention | None:
    """A comparison symbol right before the quantity (">10 mg", "< 5 mL")."""
    head = text[: quantity.start].rstrip(" \u00a0\u2009\u202f")
    for entry in symbols:
        for written in sorted(entry.written, key=len, reverse=True):
            if head.endswith(written):
                start = len(head) - len(written)
                if start > 0 and head[start - 1] in "-=<>":
                    continue  # an arrow or another operator ("->", "=>")
                return Mention(entry, written, start, len(head))
    return None


@dataclass(frozen=True)
class PrefixedUnits:
    """Finds units written before their number, in the apothecary order ("gr v", "ʒ 1")."""

    table: dict[str, Designation]
    pattern: re.Pattern[str] | None

    def anywhere(self, text: str) -> bool:
        """A cheap test of a whole page before looking at each piece of prose."""
        return next(self.mentions(text), None) is not None

    def mentions(self, text: str) -> Iterator[Mention]:
        if self.pattern is None:
            return
        for match in self.pattern.finditer(text):
            start = match.start("unit")
            # Not inside a word ("program 5"); checked here, as a look-behind in the pattern
            # would make it five times slower on pages without any such unit.
            if start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "_"):
                yield Mention(self.table[match["unit"]], match["unit"], start, match.end("unit"))


@lru_cache(maxsize=8)
def prefixed_units(designations: tuple[Designation, ...]) -> PrefixedUnits:
    table = {spelling: entry for entry in designations for spelling in entry.before_number}
    if not table:
        return PrefixedUnits(table, None)
    units = "|".join(re.escape(spelling) for spelling in sorted(table, key=len, reverse=True))
    # An Arabic number or a lower-case Roman one, with "ss" for a half ("gr iss").
    pattern = re.compile(rf"(?P<unit>{units})[ \u00a0]?(?=(?:\d+(?:\.\d+)?|[ivxl]+(?:ss)?)\b)")
    return PrefixedUnits(table, pattern)
