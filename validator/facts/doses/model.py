"""What the scanner finds: quantities made of numbers and units, with spans into the text."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from validator.model.frozen import quick_init


@quick_init
@dataclass(frozen=True, slots=True)
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


@quick_init
@dataclass(frozen=True, slots=True)
class UnitMention:
    text: str
    start: int
    end: int
    per: tuple[str, ...] = ()  # denominators: "mg/kg/day" -> ("kg", "day")

    @property
    def last(self) -> str:
        """The unit written last: the last denominator of "mg/kg", else the unit."""
        return self.per[-1] if self.per else self.text


@quick_init
@dataclass(frozen=True, slots=True)
class Amount:
    """One number, and the unit written right after it (None in "5 to 10 mg" for the 5)."""

    number: Number
    unit: UnitMention | None


@quick_init
@dataclass(frozen=True, slots=True)
class Quantity:
    """A dose expression: "10 mg", "5-10 mg/kg/day", "5 mg to 10 mg", "1 million units"."""

    amounts: tuple[Amount, ...]
    start: int
    end: int
    # Letters run into the first number, right before ``start`` ("Inderal" in "Inderal40 mg");
    # the quantity itself is what "Inderal 40 mg" holds.
    lead: str = ""

    # Worked out once: each dose rule reads them for every quantity of the page.
    unit: UnitMention = field(init=False, repr=False, compare=False)
    """The unit that applies to every number (the last one written)."""
    numbers: tuple[Number, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        units = [amount.unit for amount in self.amounts if amount.unit is not None]
        object.__setattr__(self, "unit", units[-1])
        object.__setattr__(self, "numbers", tuple(amount.number for amount in self.amounts))

    @property
    def is_range(self) -> bool:
        return len(self.amounts) > 1
