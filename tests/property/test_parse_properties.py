"""Properties of parsing and checking any input: it never fails, and every position it
reports (finding, fix edit, rule hit) lies inside the page text.

The engine clamps offsets when it turns them into positions, so a rule's hit that lies
outside the text would still give an in-range finding; the hits are therefore also
checked before the engine sees them.
"""

from __future__ import annotations

import codecs
from collections.abc import Sequence

from helpers_fix import line_starts, offset
from hypothesis import assume, example, given
from strategies import MODEL, budget, encoded, raw_pages, texts

from validator.check.engine import check_bytes
from validator.config.selection import Layer, build_settings
from validator.facts.page_facts import PageFacts
from validator.model.finding import Finding, Position
from validator.parse.markdown import parse_page
from validator.parse.source import Source, decode, normalize_newlines
from validator.rules.base import BODY_CATEGORIES

# Every rule, including those off by default, so that each one's positions are checked.
EVERY_RULE = build_settings([Layer(select=["ALL"])])


def readable_text(raw: bytes) -> str:
    """The text positions refer to: the decoded page, or (for bytes that are not UTF-8) the
    text an editor shows, with bad bytes replaced."""
    source = decode(raw)
    if isinstance(source, Source):
        return source.text
    return normalize_newlines(raw.removeprefix(codecs.BOM_UTF8).decode("utf-8", "replace"))


def assert_position_inside(text: str, where: Position, what: str) -> None:
    lines = text.split("\n")  # the last line may be the empty one after a final newline
    assert 1 <= where.line <= len(lines), f"{what}: line {where.line} of {len(lines)}"
    width = len(lines[where.line - 1])
    assert 1 <= where.column <= width + 1, f"{what}: column {where.column} of a line of {width} code points"


def assert_findings_inside(text: str, findings: Sequence[Finding]) -> None:
    starts = line_starts(text)
    for finding in findings:
        label = f"{finding.rule} {finding.message!r}"
        assert_position_inside(text, finding.start, f"{label} start")
        assert_position_inside(text, finding.end, f"{label} end")
        assert finding.start <= finding.end, f"{label}: starts at {finding.start}, after its end {finding.end}"
        if finding.fix is None:
            continue
        assert len(finding.fix_spans) == len(finding.fix.edits), label
        for edit, (start, end) in zip(finding.fix.edits, finding.fix_spans, strict=True):
            assert 0 <= edit.start <= edit.end <= len(text), f"{label}: edit {edit} outside a text of {len(text)}"
            assert_position_inside(text, start, f"{label} fix start")
            assert_position_inside(text, end, f"{label} fix end")
            # The reported span is the edit's own, not a clamped one.
            assert (offset(starts, start.line, start.column), offset(starts, end.line, end.column)) == (
                edit.start,
                edit.end,
            ), label


@budget(250)
@given(raw_pages())
def test_checking_any_bytes_never_fails_and_reports_inside_the_text(raw: bytes) -> None:
    findings = check_bytes(raw, "page.md", EVERY_RULE, MODEL)
    crashes = [finding.message for finding in findings if finding.rule == "MON000"]
    assert crashes == []
    assert_findings_inside(readable_text(raw), findings)


@budget(250)
@given(encoded())
# Found by this property (fixed in 5c41be9): a control character in the front matter made
# PyYAML's reader raise outside validator/parse/front_matter.py's try block (MON000, not MON006).
@example(raw=b"---\n0\x1f\n---")
def test_checking_a_text_page_reports_inside_the_text(raw: bytes) -> None:
    findings = check_bytes(raw, "page.md", EVERY_RULE, MODEL)
    assert [finding.message for finding in findings if finding.rule == "MON000"] == []
    assert_findings_inside(readable_text(raw), findings)


@budget(200)
@given(texts())
def test_every_rule_hit_lies_inside_the_text(text: str) -> None:
    source = decode(text.encode("utf-8"))  # rules see decoded text: no CR, no BOM
    assume(isinstance(source, Source))  # text with NUL is binary: reported, never parsed
    assert isinstance(source, Source)
    text = source.text
    page = parse_page("page.md", text)
    facts = PageFacts(page, MODEL)  # one for all the rules, as the engine makes it
    for rule in EVERY_RULE.enabled:
        if rule.check is None or not (page.has_body or rule.category not in BODY_CATEGORIES):
            continue  # as the engine does
        for hit in rule.check(facts, EVERY_RULE.options_for(rule)):
            assert 0 <= hit.start <= hit.end <= len(text), f"{rule.id}: hit {hit.start}..{hit.end} of {len(text)}"
            for edit in hit.fix.edits if hit.fix else ():
                assert 0 <= edit.start <= edit.end <= len(text), f"{rule.id}: edit {edit} of {len(text)}"
