"""Findings with awkward content, shared by the tests of the CI output formats (sarif, github,
junit, gitlab). Not a conftest: import what you use by name.

``tricky_findings()`` returns these findings, sorted by ``Finding.sort_key`` as the engine
sorts them (paths are relative to ``TRICKY_CWD``):

========================  =====================================  ========  ====================
path                      what is tricky                          severity  rule
========================  =====================================  ========  ====================
``-``                     standard input                          error     MON004
``../../elsewhere/x.md``  outside the repository root             error     MON301
``content/metformin.md``  severity lowered by configuration       info      MON410
``content/metformin.md``  start and end on different lines        error     MON302
``docs/Ärzte, notes/a:b   a fix (one insertion, safe)             error     MON401
100%.md`` (TRICKY_PATH)
TRICKY_PATH               message with %, LF, CR, ``::``, ``:``   warning   MON210
                          and ``,`` (TRICKY_MESSAGE)
========================  =====================================  ========  ====================

``TRICKY_CWD`` is ``TRICKY_ROOT / "site"``, so a format that reports repository-relative paths
(``Context.root_path``) must turn ``docs/...`` into ``site/docs/...``; ``TRICKY_ROOT_PATHS``
gives the expected path of each finding. The paths are fixed and never touched on disk.

``tricky_findings(line_shift=n)`` moves every finding (except the one on standard input) ``n``
lines down, as if lines had been added at the top of each page: stable fingerprints must not
change. ``tricky_context()`` is a Context with the real rule catalogue; ``tricky_summary()``
the Summary of ``tricky_findings()``.
"""

from __future__ import annotations

from pathlib import Path

from validator.docs.rules_doc import rule_catalogue
from validator.model.finding import Edit, Finding, Fix, Position, Severity
from validator.report.formats import Context, Summary, summarize

TRICKY_ROOT = Path("/srv/monolint-tricky/repo")
TRICKY_CWD = TRICKY_ROOT / "site"
TRICKY_PATH = "docs/Ärzte, notes/a:b 100%.md"
TRICKY_MESSAGE = "unknown section 'Dosage: 100%'\nsecond line\r with :: and a:b, c"
OUTSIDE_PATH = "../../elsewhere/x.md"
MULTILINE_PATH = "content/metformin.md"
STDIN_PATH = "-"
# Each finding's path as Context.root_path gives it, in the order of tricky_findings().
TRICKY_ROOT_PATHS = (
    "-",
    "../elsewhere/x.md",
    "site/content/metformin.md",
    "site/content/metformin.md",
    "site/docs/Ärzte, notes/a:b 100%.md",
    "site/docs/Ärzte, notes/a:b 100%.md",
)
TRICKY_FILES = 4  # distinct paths, for the summary


def _at(line: int, column: int) -> Position:
    return Position(line, column)


def tricky_findings(line_shift: int = 0) -> list[Finding]:
    """The findings described in the module docstring, sorted like the engine sorts them."""
    s = line_shift
    findings = [
        Finding(
            path=TRICKY_PATH,
            start=_at(12 + s, 7),
            end=_at(12 + s, 11),
            rule="MON401",
            name="dose-no-space",
            category="dose",
            severity=Severity.ERROR,
            message="'10mg': put a space between the number and the unit ('10 mg')",
            # "Take 10mg" on its line: the space goes between "10" and "mg" (columns 9/9).
            fix=Fix(message="Insert a space", edits=(Edit(start=230 + s, end=230 + s, text=" "),)),
            fix_spans=((_at(12 + s, 9), _at(12 + s, 9)),),
        ),
        Finding(
            path=TRICKY_PATH,
            start=_at(20 + s, 1),
            end=_at(20 + s, 34),
            rule="MON210",
            name="unknown-section",
            category="structure",
            severity=Severity.WARNING,
            message=TRICKY_MESSAGE,
        ),
        Finding(
            path=MULTILINE_PATH,
            start=_at(37 + s, 1),
            end=_at(41 + s, 12),
            rule="MON302",
            name="disclaimer-not-last",
            category="disclaimer",
            severity=Severity.ERROR,
            message="the disclaimer must be the last block; 2 block(s) follow it, from line 39",
        ),
        Finding(
            path=MULTILINE_PATH,
            start=_at(17 + s, 20),
            end=_at(17 + s, 22),
            rule="MON410",
            name="dose-comparison-symbol",
            category="dose",
            severity=Severity.INFO,
            message="'>': write 'more than' instead of a comparison symbol",
        ),
        Finding(
            path=OUTSIDE_PATH,
            start=_at(1 + s, 1),
            end=_at(1 + s, 4),
            rule="MON301",
            name="disclaimer-missing",
            category="disclaimer",
            severity=Severity.ERROR,
            message="the page has no disclaimer",
        ),
        Finding(
            path=STDIN_PATH,
            start=_at(1, 1),
            end=_at(1, 2),
            rule="MON004",
            name="frontmatter-missing",
            category="input",
            severity=Severity.ERROR,
            message="the page has no front matter (it must start with a '---' line)",
        ),
    ]
    return sorted(findings, key=lambda finding: finding.sort_key)


def tricky_context() -> Context:
    """The real rule catalogue, a fixed version, and the fixed TRICKY_CWD / TRICKY_ROOT."""
    return Context(rules=rule_catalogue(), version="0.0.0-test", cwd=TRICKY_CWD, root=TRICKY_ROOT, environ={})


def tricky_summary(findings: list[Finding] | None = None) -> Summary:
    return summarize(tricky_findings() if findings is None else findings, TRICKY_FILES)
