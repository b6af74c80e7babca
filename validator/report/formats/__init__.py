"""Output formats: pure functions from findings to text. They know nothing of rules' logic;
what they need to describe rules comes as data in a Context.

Each module has ``render(findings, summary, style, context) -> str``; they are imported only
when chosen, so the common case pays only for the text format. Formats whose reports grow
with the findings (text, json) also have ``chunks(...)``, the same text in pieces, which the
command line writes as they come.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module
from typing import Protocol

from validator.model.finding import Finding
from validator.report import FORMATS
from validator.report.formats.context import Context, RuleInfo
from validator.report.formats.summary import Style, Summary, summarize


class Renderer(Protocol):
    def __call__(self, findings: list[Finding], summary: Summary, style: Style, context: Context) -> str: ...


class ChunkRenderer(Protocol):
    def __call__(self, findings: list[Finding], summary: Summary, style: Style, context: Context) -> Iterable[str]: ...


def chunk_renderer(name: str) -> ChunkRenderer:
    """The format's ``chunks``, or its ``render`` as one piece."""
    module = import_module(f".{name}", __name__) if name in FORMATS else None
    chunks: ChunkRenderer | None = getattr(module, "chunks", None)
    if chunks is not None:
        return chunks
    render = renderer(name)
    return lambda findings, summary, style, context: (render(findings, summary, style, context),)


def renderer(name: str) -> Renderer:
    if name not in FORMATS:
        raise ValueError(f"unknown format '{name}'")
    render: Renderer = import_module(f".{name}", __name__).render
    return render


__all__ = [
    "FORMATS",
    "ChunkRenderer",
    "Context",
    "RuleInfo",
    "Style",
    "Summary",
    "chunk_renderer",
    "renderer",
    "summarize",
]
