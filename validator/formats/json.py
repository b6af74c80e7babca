"""--format json: one object, {"findings": [...], "summary": {...}}."""

from __future__ import annotations

import json

from ..finding import Finding
from .context import Context
from .summary import Style, Summary


def render(findings: list[Finding], summary: Summary, style: Style, context: Context) -> str:
    document = {"findings": [finding.to_dict() for finding in findings], "summary": summary.to_dict()}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
