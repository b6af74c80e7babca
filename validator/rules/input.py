"""Input rules: the file could not be read, decoded or split into front matter and body, or
was too much to check in full."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from validator.facts.page_facts import PageFacts
from validator.model.finding import Severity
from validator.model.problems import Problem
from validator.rules.base import Check, Hit, Rule


def _front_matter_problem(kind: Problem) -> Check:
    def check(facts: PageFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
        for problem in facts.page.front_matter_problems:
            if problem.kind is kind:
                yield Hit(problem.start, problem.end, problem.message)

    return check


def dose_limit(facts: PageFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    doses = facts.model.doses
    if doses is None:  # a page type without doses
        return
    found = facts.first_unchecked
    if found is not None:
        limit = doses.max_per_page
        message = (
            f"this page has more than {limit:,} dose expressions (the content model's doses.max_per_page); "
            f"the dose rules checked the first {limit:,} and none from here on"
        )
        yield Hit(found.page(found.quantity.start), found.page_end(found.quantity.end), message)


DOSE_LIMIT = Rule(
    id="MON012",
    name="dose-limit",
    category="input",
    severity=Severity.ERROR,
    summary="The page has more dose expressions than the dose rules check on one page",
    rationale="A monograph has a few dozen doses; a page with hundreds of thousands is generated "
    "junk or hostile, and checking each would cost seconds per megabyte and a finding apiece. "
    "The dose rules check the first `doses.max_per_page` of the content model (its value for "
    "the built-in model is in docs/content-model.md) and this error marks the first one they "
    "did not check, so the "
    "page cannot pass unchecked. A page type with long dosing tables raises the limit in its "
    "content model.",
    check=dose_limit,
)


INTERNAL_ERROR = Rule(
    id="MON000",
    name="internal-error",
    category="input",
    severity=Severity.ERROR,
    summary="monolint itself failed on this file",
    rationale="A bug in monolint must not hide the other files' findings, so it is reported "
    "for the one file it happened on. Please report it with the page that triggers it.",
)


UNREADABLE_FILE = Rule(
    id="MON001",
    name="unreadable-file",
    category="input",
    severity=Severity.ERROR,
    summary="File cannot be read (missing, permission denied, dangling or looping link)",
    rationale="A page that cannot be read cannot be checked; in CI that usually means a broken "
    "symbolic link or a file checked in without read permission.",
)


NOT_UTF8 = Rule(
    id="MON002",
    name="not-utf8",
    category="input",
    severity=Severity.ERROR,
    summary="File is not valid UTF-8 text",
    rationale="Static site generators read pages as UTF-8; other encodings (UTF-16, Latin-1) "
    "render as mojibake, which is dangerous next to doses ('µg' becoming 'Âµg').",
)


BINARY_FILE = Rule(
    id="MON003",
    name="binary-file",
    category="input",
    severity=Severity.ERROR,
    summary="File contains NUL bytes (binary data named .md)",
    rationale="A Markdown page never contains NUL bytes; such a file is an image, an archive or a corrupted upload.",
)


FRONTMATTER_MISSING = Rule(
    id="MON004",
    name="frontmatter-missing",
    category="input",
    severity=Severity.ERROR,
    summary="Page does not start with YAML front matter",
    rationale="The site needs the layout and title from front matter to render the page at all.",
    check=_front_matter_problem(Problem.FRONT_MATTER_MISSING),
)


FRONTMATTER_UNCLOSED = Rule(
    id="MON005",
    name="frontmatter-unclosed",
    category="input",
    severity=Severity.ERROR,
    summary="Front matter is opened with '---' but never closed",
    rationale="Without the closing '---' the whole page is read as front matter and nothing renders.",
    check=_front_matter_problem(Problem.FRONT_MATTER_UNCLOSED),
)


FRONTMATTER_INVALID_YAML = Rule(
    id="MON006",
    name="frontmatter-invalid-yaml",
    category="input",
    severity=Severity.ERROR,
    summary="Front matter is not valid YAML",
    rationale="Invalid YAML (tabs, unbalanced quotes, unsafe tags, alias bombs) stops the site "
    "build or, worse, is read differently by different tools.",
    check=_front_matter_problem(Problem.FRONT_MATTER_INVALID_YAML),
)


FRONTMATTER_NOT_MAPPING = Rule(
    id="MON007",
    name="frontmatter-not-mapping",
    category="input",
    severity=Severity.ERROR,
    summary="Front matter is not a mapping of keys to values",
    rationale="Front matter must be key: value pairs; a list or a bare string has no title.",
    check=_front_matter_problem(Problem.FRONT_MATTER_NOT_MAPPING),
)


FRONTMATTER_DUPLICATE_KEY = Rule(
    id="MON008",
    name="frontmatter-duplicate-key",
    category="input",
    severity=Severity.ERROR,
    summary="A front matter key appears twice",
    rationale="YAML keeps only the last value of a repeated key, so an edit to the first one silently has no effect.",
    check=_front_matter_problem(Problem.FRONT_MATTER_DUPLICATE_KEY),
)


BAD_SUPPRESSION = Rule(
    id="MON009",
    name="bad-suppression",
    category="input",
    severity=Severity.WARNING,
    summary="A monolint-disable comment names no known rule",
    rationale="A typo in a suppression comment silently suppresses nothing; say which rule it meant.",
)


FIX_NOT_WRITTEN = Rule(
    id="MON010",
    name="fix-not-written",
    category="input",
    severity=Severity.ERROR,
    summary="--fix could not write the fixed page",
    rationale="The page or its folder is read-only, the disk is full, or the page changed while "
    "it was being fixed. The page is left exactly as it was; its findings are still reported.",
)


RESOURCE_LIMIT = Rule(
    id="MON011",
    name="resource-limit",
    category="input",
    severity=Severity.ERROR,
    summary="The page could not be checked: it hit a memory, recursion or process limit",
    rationale="A hostile or broken page (tens of megabytes of markup, front matter nested "
    "thousands deep) can exhaust the memory the run may use (MemoryError), Python's recursion "
    "limit (RecursionError), or kill the worker process checking it (the out-of-memory "
    "killer, a CPU-time limit). That page is reported, with the limit it hit, and the run "
    "goes on: every other page keeps its findings. Nothing is fixed or written on such a page.",
)
