"""What a number after a comparison symbol measures: its scope ("an age", "a dose"), read
from what the content model says may follow the number."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from validator.content_model.vocabulary import DOSE_SCOPE, ComparisonScope, Designation, DoseVocabulary
from validator.facts.doses.context import Mention
from validator.facts.doses.model import Quantity
from validator.facts.doses.scanner import GAP

_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_JOIN = r"[ \u00a0]*(?:-|\u2013|\u2014|to)[ \u00a0]*"
# After a spelling: not more of a word or number ("kgs", "in 100" for "in 10"), nor another
# denominator ("kg/day" is not "kg"); "mL/min/1.73 m²" is "mL/min".
_END = r"(?![^\W_]|%|/[^\W\d_])"
# A unit over a denominator ("mg/dL", "/mm³"): the denominator decides.
_PER = re.compile(rf"{GAP}*(?:[^\W\d_]+)?/(?P<per>[^\W\d_][^\W_]*)")


@dataclass(frozen=True)
class Comparisons:
    """A vocabulary's comparison symbols and scopes, compiled once."""

    compared_pattern: re.Pattern[str]  # a symbol and the number, or range, after it
    after: re.Pattern[str] | None  # any scope's spelling, at a number's end
    symbols: dict[str, Designation]  # each written symbol
    firsts: frozenset[str]  # the characters a symbol, or its character reference, starts with
    by_spelling: dict[str, ComparisonScope]  # casefolded
    by_per: dict[str, ComparisonScope]  # casefolded
    dose: ComparisonScope | None

    def maybe_in(self, text: str) -> bool:
        """A cheap test of a page, or a piece of its prose, before it is searched: whether a
        symbol's first character (or "&" of a character reference) is in it. Looking for a few
        characters is ten times faster than searching for a pattern."""
        return any(first in text for first in self.firsts)

    def scope_after(self, text: str, end: int) -> ComparisonScope | None:
        """The scope that what follows a number ending at ``end`` names, if any."""
        found = self.after.match(text, end) if self.after is not None else None
        if found is not None:  # "weeks  old" and "Weeks Old" are "weeks old"
            return self.by_spelling.get(" ".join(found["spelling"].split()).casefold())
        per = _PER.match(text, end)
        return self.by_per.get(per["per"].casefold()) if per is not None else None

    def scope_of(self, text: str, quantity: Quantity) -> ComparisonScope | None:
        """The scope of a dose quantity: what follows its (last) number, its denominator, or a dose."""
        scope = self.scope_after(text, quantity.numbers[-1].end)
        if scope is None and quantity.unit.per:
            scope = self.by_per.get(quantity.unit.per[0].casefold())
        return scope or self.dose

    def compared(self, text: str) -> Iterator[tuple[Mention, ComparisonScope]]:
        """Each symbol before a number whose scope what follows names ("<12 years"). Numbers
        that only a dose unit follows are left to ``scope_of``: the scanner knows them."""
        if not self.maybe_in(text):
            return
        for match in self.compared_pattern.finditer(text):
            start = match.start("symbol")
            if start and text[start - 1] in "-=<>":
                continue  # an arrow or another operator ("->", "=>"), as for symbol_before
            scope = self.scope_after(text, match.end("range") if match["range"] else match.end())
            if scope is not None:
                written = match["symbol"]
                yield Mention(self.symbols[written], written, match.start("symbol"), match.end("symbol")), scope


def _either(spellings: list[str]) -> str:
    return "|".join(re.escape(spelling) for spelling in sorted(spellings, key=len, reverse=True))


@lru_cache(maxsize=8)  # by the vocabulary, compared by identity
def comparisons(vocabulary: DoseVocabulary) -> Comparisons:
    symbols = {written: entry for entry in vocabulary.comparison_symbols for written in entry.written}
    by_spelling: dict[str, ComparisonScope] = {}
    by_per: dict[str, ComparisonScope] = {}
    for scope in vocabulary.comparison_scopes:  # an earlier scope keeps a spelling listed twice
        for spelling in scope.after:
            by_spelling.setdefault(spelling.casefold(), scope)
        for per in scope.per:
            by_per.setdefault(per.casefold(), scope)
    spellings = sorted({spelling for scope in vocabulary.comparison_scopes for spelling in scope.after})
    # Written with a space, a spelling matches any gap ("weeks old", "mm Hg").
    after = _either(spellings).replace(r"\ ", f"{GAP}+")
    symbol = _either(list(symbols)) or "(?!)"
    return Comparisons(
        # The number's scope is read after the range it may start ("≥30 to <60 mL/min"); the
        # match ends with the number, so that a symbol in the range is found too.
        compared_pattern=re.compile(
            rf"(?P<symbol>{symbol}){GAP}*(?:{_NUMBER})(?=(?P<range>{_JOIN}(?:(?:{symbol}){GAP}*)?(?:{_NUMBER}))?)"
        ),
        after=re.compile(rf"{GAP}*(?P<spelling>{after}){_END}", re.IGNORECASE) if spellings else None,
        symbols=symbols,
        firsts=frozenset({written[:1] for written in symbols} | {"&"}),
        by_spelling=by_spelling,
        by_per=by_per,
        dose=next((scope for scope in vocabulary.comparison_scopes if scope.id == DOSE_SCOPE), None),
    )
