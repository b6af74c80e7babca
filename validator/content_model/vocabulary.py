"""The dose vocabulary of a content model: units, their error-prone spellings, and the
abbreviations and symbols that are error-prone next to a dose. Read from schemas/, never
written in code."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Unit:
    unit: str
    variants: tuple[str, ...] = ()  # other cases of the same unit ("ml" for "mL")
    spaced: bool = True  # written with a space after the number ("%" is not)
    abbreviation: bool = False  # a symbol that takes no full stop ("5 mg. daily")


@dataclass(frozen=True)
class Designation:
    """An error-prone way of writing something, with what to write instead."""

    written: tuple[str, ...]
    use: str
    reason: str
    safe: bool = False  # replacing it keeps the wording, so --fix may apply it
    adjacent: bool = False  # counts only right next to a dose ("10 mg OD", not "for AD")
    before_number: tuple[str, ...] = ()  # also written before the number ("gr v")


@dataclass(frozen=True)
class ComparisonScope:
    """What a number after a comparison symbol measures ("an age"), known by what follows it."""

    id: str
    report: bool  # whether a comparison symbol before such a number is reported
    label: str  # completes the message: "'<' before an age"
    after: tuple[str, ...] = ()  # spellings right after the number ("years", "mL/min")
    per: tuple[str, ...] = ()  # denominators ("dL" in "mg/dL")


DOSE_SCOPE = "dose"  # the scope of a dose quantity that no other scope claims
# A content model without comparison_scopes: every dose quantity is a dose, and is reported.
_DOSES_ONLY = (ComparisonScope(DOSE_SCOPE, True, "a dose"),)


@dataclass(frozen=True, eq=False)
class DoseVocabulary:
    """Compared by identity: it is built once per content model, and scanning caches its
    compiled pattern by it (hashing the whole vocabulary per prose run was a hot spot)."""

    units: tuple[Unit, ...]
    number_words: tuple[tuple[str, int], ...] = ()
    lab_denominators: tuple[str, ...] = ()
    max_per_page: int = 10_000  # the schema's default: dose expressions checked on one page
    error_prone: tuple[Designation, ...] = ()
    apothecary: tuple[Designation, ...] = ()
    abbreviations: tuple[Designation, ...] = ()
    latin_frequencies: tuple[Designation, ...] = ()
    comparison_symbols: tuple[Designation, ...] = ()
    comparison_scopes: tuple[ComparisonScope, ...] = _DOSES_ONLY  # the dose scope first
    # Letters run into a dose's number ("Inderal40 mg"): how many make a word, and the words
    # whose number belongs to them, casefolded ("coq" of CoQ10). 0: never a word.
    run_in_min_letters: int = 0
    run_in_exceptions: frozenset[str] = frozenset()
    _index: dict[str, tuple[str, Any]] = field(default_factory=dict, repr=False)

    @property
    def unit_spellings(self) -> tuple[str, ...]:
        """Every spelling the scanner must recognise after a number."""
        spellings: list[str] = []
        for unit in self.units:
            spellings += [unit.unit, *unit.variants]
        for entry in (*self.error_prone, *self.apothecary):
            spellings += entry.written
        return tuple(dict.fromkeys(spellings))

    def kind_of(self, spelling: str) -> tuple[str, Any]:
        """("unit", Unit), ("variant", Unit), ("error-prone", Designation) or
        ("apothecary", Designation) for a spelling the scanner found."""
        if not self._index:
            for unit in self.units:
                self._index.setdefault(unit.unit, ("unit", unit))
                for variant in unit.variants:
                    self._index.setdefault(variant, ("variant", unit))
            for kind, entries in (("error-prone", self.error_prone), ("apothecary", self.apothecary)):
                for entry in entries:
                    for written in entry.written:
                        self._index.setdefault(written, (kind, entry))
        return self._index.get(spelling, ("unknown", None))

    def is_abbreviation(self, spelling: str) -> bool:
        """Whether a spelling is a unit symbol that takes no full stop ("mg", "ml")."""
        kind, entry = self.kind_of(spelling)
        return kind in ("unit", "variant") and entry.abbreviation


def _designations(items: Any) -> tuple[Designation, ...]:
    return tuple(
        Designation(
            tuple(item["written"]),
            item["use"],
            item["reason"],
            item.get("safe", False),
            item.get("adjacent", False),
            tuple(item.get("before_number", ())),
        )
        for item in items or ()
    )


def vocabulary_from_data(doses: Mapping[str, Any]) -> DoseVocabulary:
    """Build the vocabulary from the content model's validated ``doses`` mapping."""
    run_in = doses.get("run_in_names", {})
    return DoseVocabulary(
        units=tuple(
            Unit(
                item["unit"], tuple(item.get("variants", ())), item.get("spaced", True), item.get("abbreviation", False)
            )
            for item in doses["units"]
        ),
        number_words=tuple(sorted(doses.get("number_words", {}).items())),
        lab_denominators=tuple(doses.get("lab_denominators", ())),
        max_per_page=doses.get("max_per_page", DoseVocabulary.max_per_page),
        error_prone=_designations(doses.get("error_prone")),
        apothecary=_designations(doses.get("apothecary")),
        abbreviations=_designations(doses.get("abbreviations")),
        latin_frequencies=_designations(doses.get("latin_frequencies")),
        comparison_symbols=_designations(doses.get("comparison_symbols")),
        comparison_scopes=_scopes(doses.get("comparison_scopes")),
        run_in_min_letters=run_in.get("min_letters", 0),
        run_in_exceptions=frozenset(word.casefold() for word in run_in.get("exceptions", ())),
    )


def _scopes(items: Mapping[str, Any] | None) -> tuple[ComparisonScope, ...]:
    if not items:
        return _DOSES_ONLY
    ordered = sorted(items.items(), key=lambda item: item[0] != DOSE_SCOPE)  # the schema requires "dose"
    return tuple(
        ComparisonScope(name, item["report"], item["label"], tuple(item.get("after", ())), tuple(item.get("per", ())))
        for name, item in ordered
    )
