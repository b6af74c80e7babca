"""Dose rules about how numbers are written: spacing, zeros, separators, large numbers."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from decimal import Decimal, localcontext
from typing import Any

from validator.facts.page_facts import PageFacts
from validator.model.finding import Edit, Fix, Severity
from validator.rules.base import Aspect, Hit, Rule

_MINIMUM = {"type": "integer", "minimum": 1}  # the options' shared schema


def dose_no_space(facts: PageFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    page, model = facts.page, facts.model
    doses = model.doses
    if doses is None:  # a page type without doses
        return
    for found in facts.quantities:
        for amount in found.quantity.amounts:
            unit = amount.unit
            if unit is None or unit.start != amount.number.end:
                continue
            kind, entry = doses.kind_of(unit.text)
            if kind in ("unit", "variant") and not entry.spaced:
                continue
            at = _space_at(
                page.text, found.page_end(amount.number.end), found.page(unit.start), found.page(amount.number.start)
            )
            fix = Fix("Insert a space", (Edit(at, at, " "),)) if at is not None else None
            message = f"'{amount.number.text}{unit.text}': put a space between the number and the unit ('{amount.number.text} {unit.text}')"
            yield Hit(found.page(amount.number.start), found.page_end(unit.end), message, fix, subject=f"N{unit.text}")


DOSE_NO_SPACE = Rule(
    id="MON401",
    name="dose-no-space",
    category="dose",
    aspect=Aspect.DOSE_NOTATION,
    severity=Severity.ERROR,
    summary="Number run into its unit",
    rationale="ISMP lists doses written without a space ('10mg') as error-prone: the 'm' can "
    "be read as a zero ('100 mg'), and the unit blurs into the number. Units the content "
    "model marks `spaced: false` (such as %) are exempt.",
    check=dose_no_space,
)


_MARKUP = frozenset("*_~`[")
_EUROPEAN_GROUPING = re.compile(r"[1-9]\d{0,2}\.\d{3}")


def _space_at(text: str, number_end: int, unit_start: int, number_start: int) -> int | None:
    """Where the missing space goes when markup may sit between the number and the unit:
    after markup that closes the number ("**10**mg"), before markup that opens the unit
    ("10*mg*", "10[mg](...)"); None when the markup is anything else."""
    between = text[number_end:unit_start]
    if not between:
        return unit_start
    if not set(between) <= _MARKUP:
        return None
    if number_start and text[number_start - 1] in _MARKUP and "[" not in between:
        return unit_start  # the number is wrapped: the markup closes it
    return number_end


def _after_delimiter(text: str, start: int) -> bool:
    """Whether turning the '.' at ``start`` into a digit could change what an emphasis
    delimiter run right before it ('*', '__') can do. CommonMark decides from the characters
    on both sides of the run: with whitespace (or nothing) before it, the run can open and
    not close either way; after a letter, digit or punctuation, a '.' after it lets it only
    close and a digit lets it open too, so "100*.5 mg ... 100*.5 mg" would become emphasis."""
    if start == 0 or text[start - 1] not in "*_":
        return False
    run = start - 1
    while run > 0 and text[run - 1] == text[start - 1]:
        run -= 1
    if run == 0:
        return False
    from markdown_it.common.utils import isWhiteSpace  # the parser's own definition

    return not isWhiteSpace(ord(text[run - 1]))


def dose_trailing_zero(facts: PageFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    page, model = facts.page, facts.model
    doses = model.doses
    if doses is None:  # a page type without doses
        return
    for found in facts.quantities:
        unit = found.quantity.unit
        if unit.per and unit.per[0] in doses.lab_denominators:
            continue  # a laboratory value ("1.0 mEq/L") may show its precision (ISMP)
        for number in found.quantity.numbers:
            digits = number.digits
            if "." not in digits or not digits.endswith("0"):
                continue
            fixed = digits.rstrip("0").rstrip(".") or "0"
            advice = "0" + fixed if fixed.startswith(".") else fixed  # dose-leading-zero adds the 0
            start, end = found.page(number.start), found.page_end(number.digits_end)
            # "1.000" or "12.500" may be a thousand grouped the European way (1,000 and 12,500):
            # dropping the zeros is right only if the point is a decimal point, so it is unsafe.
            grouped = _EUROPEAN_GROUPING.fullmatch(digits) is not None
            fix: Fix | None = Fix(f"Write '{advice}'", (Edit(start, end, fixed),), safe=not grouped)
            if digits.startswith(".") and _after_delimiter(page.text, start):
                fix = None  # "100*.0 mg" -> "100*0 mg": the '*' could then open emphasis
            message = f"'{digits} {unit.text}': a trailing zero is misread as ten times the dose; write '{advice} {unit.text}'"
            yield Hit(start, end, message, fix, subject=f"N.0 {unit.text}")


DOSE_TRAILING_ZERO = Rule(
    id="MON402",
    name="dose-trailing-zero",
    category="dose",
    aspect=Aspect.DOSE_NOTATION,
    severity=Severity.ERROR,
    summary="Dose with a trailing zero after the decimal point",
    rationale="On The Joint Commission's Do Not Use list: if the decimal point is missed, "
    "'5.0 mg' is read as '50 mg', a tenfold overdose. Laboratory values whose denominator the "
    "content model lists (mg/dL, mEq/L) may keep it to show precision, as ISMP allows.",
    check=dose_trailing_zero,
)


def dose_leading_zero(facts: PageFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    page = facts.page
    for found in facts.quantities:
        unit = found.quantity.unit
        for number in found.quantity.numbers:
            if not number.text.startswith("."):
                continue
            start, end = found.page(number.start), found.page_end(number.digits_end)
            fix = (
                None
                if _after_delimiter(page.text, start)
                else Fix(f"Write '0{number.digits}'", (Edit(start, start, "0"),))
            )
            message = f"'{number.digits} {unit.text}': a missing leading zero is misread as ten times the dose; write '0{number.digits} {unit.text}'"
            yield Hit(start, end, message, fix, subject=f".N {unit.text}")


DOSE_LEADING_ZERO = Rule(
    id="MON403",
    name="dose-leading-zero",
    category="dose",
    aspect=Aspect.DOSE_NOTATION,
    severity=Severity.ERROR,
    summary="Dose below one without a leading zero",
    rationale="On The Joint Commission's Do Not Use list: if the decimal point is missed, "
    "'.5 mg' is read as '5 mg', a tenfold overdose.",
    check=dose_leading_zero,
)


def dose_thousands_separator(facts: PageFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    minimum = Decimal(options["minimum"])
    for found in facts.quantities:
        unit = found.quantity.unit
        for number in found.quantity.numbers:
            whole = number.digits.split(".")[0]
            if "," in whole or not whole or Decimal(whole) < minimum:
                continue
            separated = _group_thousands(whole) + number.digits[len(whole) :]
            start, end = found.page(number.start), found.page_end(number.digits_end)
            fix = Fix(f"Write '{separated}'", (Edit(start, end, separated),))
            message = f"'{number.digits} {unit.text}': write large doses with thousands separators ('{separated} {unit.text}')"
            yield Hit(start, end, message, fix, subject=f"NNNN {unit.text}")


DOSE_THOUSANDS_SEPARATOR = Rule(
    id="MON406",
    name="dose-thousands-separator",
    category="dose",
    aspect=Aspect.DOSE_NOTATION,
    severity=Severity.ERROR,
    summary="Large dose without thousands separators",
    rationale="ISMP: '10000 units' is easily misread as 1,000 or 100,000 units; use commas "
    "for doses of 1,000 and more.",
    check=dose_thousands_separator,
    options={"minimum": {**_MINIMUM, "default": 1000, "description": "smallest dose that needs separators"}},
)


def _group_thousands(digits: str) -> str:
    """'1234567' -> '1,234,567' on the string: int() refuses more than 4,300 digits."""
    digits = digits.lstrip("0") or "0"
    head = len(digits) % 3 or 3
    return ",".join([digits[:head], *(digits[index : index + 3] for index in range(head, len(digits), 3))])


def _in_words(value: Decimal, words: tuple[tuple[str, int], ...]) -> str | None:
    """'2.5 million' for 2,500,000: the largest number word, at most three decimals."""
    for word, scale in sorted(words, key=lambda item: -item[1]):
        if value >= scale:
            # Exact: the default context's 28 digits would round the dose, or make quantize raise.
            with localcontext() as context:
                context.prec = len(value.as_tuple().digits) + 6
                scaled = value / scale
                if scaled == scaled.quantize(Decimal("0.001")):
                    return f"{scaled.normalize():f} {word}"
            return None
    return None


def dose_large_number(facts: PageFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    model = facts.model
    doses = model.doses
    if doses is None:  # a page type without doses
        return
    minimum = Decimal(options["minimum"])
    for found in facts.quantities:
        unit = found.quantity.unit
        for number in found.quantity.numbers:
            if number.scaled or number.value < minimum:
                continue
            words = _in_words(number.value, doses.number_words)
            start, end = found.page(number.start), found.page_end(number.digits_end)
            fix = Fix(f"Write '{words}'", (Edit(start, end, words),), safe=False) if words else None
            advice = f"'{words} {unit.text}'" if words else "words ('million')"
            message = f"'{number.digits} {unit.text}': a very large dose is easy to misread by a factor of ten; write {advice}"
            yield Hit(start, end, message, fix, subject=f"N000000 {unit.text}")


DOSE_LARGE_NUMBER = Rule(
    id="MON407",
    name="dose-large-number",
    category="dose",
    aspect=Aspect.DOSE_NOTATION,
    severity=Severity.WARNING,
    summary="Very large dose written in digits",
    rationale="ISMP: write very large doses with words ('1 million units'); a row of zeros "
    "is miscounted. The fix changes wording, so it is applied only with --unsafe-fixes.",
    check=dose_large_number,
    options={"minimum": {**_MINIMUM, "default": 1000000, "description": "smallest dose to write in words"}},
)
