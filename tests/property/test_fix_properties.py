"""Properties of fixing any page: fixing twice changes nothing, each pass changes only the
text inside the edits it reports, and each fix on its own repairs its finding without
changing the Markdown structure.

The expected results are worked out with tests/helpers_fix.py, written independently of
validator/fix/apply.py.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from helpers_fix import Span, apply_first_wins, changed_only_inside, line_starts, offset
from helpers_model import every_page_model
from hypothesis import assume, example, given
from hypothesis import strategies as st
from strategies import MODEL, budget, encoded, texts

from validator.api import Options, fix_text
from validator.check.engine import check_text
from validator.config.files import Config
from validator.config.selection import Layer, build_settings
from validator.fix.apply import applicable, apply_fixes
from validator.fix.apply import fix_text as fix_loop
from validator.fix.safety_net import structure_problem
from validator.model.finding import Finding, Fix
from validator.parse.source import Source, decode

# Generated pages often lack the layout the built-in model applies to; this model (the same
# minus applies_to) fixes every one of them, so that no example passes by being skipped.
ISOLATED = Config(root=Path(__file__).parent, source=None, schema=every_page_model())
# Every rule, including those off by default, so that every fix is exercised.
EVERY_RULE = build_settings([Layer(select=["ALL"])])

# Found by these properties (and by the fuzzing of 5c41be9, which fixed it): the unsafe fix of
# disclaimer-missing (MON301) appended the disclaimer inside a code block (or an HTML comment)
# that is never closed; still missing, it was appended again on every pass (10 copies a run).
UNCLOSED_FENCE = "---\nlayout: minimal-medicine\ntitle: Testamol\n---\n# Testamol\n\n### Generic Name\n\n```\nTake\n"


def lint(text: str) -> list[Finding]:
    return check_text(text, "page.md", EVERY_RULE, MODEL)


def decoded(text: str) -> str:
    """The text rules see: what decoding the page's UTF-8 bytes gives (LF newlines, no BOM)."""
    source = decode(text.encode("utf-8"))
    assume(isinstance(source, Source))  # text with NUL is binary: reported, never fixed
    assert isinstance(source, Source)
    return source.text


def spans(fix: Fix) -> list[Span]:
    return [(edit.start, edit.end, edit.text) for edit in fix.edits]


@budget(120)
@given(encoded(), st.booleans())
@example(raw=UNCLOSED_FENCE.encode("utf-8"), unsafe=True)
@example(raw=b"---\n0:\ntitle: 0&ap;\n---", unsafe=True)  # the H1 fix must escape '&' (found by Hypothesis)
def test_fixing_the_fixed_page_changes_nothing(raw: bytes, unsafe: bool) -> None:
    options = Options(select=["ALL"], fix=True, unsafe_fixes=unsafe)
    first = fix_text(raw, "page.md", ISOLATED, options)
    assert first.output is not None
    second = fix_text(first.output, "page.md", ISOLATED, options)
    assert second.output == first.output
    assert (second.fixed, second.changes) == (0, ())
    if not second.failures:  # a page that cannot be decoded or fixed keeps its findings
        left = [f"{f.rule} {f.message}" for f in second.findings if applicable(f, unsafe)]
        assert left == [], "a fixed page has no finding that carries an applicable fix"


@budget(120)
@given(texts(), st.booleans())
def test_each_pass_changes_only_the_text_inside_its_reported_edits(text: str, unsafe: bool) -> None:
    passes: list[tuple[str, list[Finding]]] = []

    def recording(current: str) -> list[Finding]:
        findings = lint(current)
        passes.append((current, findings))
        return findings

    result = fix_loop(decoded(text), recording, unsafe)
    if result.problem is not None:  # refused by the structure check: nothing changes
        assert (result.text, result.fixed) == (passes[0][0], 0)
        return
    # Pass n lints the text pass n-1 made; the last text is the result.
    assert passes[-1][0] == result.text
    for (before, findings), (after, _) in itertools.pairwise(passes):
        fixes = [spans(fix) for finding in findings if (fix := applicable(finding, unsafe)) is not None]
        expected, conflicts = apply_first_wins(before, fixes)
        if not conflicts:
            assert after == expected
        assert changed_only_inside(before, after, [edit for edits in fixes for edit in edits])


def _fixed_region(fix: Fix) -> tuple[int, int]:
    """Where the text a fix writes lies in the fixed text (its edits, from first to last)."""
    start = min(edit.start for edit in fix.edits)
    end = max(edit.end for edit in fix.edits)
    growth = sum(len(edit.text) - (edit.end - edit.start) for edit in fix.edits)
    return start, end + growth


def _span(text: str, finding: Finding) -> tuple[int, int]:
    starts = line_starts(text)
    start, end = finding.start, finding.end
    return offset(starts, start.line, start.column), offset(starts, end.line, end.column)


@budget(150)
@given(texts())
@example(text=UNCLOSED_FENCE)
@example(text="- \u2028\n0g")  # the dose was placed on the marker's line (found by Hypothesis)
def test_each_fix_alone_repairs_its_finding_at_its_place(text: str) -> None:
    text = decoded(text)
    for finding in lint(text):
        if finding.fix is None or not finding.fix.edits:
            continue
        fixed, applied = apply_fixes(text, [finding.fix])
        assert applied and fixed != text, f"{finding.rule} at {finding.start}: its fix changes nothing"
        start, end = _fixed_region(finding.fix)
        again = [
            other
            for other in lint(fixed)
            if other.rule == finding.rule and _span(fixed, other)[0] <= end and _span(fixed, other)[1] >= start
        ]
        assert again == [], f"{finding.rule} {finding.message!r}: fixed as {fixed[start:end]!r}, still reported"


@budget(150)
@given(texts())
# Found by this property (fixed in 5c41be9): title-mismatch (MON203) on an empty H1 ('#')
# wrote the title before the '#', which made a paragraph, so the structure check refused
# every fix of the page.
@example(text="---\nlayout: minimal-medicine\ntitle: A\n---\n#\n")
# Found by this property: dose-no-space (MON401) inserts its space inside the emphasis that
# opens the unit ('10* mg*'), which breaks it; the structure check then refuses every safe
# fix of the page.
@example(text="Take 10*mg* daily.\n")
# Found by this property: dose-comparison-symbol (MON410, unsafe) writes 'at most' for '≤'
# where the '*' before it then opens emphasis ('0*at most 0g*').
@example(text="0*≤0g*")
def test_each_fix_alone_keeps_the_markdown_structure(text: str) -> None:
    # A fix the structure check refuses makes --fix refuse the whole page.
    text = decoded(text)
    for finding in lint(text):
        if finding.fix is None or not finding.fix.edits:
            continue
        fixed, applied = apply_fixes(text, [finding.fix])
        problem = structure_problem(text, fixed, applied)
        assert problem is None, f"{finding.rule} {finding.message!r}: {problem}"
