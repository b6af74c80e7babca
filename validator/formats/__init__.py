"""Output formats: pure functions from findings to text. They know nothing of rules' logic.

Each module has ``render(findings, summary, style) -> str``; they are imported only when
chosen, so the common case pays only for the text format.
"""

from __future__ import annotations

from importlib import import_module
from typing import Protocol

from .summary import Style, Summary, summarize

FORMATS = ("text", "json")


class Renderer(Protocol):
    def __call__(self, findings: list, summary: Summary, style: Style) -> str: ...  # type: ignore[type-arg]


def renderer(name: str) -> Renderer:
    if name not in FORMATS:
        raise ValueError(f"unknown format '{name}'")
    render: Renderer = import_module(f".{name}", __name__).render
    return render


__all__ = ["FORMATS", "Style", "Summary", "renderer", "summarize"]
