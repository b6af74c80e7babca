"""Another page type is another content model, not other code: rules follow the model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from helpers_cli import assert_usage_error, run
from helpers_model import write_model

from validator.api import Options, lint_text
from validator.config.files import Config
from validator.content_model.load import SchemaError, load_content_model

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"

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
    del data["drug"]  # a leaflet names no drug
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


def _edited_model(folder: Path, old: str, new: str) -> int:
    """schemas/page.yaml under ``folder``: the built-in model with ``old`` replaced by ``new``
    (beside the files it names); returns the line of the last line of ``old``."""
    text = (SCHEMAS / "monograph.yaml").read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    model = write_model(folder / "schemas", {}, "page.yaml")
    model.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old) + len(old.rstrip("\n"))].count("\n") + 1


def _top_level_keys() -> str:
    meta = json.loads((SCHEMAS / "content-model.schema.json").read_text(encoding="utf-8"))
    return ", ".join(sorted(meta["properties"]))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("\nsections:\n  level: 3", "\nsections:\n  level: 7", "sections.level must be an integer from 1 to 6, not 7"),
        ("\ntitle:\n  key: title", "\ntitle:\n  key: 7", "title.key must be a string, not 7"),
        ("  level: 1\n", '  level: "one"\n', 'title.level must be an integer from 1 to 6, not "one"'),
        ("name: monograph", "nme: monograph", "unknown key 'nme' (did you mean 'name'?); allowed keys: {top}"),
        (
            "    - heading: Usage",
            "    - header: Usage",
            "unknown key 'header' in sections.required[1] (did you mean 'heading'?); "
            "allowed keys: aliases, allow_empty, heading, questions",
        ),
        ("    - heading: Usage\n", "    - aliases: [Use]\n", "sections.required[1] needs the key 'heading'"),
        ("  must_be_last: true", "  must_be_last: maybe", 'disclaimer.must_be_last must be true or false, not "maybe"'),
        (
            '  detect: "^\\\\W*disclaimer\\\\b"',
            '  detect: "(x"',
            'disclaimer.detect must be a valid regular expression, not "(x"',
        ),
        (
            "    - id: not-medical-advice",
            "    - id: Not Advice",
            'disclaimer.ideas[0].id must match the pattern ^[a-z][a-z0-9-]*$, not "Not Advice"',
        ),
        ("aliases: [Uses, Use,", "aliases: [Uses, Uses,", 'sections.required[1].aliases must not list "Uses" twice'),
        ("  required:\n", "  required: []\n  unused:\n", "sections.required must not be an empty list"),
        (
            "name: monograph",
            "name: [monograph",
            "not valid YAML: did not find expected ',' or ']' (while parsing a flow sequence)",
        ),
    ],
)
def test_content_model_errors_are_one_line_with_file_line_key_and_what_is_allowed(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    line = _edited_model(tmp_path, old, new)
    if "YAML" in message:
        line += 1  # the parser notices the unclosed list on the next line
    (tmp_path / "page.md").write_text("---\ntitle: X\n---\n", encoding="utf-8")
    result = run(["check", "--isolated", "--schema", "schemas/page.yaml", "page.md"], tmp_path)
    assert_usage_error(result)
    assert result.stderr == f"monolint: error: schemas/page.yaml:{line}: {message.format(top=_top_level_keys())}\n"


def test_a_front_matter_schema_that_is_no_json_schema_is_named_with_its_line(tmp_path: Path) -> None:
    _edited_model(tmp_path, "schema: frontmatter.schema.json", "schema: fm.json")
    (tmp_path / "schemas" / "fm.json").write_text('{\n  "title": "x",\n  "type": 3\n}\n', encoding="utf-8")
    with pytest.raises(SchemaError) as raised:
        load_content_model(tmp_path / "schemas" / "page.yaml")
    assert str(raised.value).endswith(
        'fm.json:3: not a valid JSON Schema: \'type\' must be one of "array", "boolean", "integer", "null", '
        '"number", "object", "string", not 3'
    )
