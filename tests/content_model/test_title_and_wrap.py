"""Two content-model keys for sites whose pages differ from the monograph's: `title.in_body`
(the site renders the front matter title, so the body has no title heading) and
`sections.wrap` (section headings set in bold or italics)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers_model import default_model_data, write_model

from validator.api import Options, fix_text, lint_text
from validator.config.files import Config
from validator.content_model.load import SchemaError, load_content_model

# Every monograph section, at level 2 and set in bold, with no H1 and no disclaimer.
BOLD_PAGE = """---
layout: minimal-medicine
title: Testamol
---
## **Generic Name**
Testamol

## **Usage**
Mild pain.

## **Dosage**
500 mg every 6 hours.

## **Side Effects**
Nausea.

## **How it Works**
It lowers prostaglandins.

## **Precautions**
Liver disease.

## **FAQs**
**Q:** With food? **A:** Yes.
"""


def _model(in_body: bool | None = None, wrap: str | None = None) -> dict[str, Any]:
    data = default_model_data()
    del data["applies_to"], data["disclaimer"]
    data["sections"]["level"] = 2
    if in_body is not None:
        data["title"]["in_body"] = in_body
    if wrap is not None:
        data["sections"]["wrap"] = wrap
    return data


def _lint(tmp_path: Path, data: dict[str, Any], page: str = BOLD_PAGE) -> list[tuple[str, int, int]]:
    model = write_model(tmp_path / "model", data)
    options = Options(schema=model, select=["ALL"])
    findings = lint_text(page, "testamol.md", Config(root=tmp_path, source=None), options, cwd=tmp_path)
    return [(finding.rule, finding.start.line, finding.start.column) for finding in findings]


def test_the_keys_default_to_a_title_heading_and_plain_headings(tmp_path: Path) -> None:
    model = load_content_model(write_model(tmp_path, _model()))
    assert model.title_in_body is True
    assert model.section_wrap == ""
    assert model.written(model.sections[0]) == "Generic Name"


def test_without_the_keys_the_bold_page_has_no_title_and_unbolded_names(tmp_path: Path) -> None:
    """The same page under a model that expects '# Testamol' and plain headings."""
    found = _lint(tmp_path, _model())
    assert found[0] == ("MON201", 5, 1)
    assert found[1:] == [("MON207", line, 4) for line in (5, 8, 11, 14, 17, 20, 23)]


def test_with_the_keys_the_bold_page_is_clean(tmp_path: Path) -> None:
    assert _lint(tmp_path, _model(in_body=False, wrap="**")) == []


def test_a_heading_without_the_wrap_is_not_canonical_and_is_fixed_safely(tmp_path: Path) -> None:
    page = BOLD_PAGE.replace("## **Usage**", "## Usage").replace("## **Dosage**", "## *Dosage:*")
    data = _model(in_body=False, wrap="**")
    assert _lint(tmp_path, data, page) == [("MON207", 8, 4), ("MON207", 11, 4)]
    model = write_model(tmp_path / "fix", data)
    options = Options(schema=model, select=["ALL"])
    report = fix_text(page, "testamol.md", Config(root=tmp_path, source=None), options, cwd=tmp_path)
    assert report.output == BOLD_PAGE.encode()
    assert report.findings == ()


def test_a_synonym_is_written_in_the_wrap_by_an_unsafe_fix(tmp_path: Path) -> None:
    page = BOLD_PAGE.replace("## **Dosage**", "## **Dosing**")
    data = _model(in_body=False, wrap="**")
    model = write_model(tmp_path / "model", data)
    options = Options(schema=model, select=["ALL"])
    findings = lint_text(page, "testamol.md", Config(root=tmp_path, source=None), options, cwd=tmp_path)
    assert [(f.rule, f.start.line) for f in findings] == [("MON207", 11)]
    fix = findings[0].fix
    assert fix is not None and not fix.safe
    assert [edit.text for edit in fix.edits] == ["**Dosage**"]
    assert "should be written '**Dosage**'" in findings[0].message


def test_with_the_title_out_of_the_body_an_h1_is_a_second_title(tmp_path: Path) -> None:
    """title-mismatch does not compare it (there is no title heading to compare); title-multiple
    reports every H1, the first one too."""
    page = BOLD_PAGE.replace("---\n## **Generic Name**", "---\n# Something else\n## **Generic Name**")
    page = page.replace("## **FAQs**", "# Another\n## **FAQs**")
    findings = _lint(tmp_path, _model(in_body=False, wrap="**"), page)
    assert findings == [("MON202", 5, 1), ("MON202", 24, 1)]


def test_with_the_title_in_the_body_the_title_rules_still_report(tmp_path: Path) -> None:
    page = BOLD_PAGE.replace("---\n## **Generic Name**", "---\n# Something else\n## **Generic Name**")
    assert _lint(tmp_path, _model(in_body=True, wrap="**"), page) == [("MON203", 5, 3)]


@pytest.mark.parametrize(
    ("part", "key", "value", "message"),
    [
        ("title", "in_body", "no", "title.in_body must be true or false"),
        ("sections", "wrap", 2, "sections.wrap must be a string"),
    ],
)
def test_a_wrong_value_is_one_clear_line(tmp_path: Path, part: str, key: str, value: Any, message: str) -> None:
    data = _model()
    data[part][key] = value
    with pytest.raises(SchemaError) as raised:
        load_content_model(write_model(tmp_path, data))
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)
