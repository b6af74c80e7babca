"""The one value every check produces: a Finding, with its Severity and optional Fix."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from validator.model.frozen import quick_init

STDIN_PATH = "-"  # the path of a page read from standard input that no file name was given for


class Severity(str, enum.Enum):
    """How much a finding matters; only ``error`` makes the run fail."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@quick_init
@dataclass(frozen=True, order=True, slots=True)
class Position:
    """A 1-based line and column; columns count Unicode code points."""

    line: int
    column: int


@quick_init
@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the characters between two offsets of the page text (end exclusive)."""

    start: int
    end: int
    text: str


@quick_init
@dataclass(frozen=True, slots=True)
class Fix:
    """Edits that together repair one finding; ``safe`` fixes keep the meaning of the text."""

    message: str
    edits: tuple[Edit, ...]
    safe: bool = True


@quick_init
@dataclass(frozen=True, slots=True)
class Location:
    """A span of another page that a finding points at too (a rule that compares pages)."""

    path: str
    start: Position
    end: Position

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.start.line,
            "column": self.start.column,
            "end_line": self.end.line,
            "end_column": self.end.column,
        }


@quick_init
@dataclass(frozen=True, slots=True)
class Finding:
    """One complete, immutable report about one file. Only the engine creates these."""

    path: str
    start: Position
    end: Position
    rule: str
    name: str
    category: str
    severity: Severity
    message: str
    fix: Fix | None = None
    # Positions of the fix's edits, resolved by the engine so formatters need no page.
    fix_spans: tuple[tuple[Position, Position], ...] = ()
    # What the finding is about, in a word a report can group by (the section a structure
    # finding names, the error-prone form a dose finding found); None when the rule says none.
    # Its Rule record's ``aspect`` says what kind of thing it names.
    subject: str | None = None
    # The other pages' spans a finding of a rule that compares pages is about (the page
    # whose title it repeats); empty for the rules that read one page.
    related: tuple[Location, ...] = ()

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.start.line, self.start.column, self.rule)

    def to_dict(self) -> dict[str, object]:
        """The JSON shape documented in the README (1-based, end exclusive)."""
        fix: dict[str, object] | None = None
        if self.fix is not None:
            fix = {
                "message": self.fix.message,
                "safe": self.fix.safe,
                "edits": [
                    {
                        "line": start.line,
                        "column": start.column,
                        "end_line": end.line,
                        "end_column": end.column,
                        "text": edit.text,
                    }
                    for edit, (start, end) in zip(self.fix.edits, self.fix_spans, strict=True)
                ],
            }
        data: dict[str, object] = {
            "path": self.path,
            "line": self.start.line,
            "column": self.start.column,
            "end_line": self.end.line,
            "end_column": self.end.column,
            "rule": self.rule,
            "name": self.name,
            "category": self.category,
            "severity": self.severity.value,
            "message": self.message,
            "subject": self.subject,
            "fix": fix,
        }
        if self.related:  # only rules that compare pages have them: other findings keep their shape
            data["related"] = [location.to_dict() for location in self.related]
        return data
