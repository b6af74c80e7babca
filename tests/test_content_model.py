"""Another page type is another content model, not other code: rules follow the model."""

from __future__ import annotations

from pathlib import Path

import yaml
from helpers_model import write_model

from validator.api import Options, lint_text
from validator.config import Config

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"

PAGE = """---
layout: minimal-medicine
title: Thermometer
---

# Thermometer
### Intended Use
Measures body temperature.

### Cleaning
Wipe with alcohol.

Note: This page is not medical advice; ask your doctor.
"""


def _model(tmp_path: Path) -> Path:
    """A leaflet page type: two sections, and a disclaimer labelled **Note:**."""
    data = yaml.safe_load((SCHEMAS / "monograph.yaml").read_text(encoding="utf-8"))
    data["name"] = "leaflet"
    data["sections"]["required"] = [{"heading": "Intended Use"}, {"heading": "Cleaning", "aliases": ["Care"]}]
    data["disclaimer"]["markdown"] = "**Note:**"
    data["disclaimer"]["detect"] = "^\\W*note\\b"
    return write_model(tmp_path, data, "leaflet.yaml")


def test_sections_and_disclaimer_label_come_from_the_model(tmp_path: Path) -> None:
    options = Options(schema=_model(tmp_path))
    findings = lint_text(PAGE, "thermometer.md", Config(root=tmp_path, source=None), options, cwd=tmp_path)
    assert [(f.rule, f.start.line, f.start.column) for f in findings] == [("MON304", 13, 1)]
    (label,) = findings
    assert label.fix is not None
    assert [edit.text for edit in label.fix.edits] == ["**Note:** "]
    assert label.fix_spans[0][1].column == len("Note: ") + 1


def test_the_monograph_model_rejects_the_same_page(tmp_path: Path) -> None:
    findings = lint_text(PAGE, "thermometer.md", Config(root=tmp_path, source=None), cwd=tmp_path)
    # Its note says both required ideas, so it counts as an unlabelled monograph disclaimer.
    assert {"MON204", "MON210", "MON304"} <= {f.rule for f in findings}


def test_a_model_without_number_words_still_reads_doses(tmp_path: Path) -> None:
    """`number_words` is optional in the content model: without it the scanner has no scale
    group to read, and must not fail on the first dose."""
    path = _model(tmp_path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["doses"]["number_words"]
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    page = PAGE.replace("Wipe with alcohol.", "Wipe with 5mL of alcohol.")
    findings = lint_text(page, "thermometer.md", Config(root=tmp_path, source=None), Options(schema=path), cwd=tmp_path)
    assert [(f.rule, f.start.line, f.start.column) for f in findings] == [("MON401", 11, 11), ("MON304", 13, 1)]
