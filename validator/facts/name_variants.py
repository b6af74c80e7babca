"""Near spellings of the page's own drug names: the words of a page one or two edits away from
a word of its title or generic-name line, with the spellings that are not slips filtered out.

Only letters count: a word is a run of letters. Precision matters more than recall, since real
different drugs and words are one or two edits apart (predniSONE and prednisoLONE, lactase and
lactose, injection and infection): a pair counts only when

* both words start alike: the first three letters, or the first letters after swapping two
  neighbours (a typing slip: "Pesudoephedrine");
* both end alike: the last four letters (words of one stem differ at the end: "pancreatin" and
  "pancreatic", "nitrite" and "nitrate");
* neither holds the other ("bicarbonate", "carbonate"; "l-methylfolate");
* they are not two spellings of one word (ae/e, oe/e, ph/f, y/i, a silent h: "sulphate",
  "gonadotrophin");
* the shorter has nine letters or more for two edits, else one edit is the most.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

WORD = re.compile(r"[^\W\d_]+")
_VARIANT_SPELLINGS = (("ae", "e"), ("oe", "e"), ("y", "i"))


def words_ending_like(lowered: str, reference: str, start: int = 0) -> set[str]:
    """The words of ``lowered`` (lower-case text) from ``start`` on that end in the last four
    letters of ``reference``, start with its first letter and are at most two letters longer or
    shorter: the only words that can be its slips (see ``slip``). A few searches for a literal,
    instead of reading every word."""
    ending, first = reference[-4:], reference[:1]
    found: set[str] = set()
    if lowered.count(ending, start) == lowered.count(reference, start):
        return found  # the ending is only ever the reference's own
    longest = len(reference) + 2
    at = lowered.find(ending, start)
    while at >= 0:
        end = at + len(ending)
        if end == len(lowered) or not lowered[end].isalpha():
            begin, limit = at, max(start, end - longest - 1)
            while begin > limit and lowered[begin - 1].isalpha():
                begin -= 1
            word = lowered[begin:end]
            if (
                word.startswith(first)
                and len(word) >= len(reference) - 2
                and (begin == start or not lowered[begin - 1].isalpha())
                and not _prefixed(lowered, begin, start)
            ):
                found.add(word)
        at = lowered.find(ending, at + 1)
    return found


def _prefixed(lowered: str, begin: int, start: int) -> bool:
    """Whether the word at ``begin`` has a two-letter prefix joined by a hyphen ("co-careldopa",
    the British name of carbidopa with levodopa): with it, the word is another name, not a slip
    of the page's own. A one-letter prefix is a chemical descriptor ("L-methionine"): the word
    after it is still the name."""
    if begin - start < 2 or lowered[begin - 1] != "-":
        return False
    letters = begin - 1
    while letters > start and lowered[letters - 1].isalpha():
        letters -= 1
    return begin - 1 - letters == 2 and (letters == start or not lowered[letters - 1].isalnum())


def near_words(reference: str, words: Iterable[str], min_length: int) -> list[str]:
    """The folded ``words`` that look like slips of the folded ``reference``."""
    from rapidfuzz.distance import OSA
    from rapidfuzz.process import extract

    if len(reference) < min_length:
        return []
    choices = [
        word
        for word in words
        if word != reference and word[:1] == reference[:1] and abs(len(word) - len(reference)) <= 2
    ]
    if not choices:
        return []
    found = extract(reference, choices, scorer=OSA.distance, score_cutoff=2, limit=None)
    return [word for word, distance, _ in found if distance >= 1 and slip(reference, word, int(distance))]


def slip(one: str, other: str, distance: int) -> bool:
    """Whether two folded words ``distance`` edits apart look like one word mistyped."""
    shorter = min(len(one), len(other))
    if distance > (2 if shorter >= 9 else 1):
        return False
    if one in other or other in one:
        return False
    if one[-4:] != other[-4:]:
        return False
    if one[:3] != other[:3] and not _swapped_start(one, other):
        return False
    return _normal(one) != _normal(other)


def _swapped_start(one: str, other: str) -> bool:
    """Whether the words differ only by two neighbouring letters swapped."""
    if len(one) != len(other):
        return False
    apart = [index for index, (a, b) in enumerate(zip(one, other, strict=True)) if a != b]
    return len(apart) == 2 and apart[1] == apart[0] + 1 and one[apart[0]] == other[apart[1]]


def _normal(word: str) -> str:
    for written, read in _VARIANT_SPELLINGS:
        word = word.replace(written, read)
    # "ph" and "f" are one sound; a silent h ("trophin", "tropin") is no slip either.
    return word.replace("ph", "f").replace("h", "")
