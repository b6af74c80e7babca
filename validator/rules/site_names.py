"""How combination-name-mismatch compares drug names written on different pages."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from validator.facts.listed_names import outside_parentheses

_PARENTHESISED = re.compile(r"\(([^()]*)")


def _alternatives(name: str) -> list[str]:
    """A name and the names its parenthesised remarks give ('Vitamin B6 (Pyridoxine)')."""
    return [outside(name), *_PARENTHESISED.findall(name)]


def _letters(text: str) -> str:
    """Only letters and digits, case-folded: 'Alpha-Lipoic Acid' is 'Alpha Lipoic Acid'."""
    return "".join(char for char in unicodedata.normalize("NFKC", text).casefold() if char.isalnum())


@lru_cache(maxsize=8192)  # a site names each drug on many pages: work each name out once
def _forms(name: str) -> tuple[str, ...]:
    return tuple(form for form in map(_letters, _alternatives(name)) if form)


def agree(one: str, other: str) -> bool:
    """Whether two names name the same drug: one of them, or of the names in their
    parentheses, starts with the other, letters and digits alone compared. The start
    allows a salt or a form after the name ('Beclometasone Dipropionate', 'Capsaicin
    Topical Gel'); 'Vitamin B6' and 'Vitamin B Complex' do not agree."""
    seconds = _forms(other)
    return any(first.startswith(second) or second.startswith(first) for first in _forms(one) for second in seconds)


def outside(name: str) -> str:
    """The name without its parenthesised remarks."""
    masked = outside_parentheses(name)
    return " ".join("".join(char for char, kept in zip(name, masked, strict=True) if kept != "\0").split())


def lists_components(components: tuple[str, ...], listed: tuple[str, ...]) -> bool:
    """Whether a generic-name line's names list a combination's components: as many names as
    the title has components (two or more), more than half of them as the title names them
    (not a sentence that happens to hold as many commas)."""
    count = len(components)
    if count < 2 or len(listed) != count:
        return False
    named = sum(any(agree(name, component) for component in components) for name in listed)
    return named * 2 > count
