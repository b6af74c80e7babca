"""Output formats: pure functions from findings to text. They know nothing of rules' logic;
what they need to describe rules comes as data in a Context.

Each module has ``render(findings, summary, style, context) -> str``; they are imported only
when chosen, so the common case pays only for the text format.
"""

from __future__ import annotations

from importlib import import_module
from typing import Protocol

from ..finding import Finding
from .context import Context, RuleInfo
from .summary import Style, Summary, summarize

FORMATS = ("text", "json", "github", "sarif", "junit", "gitlab")


class Renderer(Protocol):
    def __call__(self, findings: list[Finding], summary: Summary, style: Style, context: Context) -> str: ...


def renderer(name: str) -> Renderer:
    if name not in FORMATS:
        raise ValueError(f"unknown format '{name}'")
    render: Renderer = import_module(f".{name}", __name__).render
    return render


__all__ = ["FORMATS", "Context", "RuleInfo", "Style", "Summary", "renderer", "summarize"]
