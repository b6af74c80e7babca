"""Each rule's bad and good example, read from its file in validator/rules/examples/.

The examples are data, not Python strings: `monolint explain`, `monolint rules` and
docs/rules.md print them, and tests/rules/test_rule_docs.py lints each one as a page (the bad one
must produce its rule, the good one must not), so they are also the rule's fixtures.

One file per rule, named after its id (``MON204.md``), so the pair reads side by side as the
docs show it. The file is exactly the docs' fragment, two labelled fenced blocks::

    Bad:

    ```markdown
    <the page, verbatim>
    ```

    Good:

    ```markdown
    <the same page, passing>
    ```

The info string says what the block is: ``markdown`` is page text (the tests lint it); ``text``
describes a file or a run that no page text can show (an unreadable file, a read-only folder,
a bug in monolint). A block opens with three or more backticks and ends at the first line that
is exactly the same run, so an example that holds a code fence uses a longer one. Blank lines
may separate the parts; anything else outside the blocks is an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FOLDER = "examples"
SUFFIX = ".md"
LANGUAGES = ("markdown", "text")
_LABELS = {"Bad:": "bad", "Good:": "good"}
_OPENING = re.compile(r"(`{3,})(" + "|".join(LANGUAGES) + r")")


class ExampleError(ValueError):
    """An example file that does not follow the format."""


@dataclass(frozen=True)
class Example:
    text: str  # without the newline before the closing fence
    language: str  # "markdown" (page text) or "text" (a description)

    @property
    def is_page(self) -> bool:
        return self.language == "markdown"


@dataclass(frozen=True)
class Examples:
    bad: Example  # fails the rule
    good: Example  # the same example, passing


def examples(rule_id: str) -> Examples:
    """The examples of one rule, read from the package's data (installed or not)."""
    from importlib.resources import files

    name = rule_id + SUFFIX
    return parse_examples((files(__package__) / FOLDER / name).read_text(encoding="utf-8"), name)


def example_ids() -> list[str]:
    """The rule ids the example files are named after (file names without the suffix), sorted."""
    from importlib.resources import files

    return sorted(
        entry.name.removesuffix(SUFFIX)
        for entry in (files(__package__) / FOLDER).iterdir()
        if entry.name.endswith(SUFFIX)
    )


def parse_examples(text: str, name: str) -> Examples:
    """The bad and the good example of one file's text; ``name`` is for error messages."""
    lines = text.replace("\r\n", "\n").split("\n")
    if lines[-1] == "":  # the file's final newline
        lines.pop()
    found: dict[str, Example] = {}
    index = _skip_blank(lines, 0)
    while index < len(lines):
        label = _LABELS.get(lines[index])
        if label is None or label in found:
            raise ExampleError(f"{name}:{index + 1}: expected {_expected(found)}, found {lines[index]!r}")
        index = _skip_blank(lines, index + 1)
        opening = _OPENING.fullmatch(lines[index]) if index < len(lines) else None
        if opening is None:
            raise ExampleError(f"{name}:{index + 1}: expected a fence such as '```markdown' or '```text'")
        fence = opening[1]
        try:
            end = lines.index(fence, index + 1)
        except ValueError:
            raise ExampleError(f"{name}:{index + 1}: the fence is never closed by a line '{fence}'") from None
        found[label] = Example("\n".join(lines[index + 1 : end]), opening[2])
        index = _skip_blank(lines, end + 1)
    if len(found) < len(_LABELS):
        raise ExampleError(f"{name}: expected {_expected(found)} after the last example")
    return Examples(bad=found["bad"], good=found["good"])


def _skip_blank(lines: list[str], index: int) -> int:
    while index < len(lines) and not lines[index].strip():
        index += 1
    return index


def _expected(found: dict[str, Example]) -> str:
    return " or ".join(repr(label) for label, key in _LABELS.items() if key not in found) or "the end of the file"
