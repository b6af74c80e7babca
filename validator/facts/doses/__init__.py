"""The dose-expression scanner: text in, quantities with exact spans out. Knows no rules."""

from validator.content_model.vocabulary import ComparisonScope, Designation, DoseVocabulary, Unit
from validator.facts.doses.comparison import Comparisons, comparisons
from validator.facts.doses.context import (
    PrefixedUnits,
    designation_table,
    nearby_designations,
    prefixed_units,
    symbol_before,
)
from validator.facts.doses.glued import FullStop, full_stop, letters_before
from validator.facts.doses.model import Amount, Number, Quantity, UnitMention
from validator.facts.doses.scanner import scan, scan_texts

__all__ = [
    "Amount",
    "ComparisonScope",
    "Comparisons",
    "Designation",
    "DoseVocabulary",
    "FullStop",
    "Number",
    "PrefixedUnits",
    "Quantity",
    "Unit",
    "UnitMention",
    "comparisons",
    "designation_table",
    "full_stop",
    "letters_before",
    "nearby_designations",
    "prefixed_units",
    "scan",
    "scan_texts",
    "symbol_before",
]
