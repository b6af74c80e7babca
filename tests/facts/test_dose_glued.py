"""What the scanner reads as glued to a dose (validator/facts/doses/glued.py): a word run into the
number ("Inderal40 mg") and a stray full stop after a unit symbol ("5 mg.twice"). The rules
built on them (MON412, MON413) are measured by the labelled suite, tests/doses/designations.yaml."""

from __future__ import annotations

from typing import Any

import pytest

from validator.content_model.load import load_content_model
from validator.content_model.vocabulary import DoseVocabulary, vocabulary_from_data
from validator.facts.doses import scan


@pytest.fixture(scope="module")
def vocabulary() -> DoseVocabulary:
    return load_content_model().doses


def _quantities(text: str, vocabulary: DoseVocabulary) -> list[tuple[str, str]]:
    return [(quantity.lead, text[quantity.start : quantity.end]) for quantity in scan(text, vocabulary)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Inderal40 mg to 80 mg", [("Inderal", "40 mg to 80 mg")]),  # a range keeps its lead
        ("Tegretol200mg", [("Tegretol", "200mg")]),
        ("B12 1000 mcg", [("", "1000 mcg")]),  # one letter: a code
        ("CoQ10 mg", []),  # listed: the number belongs to the word
        ("coq10 mg", []),  # listed words are compared ignoring case
        ("mcg5 mL", []),  # a unit spelling is not a name
        ("2x500 mg", []),  # letters after a digit belong to a code
        ("5 mg/day.then rest", [("", "5 mg")]),  # not a symbol: what the strict pattern finds
        ("5 mg/kg.then rest", [("", "5 mg/kg")]),  # a symbol: the full stop is a stray one
        ("5 mg.twice daily", [("", "5 mg")]),
        ("5 mg.Twice daily", []),
        ("5 mg.kg-1 daily", []),
        ("5 U.S. states", []),
        ("5 u.s. states", []),
    ],
)
def test_what_the_scanner_reads_as_glued(text: str, expected: list[tuple[str, str]], vocabulary: Any) -> None:
    assert _quantities(text, vocabulary) == expected


def test_a_long_run_of_letters_is_not_a_name(vocabulary: DoseVocabulary) -> None:
    """The walk back over letters is bounded: a 65-letter run is no name, and a page of
    letters with digits costs a bounded look at each."""
    assert _quantities("a" * 64 + "40 mg", vocabulary) == [("a" * 64, "40 mg")]
    assert _quantities("a" * 65 + "40 mg", vocabulary) == []
    assert _quantities(("b" * 200 + "4 mg ") * 2000, vocabulary) == []


def test_a_content_model_without_the_new_keys_finds_neither() -> None:
    """Both are opt-in data: without `run_in_names` no word is run into a dose, and without
    `abbreviation: true` no full stop glued to a word is let through."""
    doses: dict[str, Any] = {"units": [{"unit": "mg"}]}
    plain = vocabulary_from_data(doses)
    assert _quantities("Inderal40 mg", plain) == []
    assert _quantities("5 mg.twice daily", plain) == []
    marked = vocabulary_from_data(
        {"units": [{"unit": "mg", "abbreviation": True}], "run_in_names": {"min_letters": 3, "exceptions": ["Ab"]}}
    )
    assert _quantities("Inderal40 mg", marked) == [("Inderal", "40 mg")]
    assert _quantities("Abc40 mg", marked) == [("Abc", "40 mg")]
    assert _quantities("5 mg.twice daily", marked) == [("", "5 mg")]
