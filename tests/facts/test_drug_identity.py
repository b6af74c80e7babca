"""The page's own names (validator/facts/drug_identity.py): the title and the generic-name
line, with the spans findings about them point at."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers_model import default_model_data, write_model
from validator.content_model.load import SchemaError, load_content_model
from validator.facts.page_facts import PageFacts
from validator.parse.markdown import parse_page

MODEL = load_content_model()


def identity(text: str, model=MODEL):  # type: ignore[no-untyped-def]
    page = parse_page("page.md", text)
    return page, PageFacts(page, model).drug


def test_title_points_at_the_title_heading_and_generic_at_its_line() -> None:
    text = "---\ntitle: Bisoprolol + Hydrochlorothiazide\n---\n\n# Bisoprolol +  Hydrochlorothiazide\n### Generic Name\n<!-- x -->\nBisoprolol/Hydrochlorothiazide\nsecond line\n\n### Usage\nText.\n"
    page, drug = identity(text)
    assert drug.title is not None and drug.generic is not None
    assert drug.title.text == "Bisoprolol + Hydrochlorothiazide"
    assert page.text[drug.title.start : drug.title.end] == "Bisoprolol +  Hydrochlorothiazide"
    assert drug.generic.text == "Bisoprolol/Hydrochlorothiazide"
    assert page.text[drug.generic.start : drug.generic.end] == "Bisoprolol/Hydrochlorothiazide"
    assert drug.components(MODEL, drug.title) == ("Bisoprolol", "Hydrochlorothiazide")
    assert drug.components(MODEL, drug.generic) == ("Bisoprolol", "Hydrochlorothiazide")


def test_without_a_title_heading_the_title_points_at_its_front_matter_line() -> None:
    page, drug = identity("---\ntitle: Baclofen\n---\n\n### Usage\nText.\n")
    assert drug.title is not None
    assert page.text[drug.title.start : drug.title.end].startswith("title")
    assert drug.generic is None


@pytest.mark.parametrize(
    "body",
    [
        "### Generic Name\n\n### Usage\nText.\n",  # empty section
        "### Generic Name\n- Baclofen\n",  # a list, not a line
        "### Usage\nBaclofen\n",  # no such section
    ],
)
def test_no_generic_line(body: str) -> None:
    _, drug = identity(f"---\ntitle: Baclofen\n---\n\n# Baclofen\n{body}")
    assert drug.generic is None


@pytest.mark.parametrize("title", ["", "  ", "[]", "3"])
def test_no_usable_title(title: str) -> None:
    _, drug = identity(f"---\ntitle: {title}\n---\n\n# Baclofen\n")
    assert drug.title is None


def test_a_model_may_name_no_generic_section_and_its_own_separator(tmp_path: Path) -> None:
    data = default_model_data()
    data["drug"] = {"components": r"\s*;\s*"}
    model = load_content_model(write_model(tmp_path, data))
    _, drug = identity("---\ntitle: A; B + C\n---\n\n# A; B + C\n### Generic Name\nA\n", model)
    assert drug.generic is None
    assert drug.components(model, drug.title) == ("A", "B + C")


def test_a_generic_section_the_model_does_not_have_is_a_schema_error(tmp_path: Path) -> None:
    data = default_model_data()
    data["drug"] = {"generic_name_section": "Generic"}
    with pytest.raises(
        SchemaError, match=r"drug\.generic_name_section 'Generic' is not a section of sections\.required"
    ):
        load_content_model(write_model(tmp_path, data))


def test_the_components_default_is_the_one_the_meta_schema_documents() -> None:
    import json

    from validator.content_model.load import builtin_schemas

    meta = json.loads(builtin_schemas().joinpath("content-model.schema.json").read_text(encoding="utf-8"))
    documented = meta["properties"]["drug"]["properties"]["components"]["default"]
    assert MODEL.drug.components.pattern == documented
