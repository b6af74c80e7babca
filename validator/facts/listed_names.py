"""Names as pages write them, made comparable across pages: a title's key, and the names a
generic-name line lists ("Abacavir (as sulfate) + Lamivudine")."""

from __future__ import annotations

import re
import unicodedata


def title_key(text: str) -> str:
    """A title as pages are compared by it: NFKC, case folded, runs of whitespace one space."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def outside_parentheses(text: str) -> str:
    """``text`` with each parenthesised part (and one left open, to the end) blanked out, so
    that offsets still match: separators and colons inside a remark do not count."""
    chars = []
    depth = 0
    for char in text:
        if char == "(":
            depth += 1
        chars.append(char if depth == 0 else "\0")
        if char == ")" and depth:
            depth -= 1
    return "".join(chars)


def listed_names(text: str, separators: re.Pattern[str]) -> tuple[str, ...]:
    """The names a line lists: split at ``separators`` outside parentheses (a remark in them
    stays with its name), after a lead-in that ends in a colon ("The components are: A, B")."""
    masked = outside_parentheses(text)
    colon = masked.rfind(":")
    if colon >= 0:
        text, masked = text[colon + 1 :], masked[colon + 1 :]
    names, last = [], 0
    for match in separators.finditer(masked):
        if match.end() > match.start():
            names.append(text[last : match.start()])
            last = match.end()
    names.append(text[last:])
    return tuple(name.strip() for name in names if name.strip())
