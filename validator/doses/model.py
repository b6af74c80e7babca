"""What the scanner finds: quantities made of numbers and units, with spans into the text."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property


@dataclass(frozen=True)
class Number:
    text: str  # as written, with any scale ("1 million", "5 × 10^6")
    value: Decimal
    start: int
    end: int
    digits_end: int  # end of the digits, before any scale word or power of ten

    @property
    def digits(self) -> str:
        return self.text[: self.digits_end - self.start]

    @property
    def scaled(self) -> bool:
        """Written with a number word or a power of ten."""
        return self.digits_end != self.end


@dataclass(frozen=True)
class UnitMention:
    text: str
    start: int
    end: int
    per: tuple[str, ...] = ()  # denominators: "mg/kg/day" -> ("kg", "day")


@dataclass(frozen=True)
class Amount:
    """One number, and the unit written right after it (None in "5 to 10 mg" for the 5)."""

    number: Number
    unit: UnitMention | None


@dataclass(frozen=True)
class Quantity:
    """A dose expression: "10 mg", "5-10 mg/kg/day", "5 mg to 10 mg", "1 million units"."""

    amounts: tuple[Amount, ...]
    start: int
    end: int
    # Letters run into the first number, right before ``start`` ("Inderal" in "Inderal40 mg");
    # the quantity itself is what "Inderal 40 mg" holds.
    lead: str = ""

    # Cached: each dose rule reads them for every quantity of the page.
    @cached_property
    def unit(self) -> UnitMention:
        """The unit that applies to every number (the last one written)."""
        units = [amount.unit for amount in self.amounts if amount.unit is not None]
        return units[-1]

    @cached_property
    def numbers(self) -> tuple[Number, ...]:
        return tuple(amount.number for amount in self.amounts)

    @property
    def is_range(self) -> bool:
        return len(self.amounts) > 1
