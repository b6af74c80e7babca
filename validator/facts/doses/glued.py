"""What is glued to a dose: letters run into its number ("Inderal40 mg") and a full stop
after its unit symbol ("5 mg. twice daily", "5 mg.twice daily").

The scanner asks both to decide what a quantity is; the dose rules ask again to report them.
Which units are symbols, how many letters make a word and which words own their number
("CoQ10") come from the vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from validator.content_model.vocabulary import DoseVocabulary

# Letters glued to a number are read back at most this far: a longer run is not a name, and
# the walk stays bounded on a page of letters.
_LONGEST_NAME = 64
# What may follow the word after a full stop glued to it ("5 mg.twice daily"); anything else
# ("mg.kg-1", "mg.day⁻¹", "mg.i.v.") is a unit product or an abbreviation, not a sentence.
_WORD_END = ",;:!?)"


def letters_before(text: str, at: int, vocabulary: DoseVocabulary) -> str:
    """The word run into the number that starts at ``at`` ("Inderal" of "Inderal40 mg"), or ""
    when there is none: no letter there, a code too short to be a word ("B12", "x2"), a word
    whose number belongs to it ("CoQ10"), a unit ("mcg5 mL"), or letters after a digit."""
    minimum = vocabulary.run_in_min_letters
    if not minimum or at == 0 or not text[at - 1].isalpha():
        return ""
    start = at - 1
    while start > 0 and text[start - 1].isalpha():
        start -= 1
        if at - start > _LONGEST_NAME:
            return ""
    if start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
        return ""  # "5HTP40": letters inside a code that holds digits
    word = text[start:at]
    if len(word) < minimum or word.casefold() in vocabulary.run_in_exceptions or word in _spellings(vocabulary):
        return ""
    return word


@lru_cache(maxsize=8)  # by the vocabulary, compared by identity
def _spellings(vocabulary: DoseVocabulary) -> frozenset[str]:
    return frozenset(vocabulary.unit_spellings)


@dataclass(frozen=True)
class FullStop:
    """A full stop after a unit symbol, in a sentence that goes on."""

    at: int  # the '.'
    gap: int  # how much whitespace follows it: 0 in "5 mg.twice daily"
    digit: bool  # what follows is a number ("10 mg. 2 hours later"), maybe a new sentence
    plain_word: bool  # what follows is a lower-case word and then a space or punctuation


def full_stop(text: str, at: int, unit: str, vocabulary: DoseVocabulary) -> FullStop | None:
    """The full stop at ``at``, right after the unit written ``unit`` (the last denominator of
    "mg/kg"), when the sentence goes on after it: a lower-case word or a digit follows, after
    optional whitespace. A word with a capital ("hCG", "pH") may start a sentence: no full stop."""
    if text[at : at + 1] != "." or not vocabulary.is_abbreviation(unit):
        return None
    after = at + 1
    while after < len(text) and text[after].isspace():
        after += 1
    gap = after - at - 1
    first = text[after : after + 1]
    if first.isdecimal():
        return FullStop(at, gap, digit=True, plain_word=False) if gap else None
    if not (first.isalpha() and first.islower()):
        return None
    end = after
    while end < len(text) and text[end].isalpha():
        end += 1
    word, follows = text[after:end], text[end : end + 1]
    if any(char.isupper() for char in word):
        return None
    plain = not follows or follows.isspace() or follows in _WORD_END
    if not gap and (not plain or word in _spellings(vocabulary)):
        return None  # "mg.kg-1", "mg.i.v.", "mg.mL": not a full stop
    return FullStop(at, gap, digit=False, plain_word=plain)
