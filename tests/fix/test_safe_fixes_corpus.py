"""Every safe fix monolint offers on the real corpus (4,842 pages), checked edit by edit
against an independent statement of what that rule's safe fix may change.

A fix is safe only if it cannot change what the page says. The table ``RULES`` below says,
for each rule, what one of its safe edits may do, written without importing the rules' code:
only the content model (schemas/monograph.yaml) is read, as data. The corpus is linted once
(JSON); an edit that its rule's entry does not allow fails the test with the page and the
edit, and so does a safe edit of a rule the table does not know. Adding a rule with a safe
fix means adding one line to ``RULES``.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers_cli import monolint_command
from helpers_fix import json_edits
from helpers_shared import CORPUS, needs_corpus

MODEL = yaml.safe_load((Path(__file__).resolve().parents[2] / "schemas" / "monograph.yaml").read_text("utf-8"))


# The FAQ answers a safe label fix once turned into "**Disclaimer:** A: ..." (issue 12).
FAQ_ANSWERS = ("d/drotrecogin-alfa.md", "i/ilaprazole.md", "p/potassium-perchlorate.md")


@dataclass(frozen=True)
class SafeEdit:
    """One edit of one safe fix, in the page's text (LF newlines, no BOM)."""

    path: str
    text: str
    start: int
    end: int
    new: str

    @property
    def old(self) -> str:
        return self.text[self.start : self.end]

    @property
    def before(self) -> str:
        return self.text[self.start - 1] if self.start else ""

    @property
    def after(self) -> str:
        return self.text[self.end : self.end + 1]

    @cached_property
    def line(self) -> str:
        """The whole line the edit starts on."""
        first = self.text.rfind("\n", 0, self.start) + 1
        last = self.text.find("\n", self.start)
        return self.text[first : len(self.text) if last < 0 else last]

    @cached_property
    def column(self) -> int:
        return self.start - (self.text.rfind("\n", 0, self.start) + 1)


Check = Callable[[SafeEdit], "str | None"]  # None when the edit is allowed, else why not


# --- what the content model says, read as data ----------------------------------------------


def _doses(key: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = MODEL["doses"].get(key, [])
    return entries


def _unit_spellings() -> list[str]:
    """Everything the content model knows as a unit after a number, longest first."""
    spellings = []
    for unit in _doses("units"):
        spellings += [unit["unit"], *unit.get("variants", [])]
    for entry in _doses("error_prone") + _doses("apothecary"):
        spellings += entry["written"]
    return sorted(set(spellings), key=len, reverse=True)


UNITS = _unit_spellings()
SAFE_SYMBOLS = {
    written: entry["use"] for entry in _doses("error_prone") if entry.get("safe") for written in entry["written"]
}
CASE_VARIANTS = {variant: unit["unit"] for unit in _doses("units") for variant in unit.get("variants", [])}
SECTION_LEVEL: int = MODEL["sections"]["level"]
STRIP = MODEL["sections"].get("strip_trailing", ":")
LABEL: str = MODEL["disclaimer"]["markdown"]
IDEAS = [[re.compile(p, re.IGNORECASE) for p in idea["patterns"]] for idea in MODEL["disclaimer"]["ideas"]]


def _normal(heading: str) -> str:
    """A heading's words as they are compared: no markup, case-folded, no trailing punctuation."""
    words = " ".join(re.sub(r"[*_`]", "", heading).casefold().split())
    return words.rstrip(STRIP + " ")


SECTION_NAMES = {
    section["heading"]: {_normal(name) for name in (section["heading"], *section.get("aliases", []))}
    for section in MODEL["sections"]["required"]
}
FAQ_NAMES = SECTION_NAMES["FAQs"]

# --- numbers ------------------------------------------------------------------------------

NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d*)?|\d*\.?\d+|\d+\.")
DIGIT_OR_SEPARATOR = re.compile(r"[\d.,]")


def _value(number: str) -> Decimal | None:
    if not NUMBER.fullmatch(number):
        return None
    try:
        return Decimal(number.replace(",", ""))
    except InvalidOperation:
        return None


def _whole_number(edit: SafeEdit) -> str | None:
    """Why the edited span is not one whole number of the text, or None."""
    if DIGIT_OR_SEPARATOR.fullmatch(edit.before or "x") and edit.before != ",":
        return f"the number goes on before the edit ({edit.before!r})"
    if edit.after.isdigit():
        return f"the number goes on after the edit ({edit.after!r})"
    return None


def _same_value(edit: SafeEdit) -> str | None:
    old, new = _value(edit.old), _value(edit.new)
    if old is None or new is None:
        return f"{edit.old!r} -> {edit.new!r} is not a number written as another"
    if old != new:
        return f"{edit.old!r} -> {edit.new!r} changes the value"
    return _whole_number(edit)


def trailing_zero(edit: SafeEdit) -> str | None:
    """MON402: drop trailing zeros after the decimal point (and the point); same value."""
    removed = edit.old[len(edit.new) :] if edit.old.startswith(edit.new) else None
    if "." not in edit.old or not edit.old.endswith("0"):
        return "the number has no trailing zero after a decimal point"
    if re.fullmatch(r"[1-9]\d{0,2}\.\d{3}", edit.old):
        return f"{edit.old!r} may be a thousand written the European way"
    if edit.new != "0" and (removed is None or set(removed) - {"0", "."}):
        return "it removes more than trailing zeros and the point"
    return _same_value(edit)


def leading_zero(edit: SafeEdit) -> str | None:
    """MON403: insert one '0' before a '.' that starts a number; same value."""
    if edit.old or edit.new != "0":
        return "it does not only insert '0'"
    rest = edit.text[edit.start : edit.start + 2]
    if not re.fullmatch(r"\.\d", rest):
        return "there is no '.digit' after it"
    if edit.before.isalnum() or edit.before in ".,":
        return f"{edit.before!r} before the point: it is not the start of a number"
    return None


def thousands(edit: SafeEdit) -> str | None:
    """MON406: only the commas that group a number's digits change; same value."""
    if edit.old.replace(",", "").lstrip("0") != edit.new.replace(",", "").lstrip("0"):
        return "digits change, not only separators"
    return _same_value(edit)


# --- units --------------------------------------------------------------------------------

MARKUP = "*_~`["


def no_space(edit: SafeEdit) -> str | None:
    """MON401: one space between a number (or the markup closing it) and a unit the content
    model knows (or the markup opening it)."""
    if edit.old or edit.new != " ":
        return "it does not only insert one space"
    head = edit.text[: edit.start].rstrip(MARKUP + "]")
    if not head or not head[-1].isdigit():
        return "no number before it"
    tail = edit.text[edit.start : edit.start + 40].lstrip(MARKUP)
    unit = next((u for u in UNITS if tail.startswith(u) and not tail[len(u) : len(u) + 1].isalpha()), None)
    return None if unit else f"no unit of the content model after it ({tail[:12]!r})"


SYMBOLS = sorted(
    (
        spelling
        for unit in _doses("units")
        if unit.get("abbreviation")
        for spelling in (unit["unit"], *unit.get("variants", []))
    ),
    key=len,
    reverse=True,
)


def unit_period(edit: SafeEdit) -> str | None:
    """MON412: delete one full stop right after a unit symbol, when a lower-case word follows."""
    if edit.old != "." or edit.new:
        return "it does not only delete one full stop"
    head = edit.text[: edit.start]
    if not any(head.endswith(symbol) and not head[: -len(symbol)][-1:].isalpha() for symbol in SYMBOLS):
        return "no unit symbol of the content model before it"
    if not re.match(r"\s*[a-z]", edit.text[edit.end : edit.end + 40]):
        return "no lower-case word after it: it may end the sentence"
    return None


RUN_IN = MODEL["doses"].get("run_in_names", {})


def name_run_in(edit: SafeEdit) -> str | None:
    """MON413: one space between a word (not a code the content model lists) and its number."""
    if edit.old or edit.new != " ":
        return "it does not only insert one space"
    head = edit.text[: edit.start].rstrip(MARKUP)
    tail = edit.text[edit.start :].lstrip(MARKUP)
    word = re.search(r"[^\W\d_]*$", head)
    letters = word.group() if word else ""
    if not (letters and tail[:1].isdigit()):
        return "it does not separate a word from a number"
    if len(letters) < RUN_IN.get("min_letters", 1) or letters.casefold() in {
        code.casefold() for code in RUN_IN.get("exceptions", [])
    }:
        return f"{letters!r} is a code that owns its number"
    return None


def _delimited(edit: SafeEdit) -> str | None:
    if edit.before.isalpha() or edit.after.isalpha():
        return f"{edit.old!r} is part of a longer word"
    return None


def error_prone(edit: SafeEdit) -> str | None:
    """MON404: exactly an error-prone symbol the content model marks safe, by its replacement."""
    if SAFE_SYMBOLS.get(edit.old) != edit.new:
        return f"{edit.old!r} -> {edit.new!r} is not a safe pair of the content model"
    return _delimited(edit)


def unit_case(edit: SafeEdit) -> str | None:
    """MON405: a unit's wrong-case variant, as the content model lists it, in the right case."""
    if CASE_VARIANTS.get(edit.old) != edit.new or edit.old.casefold() != edit.new.casefold():
        return f"{edit.old!r} -> {edit.new!r} is not a case variant of that unit"
    return _delimited(edit)


# --- headings -----------------------------------------------------------------------------

ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+|$)")


def heading_level(edit: SafeEdit) -> str | None:
    """MON206: a section heading's '#' run becomes the content model's section level."""
    if not edit.old or set(edit.old) != {"#"} or edit.new != "#" * SECTION_LEVEL:
        return "it does not turn one run of '#' into the section level"
    match = ATX.match(edit.line)
    if match is None or match.start(1) != edit.column or match.end(1) != edit.column + len(edit.old):
        return "it is not the '#' run of an ATX heading"
    words = _normal(edit.line[match.end() :].rstrip("# \t"))
    if not any(words.startswith(name) for names in SECTION_NAMES.values() for name in names):
        return f"'{words}' is not a section heading"
    levels = [len(m.group(1)) for m in (ATX.match(line) for line in edit.text[: edit.start].split("\n")) if m]

    def parent(level: int) -> int | None:  # which heading before it it stands under, at that level
        return next((index for index in reversed(range(len(levels))) if levels[index] < level), None)

    if parent(len(edit.old)) != parent(len(edit.new)):
        return "the heading would stand under another heading"
    return None


def canonical_heading(edit: SafeEdit) -> str | None:
    """MON207: an ATX heading's whole text, the canonical heading respelled (case, spacing,
    trailing punctuation, emphasis; not a synonym), becomes the canonical heading."""
    if edit.new not in SECTION_NAMES:
        return f"{edit.new!r} is not a canonical section heading"
    match = ATX.match(edit.line)
    text_end = len(edit.line.rstrip(" \t").rstrip("#").rstrip(" \t"))
    if match is None or match.end() != edit.column or edit.column + len(edit.old) != text_end:
        return "it is not the whole text of an ATX heading"
    if _normal(edit.old) != _normal(edit.new):
        return f"{edit.old!r} is not {edit.new!r} respelled"
    return None


# --- the disclaimer -----------------------------------------------------------------------

QUESTION_OR_ANSWER = re.compile(r"^\W*(?:q|a|question|answer)\s*\d*\s*:", re.IGNORECASE)
LIST_ITEM = re.compile(r" {0,3}(?:[*+-]|\d{1,9}[.)])(?:[ \t]|$)")


@dataclass(frozen=True)
class TextBlock:
    start: int
    text: str

    @property
    def heading(self) -> int:
        match = ATX.match(self.text)
        return len(match.group(1)) if match else 0

    @property
    def paragraph(self) -> bool:
        first = self.text.lstrip(" ")
        return not (self.heading or LIST_ITEM.match(self.text) or first[:1] in (">", "|", "<", "`", "~"))


def _blocks(text: str) -> list[TextBlock]:
    """Runs of non-blank lines, each ATX heading line a block of its own; HTML comments left out."""
    blocks: list[TextBlock] = []
    offset, start = 0, 0
    current: list[str] = []
    for line in text.split("\n"):
        if not line.strip() or ATX.match(line) or (current and ATX.match(current[0])):
            if current:
                blocks.append(TextBlock(start, "\n".join(current)))
            current = []
        if line.strip():
            if not current:
                start = offset
            current.append(line)
        offset += len(line) + 1
    if current:
        blocks.append(TextBlock(start, "\n".join(current)))
    return [block for block in blocks if not block.text.lstrip().startswith("<!--")]


def disclaimer_label(edit: SafeEdit) -> str | None:
    """MON304: the content model's label, only at the start of the page's last block, which
    says every required idea and is not among the FAQs' questions and answers."""
    word = re.sub(r"[*_:\s]+", " ", LABEL).strip()
    if edit.new != LABEL + " ":
        return "it writes something other than the label"
    if edit.old and not re.fullmatch(rf"[*_\s]*{re.escape(word)}[*_\s]*:[*_\s]*", edit.old, re.IGNORECASE):
        return f"it replaces {edit.old!r}, not a written label"
    blocks = _blocks(edit.text)
    last = blocks[-1]
    if edit.start != last.start + len(last.text) - len(last.text.lstrip()):
        return "it is not at the start of the page's last block"
    plain = re.sub(r"[*_]", "", last.text)
    if not all(any(pattern.search(plain) for pattern in idea) for idea in IDEAS):
        return "the last block does not say every required idea"
    before = blocks[-2] if len(blocks) > 1 else None
    if QUESTION_OR_ANSWER.match(last.text) or (before and before.paragraph and QUESTION_OR_ANSWER.match(before.text)):
        return "the last block is, or follows, a question or an answer"
    section = next((block for block in reversed(blocks[:-1]) if 1 < block.heading <= SECTION_LEVEL), None)
    in_faqs = section is not None and any(_normal(section.text.lstrip(" #")).startswith(n) for n in FAQ_NAMES)
    if in_faqs and before is not section and before is not None and (before.paragraph or before.heading):
        return "the last block follows a paragraph or a heading of the FAQs, and may be an answer"
    return None


# One line per rule that has safe fixes: the rule id and what its safe edits may change.
RULES: dict[str, Check] = {
    "MON206": heading_level,
    "MON207": canonical_heading,
    "MON304": disclaimer_label,
    "MON401": no_space,
    "MON402": trailing_zero,
    "MON403": leading_zero,
    "MON404": error_prone,
    "MON405": unit_case,
    "MON406": thousands,
    "MON412": unit_period,
    "MON413": name_run_in,
}


# --- the corpus run -----------------------------------------------------------------------


def _page_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


@pytest.fixture(scope="module")
def safe_edits(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[SafeEdit]]:
    """Every edit of every safe fix on the corpus, by rule id (one monolint run)."""
    output = tmp_path_factory.mktemp("safe") / "report.json"
    command = [*monolint_command(), "check", "--isolated", "--no-cache", "--exit-zero", "--jobs", "2"]
    process = subprocess.run(
        [*command, "--format", "json", "-o", str(output), "."],
        check=False,
        cwd=CORPUS,
        capture_output=True,
        timeout=300,
    )
    assert process.returncode == 0 and not process.stderr, process.stderr.decode("utf-8", "replace")
    report = json.loads(output.read_text(encoding="utf-8"))
    edits: dict[str, list[SafeEdit]] = {}
    texts: dict[str, str] = {}
    for finding in report["findings"]:
        fix = finding["fix"]
        if fix is None or not fix["safe"]:
            continue
        path = finding["path"]
        text = texts.setdefault(path, _page_text(CORPUS / path))
        for start, end, new in json_edits(text, fix):
            edits.setdefault(finding["rule"], []).append(SafeEdit(path, text, start, end, new))
    return edits


@needs_corpus
def test_every_safe_edit_is_one_its_rule_may_make(safe_edits: dict[str, list[SafeEdit]]) -> None:
    wrong = []
    for rule, edits in sorted(safe_edits.items()):
        check = RULES.get(rule)
        if check is None:
            wrong.append(f"no independent rule for {rule} safe fixes: add one to RULES ({len(edits)} edits)")
            continue
        for edit in edits:
            why = check(edit)
            if why is not None:
                wrong.append(f"{rule} {edit.path}:{edit.start}-{edit.end} {edit.old!r} -> {edit.new!r}: {why}")
    assert wrong == []


@needs_corpus
def test_the_corpus_has_safe_edits_of_each_kind(safe_edits: dict[str, list[SafeEdit]]) -> None:
    """The test above checks real edits: the corpus has safe fixes of these rules."""
    counts = {rule: len(edits) for rule, edits in safe_edits.items()}
    assert {"MON207", "MON304", "MON401", "MON404", "MON405", "MON406"} <= counts.keys(), counts
    assert sum(counts.values()) > 2000, counts


@needs_corpus
def test_no_safe_fix_touches_the_faq_answers(safe_edits: dict[str, list[SafeEdit]]) -> None:
    for path in FAQ_ANSWERS:
        assert (CORPUS / path).is_file(), path
        last = _blocks(_page_text(CORPUS / path))[-1]
        assert QUESTION_OR_ANSWER.match(last.text), path  # the page still ends with an answer
    touched = [
        (edit.path, edit.start)
        for edits in safe_edits.values()
        for edit in edits
        if edit.path in FAQ_ANSWERS and edit.start >= _blocks(edit.text)[-1].start
    ]
    assert touched == []


@pytest.mark.parametrize(
    ("rule", "text", "start", "end", "new"),
    [
        ("MON401", "Take 10mg daily.", 7, 7, " "),
        ("MON402", "Take 5.0 mg.", 5, 8, "5"),
        ("MON403", "Take .5 mg.", 5, 5, "0"),
        ("MON404", "Give 5 cc now.", 7, 9, "mL"),
        ("MON405", "Give 5 ml now.", 7, 9, "mL"),
        ("MON406", "Give 5000 units.", 5, 9, "5,000"),
        ("MON207", "# T\n### Usage:\ntext\n", 8, 14, "Usage"),
        ("MON206", "# T\n## Usage\ntext\n", 4, 6, "###"),
        ("MON206", "# T\n#### Usage\ntext\n", 4, 8, "###"),
        ("MON207", "# T\n### **side effects:**\ntext\n", 8, 25, "Side Effects"),
        ("MON304", "### FAQs\n* Q: x? A: y.\n\nThis is not medical advice; ask your doctor.\n", 24, 24, LABEL + " "),
        ("MON412", "Take 5 mg. twice daily.", 9, 10, ""),
        ("MON413", "Take Inderal40 mg.", 12, 12, " "),
    ],
)
def test_the_independent_rules_accept_a_right_edit(rule: str, text: str, start: int, end: int, new: str) -> None:
    assert RULES[rule](SafeEdit("page.md", text, start, end, new)) is None


@pytest.mark.parametrize(
    ("rule", "text", "start", "end", "new"),
    [
        ("MON401", "Take 10 times daily.", 7, 7, " "),  # no unit after it
        ("MON402", "Take 5.05 mg.", 5, 9, "5.5"),  # another value
        ("MON402", "Take 15.0 mg.", 6, 9, "5"),  # part of a number
        ("MON402", "Heparin 1.000 units.", 8, 13, "1"),  # 1.000 may be 1,000
        ("MON403", "Take 1.5 mg.", 6, 6, "0"),  # inside a number
        ("MON404", "Give 5 U now.", 7, 8, "units"),  # not a safe pair
        ("MON405", "Give 5 ml now.", 7, 9, "ML"),  # not the unit's spelling
        ("MON406", "Give 5000 units.", 5, 9, "50,000"),  # another value
        ("MON207", "# T\n### Uses of it\ntext\n", 8, 18, "Usage"),  # extra words
        ("MON206", "# T\n## Alprazolam\ntext\n", 4, 6, "###"),  # not a section
        ("MON206", "# T\n### Alprazolam\n#### Dosage\ntext\n", 19, 23, "###"),  # out from under the drug
        ("MON207", "# T\n### Warnings\ntext\n", 8, 16, "Precautions"),  # a synonym
        ("MON207", "# T\n### [Dosage](#d)\ntext\n", 8, 20, "Dosage"),  # a link
        ("MON412", "The dose is 10 mg. Take it with food.", 16, 17, ""),  # the sentence ends
        ("MON412", "Take 2 tablets. then rest.", 14, 15, ""),  # not a unit symbol
        ("MON413", "Take B12 now.", 6, 6, " "),  # a code, not a word
        ("MON413", "Take CoQ10 100 mg.", 8, 8, " "),  # a code the content model lists
        ("MON304", "### FAQs\n**Q: Can I stop?**\n\nA: Ask your doctor; not medical advice.\n", 29, 29, LABEL + " "),
        (
            "MON304",
            "### FAQs\n* Q: x? A: y.\n\nSee the leaflet.\n\nNot medical advice; ask your doctor.\n",
            42,
            42,
            LABEL + " ",
        ),
        (
            "MON304",
            "### FAQs\n* Q: x? A: y.\n\nThis is not medical advice; ask your doctor.\n\nMore.\n",
            24,
            24,
            LABEL + " ",
        ),
    ],
)
def test_the_independent_rules_reject_a_wrong_edit(rule: str, text: str, start: int, end: int, new: str) -> None:
    assert RULES[rule](SafeEdit("page.md", text, start, end, new)) is not None
