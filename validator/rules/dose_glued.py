"""Dose rules about what is glued to a dose: a full stop after its unit symbol, a word run
into its number (ISMP's dose designations "mg." and "Inderal40 mg")."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from validator.facts.dose_scan import Found
from validator.facts.doses import full_stop
from validator.facts.page_facts import PageFacts
from validator.model.finding import Edit, Fix, Severity
from validator.rules.base import Aspect, Hit, Rule


def dose_unit_period(facts: PageFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    page, model = facts.page, facts.model
    doses = model.doses
    if doses is None:  # a page type without doses
        return
    for found in facts.quantities:
        quantity = found.quantity
        if found.text[quantity.end : quantity.end + 1] != ".":
            continue  # the common case, decided without looking further
        stop = full_stop(found.text, quantity.end, quantity.unit.last, doses)
        if stop is None:
            continue
        at = found.page(stop.at)
        written = found.text[quantity.unit.start : quantity.end]
        message = (
            f"'{written}.': a unit symbol takes no full stop, which can be misread as the number 1; write '{written}'"
        )
        if page.text[at] != ".":  # an escape or an entity ("mg\\. twice"): no fix
            yield Hit(at, max(at + 1, found.page(stop.at + 1)), message, subject=f"{written}.")
            continue
        yield Hit(
            at,
            at + 1,
            message,
            _period_fix(found, stop.at, at, stop.gap, safe=stop.plain_word and not stop.digit),
            subject=f"{written}.",
        )


DOSE_UNIT_PERIOD = Rule(
    id="MON412",
    name="dose-unit-period",
    category="dose",
    aspect=Aspect.DOSE_NOTATION,
    severity=Severity.ERROR,
    summary="Full stop after a unit symbol in a running sentence (mg., mL.)",
    rationale="ISMP lists 'mg.' and 'mL.' as error-prone: the full stop is unnecessary and can "
    "be misread as the number 1. Reported when the sentence goes on after it (a lower-case "
    "word or a number follows); a sentence-final full stop is punctuation. Only the units the "
    "content model marks `abbreviation: true`. Deleting it is a safe fix before a lower-case "
    "word; before a number, which may start a new sentence, or glued to the next word, it "
    "needs --unsafe-fixes.",
    check=dose_unit_period,
)


def _period_fix(found: Found, stop: int, at: int, gap: int, safe: bool) -> Fix | None:
    """Delete the full stop; glued to the next word ("mg.twice"), it becomes a space. Safe
    only before a plain lower-case word: before a number a new sentence may start ("10 mg. 2
    hours later"), and a glued word may belong to the unit in a way the scanner missed."""
    if gap:
        return Fix("Delete the full stop", (Edit(at, at + 1, ""),), safe=safe)
    if found.page(stop + 1) != at + 1:
        return None  # markup between the full stop and the word
    return Fix("Write a space", (Edit(at, at + 1, " "),), safe=False)


def dose_name_run_in(facts: PageFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    page = facts.page
    for found in facts.quantities:
        quantity = found.quantity
        if not quantity.lead:
            continue
        number = quantity.numbers[0]
        start = found.page(quantity.start - len(quantity.lead))
        at = _space_at(page.text, found, start)
        fix = Fix("Insert a space", (Edit(at, at, " "),)) if at is not None else None
        digits = number.digits
        message = (
            f"'{quantity.lead}{digits}': a word run into the dose can be misread as part of the number; "
            f"write '{quantity.lead} {digits}'"
        )
        yield Hit(start, found.page_end(number.digits_end), message, fix, subject=f"{quantity.lead}N")


DOSE_NAME_RUN_IN = Rule(
    id="MON413",
    name="dose-name-run-in",
    category="dose",
    aspect=Aspect.DOSE_NOTATION,
    severity=Severity.ERROR,
    summary="Drug name run into its dose (Inderal40 mg)",
    rationale="ISMP lists a drug name and dose run together as error-prone: 'Inderal40 mg' is "
    "read as 'Inderal 140 mg' and 'Tegretol300 mg' as 'Tegretol 1300 mg'. Reported for a word "
    "glued to a dose's number; the content model says how many letters make a word (shorter "
    "runs such as B12 and H2 are codes) and lists the words whose number belongs to them "
    "(CoQ10, SPF30, CYP3A4). Inserting the space is a safe fix.",
    check=dose_name_run_in,
)


_MARKUP = frozenset("*_~")


def _space_at(text: str, found: Found, word_start: int) -> int | None:
    """Where the space goes between the word and the number run into it. With emphasis
    markup between them, after it when it closes markup that opens right before the word
    ("**Inderal**40 mg"), before it when it opens markup that closes right after the
    quantity ("Inderal*40 mg*"); None when that is not plain to see (a link, an entity,
    markup inside the word or the quantity, emphasis that starts or ends further away), as
    a space on the wrong side of a delimiter would undo the emphasis."""
    quantity = found.quantity
    word_end, number_start = found.page_end(quantity.start), found.page(quantity.start)
    between = text[word_end:number_start]
    if not between:
        return number_start
    quantity_end = found.page_end(quantity.end)
    read = found.text[quantity.start : quantity.end]
    if not set(between) <= _MARKUP or text[word_start:quantity_end] != quantity.lead + between + read:
        return None
    # The mirror delimiter must be markup, not text the reader sees ("*Take Inderal*40 mg* daily").
    mirror, reads, word = between[::-1], found.text, quantity.start - len(quantity.lead)
    closes = text[max(0, word_start - len(between)) : word_start] == mirror and not reads.endswith(mirror, 0, word)
    opens = text[quantity_end : quantity_end + len(between)] == mirror and not reads.startswith(mirror, quantity.end)
    if closes == opens:
        return None
    return number_start if closes else word_end
