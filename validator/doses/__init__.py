"""The dose-expression scanner: text in, quantities with exact spans out. Knows no rules."""

from .scanner import Number, Quantity, UnitVocabulary, scan

__all__ = ["Number", "Quantity", "UnitVocabulary", "scan"]
