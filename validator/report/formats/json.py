"""--format json: one object, {"findings": [...], "summary": {...}}; a shard's report adds
"site_pages", its pages' summaries for the rules that compare pages (read by `monolint merge`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from json.encoder import encode_basestring

from validator.model.finding import Finding
from validator.report.formats.context import Context
from validator.report.formats.summary import Style, Summary


def render(findings: list[Finding], summary: Summary, style: Style, context: Context) -> str:
    return "".join(chunks(findings, summary, style, context))


def chunks(findings: list[Finding], summary: Summary, style: Style, context: Context) -> Iterator[str]:
    """The report in pieces, finding by finding: what ``json.dumps(document, indent=2,
    ensure_ascii=False)`` writes, without holding the document or its text whole (a page
    can have hundreds of thousands of findings, and the standard encoder, which is written in
    Python when it indents, takes seconds and gigabytes for them)."""
    if not findings:
        yield '{\n  "findings": [],\n  "summary": '
    else:
        yield '{\n  "findings": [\n    '
        separator = ""
        for finding in findings:
            yield separator
            yield _indented(finding.to_dict(), "\n    ")
            separator = ",\n    "
        yield '\n  ],\n  "summary": '
    yield json.dumps(summary.to_dict(), indent=2, ensure_ascii=False).replace("\n", "\n  ")
    if summary.site_pages:
        yield ',\n  "site_pages": [\n    '
        yield ",\n    ".join(
            json.dumps(page.to_data(), ensure_ascii=False, separators=(",", ":")) for page in summary.site_pages
        )
        yield "\n  ]"
    yield "\n}\n"


def _indented(value: object, newline: str) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)`` at the depth ``newline`` indents
    to, for the values findings hold (others go to ``json.dumps`` itself)."""
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return int.__repr__(value)
    inner = newline + "  "
    if type(value) is dict and all(type(key) is str for key in value):
        if not value:
            return "{}"
        items = (f"{encode_basestring(key)}: {_indented(item, inner)}" for key, item in value.items())
        return "{" + inner + ("," + inner).join(items) + newline + "}"
    if type(value) is list:
        if not value:
            return "[]"
        return "[" + inner + ("," + inner).join(_indented(item, inner) for item in value) + newline + "]"
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", newline)
