"""What stands next to a dose: abbreviations in the words around it, a symbol before it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from validator.content_model.vocabulary import Designation
from validator.facts.doses.model import Quantity

_WORD = re.compile(r"\S+")
_LEADING = "([{\"'“‘"
_TRAILING = ",;:)]}\"'”’!?"
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*$")
WORDS_AFTER = 3
WORDS_BEFORE = 2
_REACH = 120  # characters either side that hold those words
# The words after a quantity that are looked at: WORDS_AFTER, the one each may form a
# two-word spelling with, and the punctuation that may stick to the unit ("10 mg.").
_WORDS_READ = WORDS_AFTER + 2


@dataclass(frozen=True)
class Mention:
    designation: Designation
    written: str  # as the text has it, from ``start`` to ``end``
    start: int
    end: int
    spelling: str = ""  # the designation's spelling it was read as, when not ``written``

    @property
    def spelled(self) -> str:
        return self.spelling or self.written


def _lookup(token: str, start: int, table: Mapping[str, Designation], spellings: frozenset[str]) -> Mention | None:
    """The designation a token is, once wrapping punctuation and a full stop are removed
    ("(QD).", "qd,", "q.d." and "q.d.)." all count, and "q.d," as "q.d.")."""
    found = _spelling_in(token, spellings)
    if found is None:
        return None
    begin, candidate, width = found
    written = token[begin : begin + width]
    spelling = "" if written == candidate else candidate
    return Mention(table[candidate], written, start + begin, start + begin + width, spelling)


@lru_cache(maxsize=4096)  # the words around doses repeat from page to page
def _spelling_in(token: str, spellings: frozenset[str]) -> tuple[int, str, int] | None:
    """Where in ``token`` the spelling it is starts, the spelling, and how many of the
    token's characters it covers: "q.d," is read as "q.d." but covers only "q.d"."""
    begin = len(token) - len(token.lstrip(_LEADING))
    core = token[begin:].rstrip(_TRAILING)
    bare = token[begin:].rstrip(_TRAILING + ".")
    candidates = [(core, len(core))]
    if core.endswith("."):
        candidates.append((core[:-1], len(core) - 1))  # "qd." ending a sentence
    candidates += [(bare, len(bare)), (bare + ".", len(bare))]  # "q.d," read as "q.d."
    for candidate, width in candidates:
        if candidate and candidate in spellings:
            return begin, candidate, width
    return None


class DesignationTable(dict[str, Designation]):
    """Each written form of some designations, and a pattern that finds any of them, so
    that the words around a dose are split only when one may be there."""

    def __init__(self, designations: Sequence[Designation]) -> None:
        super().__init__((written, entry) for entry in designations for written in entry.written)
        self.pattern = re.compile(_any_of(self)) if self else None
        self.spellings = frozenset(self)  # hashed once: a key of the caches below
        # Spellings that count only right next to a dose ("10 mg OD", not "for AD").
        self.adjacent = frozenset(written for entry in designations if entry.adjacent for written in entry.written)

    def maybe_in(self, text: str, start: int, end: int) -> bool:
        return self.pattern is not None and self.pattern.search(text, start, end) is not None


def _any_of(spellings: Iterable[str]) -> str:
    """A pattern that finds any of ``spellings``: one branch per first character, so that at
    each place only the spellings that start with its character are tried."""
    branches: dict[str, list[str]] = {}
    for spelling in sorted(spellings, key=len, reverse=True):
        branches.setdefault(spelling[:1], []).append(re.escape(spelling[1:]))
    return "|".join(f"{re.escape(first)}(?:{'|'.join(rests)})" for first, rests in branches.items())


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
    edge is the quantity itself, which no word crosses). After a quantity, only the first
    ``_WORDS_READ`` words: the far edge cuts none of them when there are more."""
    found = _WORD.finditer(text, start, end)
    words = [
        (match.start(), match.end(), match.group())
        for match in (found if cut_start else islice(found, _WORDS_READ + 1))
    ]
    if not cut_start and len(words) > _WORDS_READ:
        return words
    if cut_start and words and words[0][0] == start and start > 0 and not text[start - 1].isspace():
        words = words[1:]
    if not cut_start and words and words[-1][1] == end and end < len(text) and not text[end].isspace():
        words = words[:-1]
    return words


@lru_cache(maxsize=4096)
def _ends_sentence(token: str, spellings: frozenset[str]) -> bool:
    """Whether a sentence ends with this word ("mg.", "AD."), unless its dots are those of a
    dotted abbreviation ("q.d.")."""
    core = token.lstrip(_LEADING).rstrip(_TRAILING)
    return bool(_SENTENCE_END.search(token)) and core not in spellings


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
    spellings = table.spellings if isinstance(table, DesignationTable) else frozenset(table)
    # Only a few words either side matter; a long paragraph is not split into words each time.
    after = _window(text, quantity.end, reach_end, cut_start=False)
    before = _window(text, reach_start, quantity.start, cut_start=True)[::-1]
    if after and after[0][0] == quantity.end:  # punctuation stuck to the unit: "10 mg." or "10 mg),"
        if _ends_sentence(after[0][2], spellings):
            after = []
        else:
            after = after[1:] if _spelling_in(after[0][2], spellings) is None else after
    for distance, (start, _end, token) in enumerate(after[:WORDS_AFTER]):
        mention = _two_words(text, after, distance, table, spellings) or _lookup(token, start, table, spellings)
        if mention is not None and (distance == 0 or mention.spelled not in adjacent or _glossed(text, mention)):
            yield mention
        if _ends_sentence(token, spellings):
            break
    for distance, (start, _end, token) in enumerate(before[:WORDS_BEFORE]):
        if _ends_sentence(token, spellings):
            break  # the previous sentence
        mention = _two_words(text, before, distance, table, spellings) or _lookup(token, start, table, spellings)
        if mention is not None and (distance == 0 or mention.spelled not in adjacent or _glossed(text, mention)):
            yield mention


def _glossed(text: str, mention: Mention) -> bool:
    """Written alone in parentheses, "once daily (OD)": an abbreviation, not a word."""
    return text[mention.start - 1 : mention.start] == "(" and text[mention.end : mention.end + 1] == ")"


def _two_words(
    text: str, side: list[tuple[int, int, str]], index: int, table: Mapping[str, Designation], spellings: frozenset[str]
) -> Mention | None:
    """A two-word spelling such as "sub q", read in text order."""
    if index + 1 >= len(side):
        return None
    first, second = sorted((side[index], side[index + 1]))
    if text[first[1] : second[0]] != " ":
        return None
    return _lookup(f"{first[2]} {second[2]}", first[0], table, spellings)


def symbol_before(text: str, quantity: Quantity, symbols: Sequence[Designation]) -> Mention | None:
    """A comparison symbol right before the quantity (">10 mg", "< 5 mL")."""
    end = quantity.start  # of the text before it, without the spaces that end it
    while end > 0 and text[end - 1] in " \u00a0\u2009\u202f":
        end -= 1
    for entry in symbols:
        for written in _longest_first(entry.written):
            if text.endswith(written, 0, end):
                start = end - len(written)
                if start > 0 and text[start - 1] in "-=<>":
                    continue  # an arrow or another operator ("->", "=>")
                return Mention(entry, written, start, end)
    return None


@lru_cache(maxsize=64)
def _longest_first(spellings: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(spellings, key=len, reverse=True))


@dataclass(frozen=True)
class PrefixedUnits:
    """Finds units written before their number, in the apothecary order ("gr v", "ʒ 1")."""

    table: dict[str, Designation]
    # One pattern for the spellings that start with each character: a pattern that starts
    # with a literal is searched many times faster than one that starts with a choice of them.
    patterns: tuple[re.Pattern[str], ...]

    def anywhere(self, text: str) -> bool:
        """A cheap test of a whole page before looking at each piece of prose."""
        return next(self.mentions(text), None) is not None

    def mentions(self, text: str) -> Iterator[Mention]:
        for match in _leftmost(self.patterns, text):
            start = match.start("unit")
            # Not inside a word ("program 5"); checked here, as a look-behind in the pattern
            # would make it five times slower on pages without any such unit.
            if start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "_"):
                yield Mention(self.table[match["unit"]], match["unit"], start, match.end("unit"))


def _leftmost(patterns: Sequence[re.Pattern[str]], text: str) -> Iterator[re.Match[str]]:
    """The matches ``finditer`` would give for the alternation of ``patterns``, which never
    match at the same place (each holds the spellings that start with one character)."""
    pending = [pattern.search(text) for pattern in patterns]
    while True:
        found = min((match for match in pending if match is not None), key=lambda match: match.start(), default=None)
        if found is None:
            return
        yield found
        end = found.end()
        for index, match in enumerate(pending):
            if match is not None and match.start() < end:
                pending[index] = patterns[index].search(text, end)


@lru_cache(maxsize=8)
def prefixed_units(designations: tuple[Designation, ...]) -> PrefixedUnits:
    table = {spelling: entry for entry in designations for spelling in entry.before_number}
    groups: dict[str, list[str]] = {}
    for spelling in sorted(table, key=len, reverse=True):
        groups.setdefault(spelling[:1], []).append(spelling)
    if "" in groups:  # an empty spelling matches anywhere: keep a single pattern
        groups = {"": sorted(table, key=len, reverse=True)}
    return PrefixedUnits(table, tuple(_prefixed_pattern(spellings) for spellings in groups.values()))


def _prefixed_pattern(spellings: Sequence[str]) -> re.Pattern[str]:
    units = "|".join(re.escape(spelling) for spelling in spellings)
    # An Arabic number or a lower-case Roman one, with "ss" for a half ("gr iss").
    return re.compile(rf"(?P<unit>{units})[ \u00a0]?(?=(?:\d+(?:\.\d+)?|[ivxl]+(?:ss)?)\b)")
