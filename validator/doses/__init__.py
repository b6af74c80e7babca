"""The dose-expression scanner: text in, quantities with exact spans out. Knows no rules."""

from .comparison import Comparisons, comparisons
from .context import PrefixedUnits, designation_table, nearby_designations, prefixed_units, symbol_before
from .glued import FullStop, full_stop, letters_before
from .model import Amount, Number, Quantity, UnitMention
from .scanner import scan, scan_texts
from .vocabulary import ComparisonScope, Designation, DoseVocabulary, Unit

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
