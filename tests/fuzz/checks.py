"""The properties the fuzz harnesses check, shared with tests/fuzz/test_fuzz_regressions.py.

Each check takes raw bytes (any bytes: they need not be UTF-8) and raises FuzzFailure when
monolint breaks a promise on them. The engine turns an unexpected exception into a MON000
(internal-error) finding instead of raising, so a MON000 finding counts as a crash here.
"""

from __future__ import annotations

import json
import re
import traceback
from collections.abc import Iterable
from pathlib import Path

from validator.check.engine import check_bytes
from validator.check.suppress import suppressions
from validator.config.selection import Layer, build_settings
from validator.content_model.load import load_content_model
from validator.facts.page_facts import PageFacts
from validator.fix.apply import FileFix, applicable, fix_bytes
from validator.model.finding import Finding, Position
from validator.model.page import Page
from validator.parse.markdown import parse_page
from validator.parse.source import Source, decode, normalize_newlines
from validator.rules.base import BODY_CATEGORIES, Hit

DISPLAY = "page.md"
INTERNAL_ERROR = "MON000"
# Every rule, the ones that are off by default too, as a user gets with --extend-select ALL.
SETTINGS = build_settings([Layer(extend_select=["ALL"])])
MODEL = load_content_model()


class FuzzFailure(AssertionError):
    """monolint broke one of its promises on a fuzzed input. ``kind`` names the broken
    promise without the input's details, so one bug found many times is recorded once."""

    def __init__(self, message: str, kind: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind or re.sub(r"'[^']*'|\d+|\W+", "_", message.split("\n", maxsplit=1)[0])[:100]


def escaped(stage: str, error: Exception) -> FuzzFailure:
    """An exception that got out of monolint's entry point, which promises never to raise;
    its kind is the exception type and the innermost line of monolint it came from."""
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if "validator" in frame.filename]
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    return FuzzFailure(
        f"{stage}: {type(error).__name__} escaped at {where}: {error}", kind=f"{stage}_{type(error).__name__}_{where}"
    )


def check_lint(raw: bytes) -> None:
    """Linting never fails internally, and every finding points inside the page."""
    try:
        findings = check_bytes(raw, DISPLAY, SETTINGS, MODEL)
    except Exception as error:
        raise escaped("lint", error) from error
    no_internal_error(findings, "lint")
    findings_inside(findings, _text_for_positions(raw), "lint")
    source = decode(raw)
    if isinstance(source, Source):
        _hits_inside(source.text)


def check_fix(raw: bytes, unsafe: bool) -> None:
    """Fixing never fails, is refused by no safety net, keeps text decodable, and a second
    fix of its output changes nothing."""
    once = _fix(raw, unsafe)
    no_internal_error(once.findings, f"fix (unsafe={unsafe})")
    if not isinstance(decode(raw), Source):
        if once.output != raw:
            raise FuzzFailure("fix changed a page that cannot be decoded")
        return
    fixed = decode(once.output)
    if not isinstance(fixed, Source):
        raise FuzzFailure(f"fixed output does not decode: {fixed.message}")
    findings_inside(once.findings, fixed.text, f"fix (unsafe={unsafe})")
    twice = _fix(once.output, unsafe)
    no_internal_error(twice.findings, f"second fix (unsafe={unsafe})")
    if twice.output != once.output:
        rules = sorted({finding.rule for finding in twice.original if applicable(finding, unsafe)})
        raise FuzzFailure(
            f"fixing twice is not fixing once (unsafe={unsafe}); fixes left after the first: {rules}\n"
            f"once:  {once.output!r}\ntwice: {twice.output!r}",
            kind=f"idempotence_unsafe={unsafe}_{'_'.join(rules)}",
        )


def _fix(raw: bytes, unsafe: bool) -> FileFix:
    try:
        return fix_bytes(raw, DISPLAY, SETTINGS, MODEL, unsafe)
    except Exception as error:
        raise escaped(f"fix (unsafe={unsafe})", error) from error


def check_all(raw: bytes) -> None:
    """Every check the two harnesses run, for the regression tests."""
    check_lint(raw)
    check_fix(raw, unsafe=False)
    check_fix(raw, unsafe=True)


def no_internal_error(findings: Iterable[Finding], stage: str) -> None:
    for finding in findings:
        if finding.rule == INTERNAL_ERROR:
            raise FuzzFailure(
                f"{stage}: {finding.rule} at {finding.start}: {finding.message}", _crash_kind(stage, finding)
            )


def _crash_kind(stage: str, finding: Finding) -> str:
    """The exception's type and message, or the reason fixes were refused, without the
    input's details (line numbers, quoted text)."""
    what = finding.message.removeprefix("monolint failed on this file (")
    what = what.replace("the fixes would change the Markdown structure", "fix refused")
    what = re.sub(r"'[^']*'|#x[0-9a-fA-F]+", "", what)
    return re.sub(r"\d+|\W+", "_", f"{stage} {what}")[:90]


def _text_for_positions(raw: bytes) -> str:
    """The text positions count in: the decoded page, or for bytes that do not decode the
    lossy decoding that the decode problem's line and column are computed on."""
    source = decode(raw)
    if isinstance(source, Source):
        return source.text
    return normalize_newlines(raw.decode("utf-8", errors="replace").removeprefix("\ufeff"))


def findings_inside(findings: Iterable[Finding], text: str, stage: str) -> None:
    lengths = [len(line) for line in text.split("\n")]

    def inside(position: Position) -> bool:
        return 1 <= position.line <= len(lengths) and 1 <= position.column <= lengths[position.line - 1] + 1

    for finding in findings:
        spans = [(finding.start, finding.end), *finding.fix_spans]
        for start, end in spans:
            if not (inside(start) and inside(end) and start <= end):
                raise FuzzFailure(f"{stage}: {finding.rule} span {start}..{end} is outside the page or reversed")
        json.dumps(finding.to_dict())  # every output format starts from this


def _hits_inside(text: str) -> None:
    """The rules' own offsets, before the engine clamps them into the page: a rule that
    points outside the text has a bug that clamping would hide."""
    page = parse_page(DISPLAY, text)
    _runs_verbatim(page)
    _numbers_built(page)
    facts = PageFacts(page, MODEL)  # one for all the rules, as the engine makes it
    for rule in SETTINGS.enabled:
        if rule.check is None or not (page.has_body or rule.category not in BODY_CATEGORIES):
            continue
        for hit in rule.check(facts, SETTINGS.options_for(rule)):
            _hit_inside(rule.id, hit, len(text))
    for problem in suppressions(page).problems:
        _hit_inside("bad-suppression", Hit(problem.start, problem.end, problem.message), len(text))


def _runs_verbatim(page: Page) -> None:
    """A prose run is text exactly as written in the source (model.page.TextRun): the dose
    rules' fixes edit the page at the runs' offsets, so a misplaced run means a fix that
    rewrites the wrong characters."""
    for run in page.runs:
        found = page.text[run.start : run.end]
        if found != run.text:
            raise FuzzFailure(
                f"prose run {run.text!r} is placed at {run.start}, where the page has {found!r}", kind="misplaced_run"
            )


def _numbers_built(page: Page) -> None:
    """The dose rules read only the segments built with the page (Page.numeric_segments):
    a segment with a digit left out of them is a dose no rule sees."""
    numeric = {id(segment) for segment in page.numeric_segments}
    for segment in page.segments:
        if id(segment) not in numeric and any(char.isdecimal() for char in segment.text):
            raise FuzzFailure(
                f"segment {segment.text!r} holds a digit but was not built with the page", kind="unbuilt_number"
            )


def _hit_inside(rule: str, hit: Hit, length: int) -> None:
    if not 0 <= hit.start <= hit.end <= length:
        raise FuzzFailure(
            f"{rule} hit {hit.start}..{hit.end} is outside the text (length {length})", kind=f"hit_outside_{rule}"
        )
    for edit in hit.fix.edits if hit.fix is not None else ():
        if not 0 <= edit.start <= edit.end <= length:
            raise FuzzFailure(
                f"{rule} fix edit {edit.start}..{edit.end} is outside the text (length {length})",
                kind=f"edit_outside_{rule}",
            )
