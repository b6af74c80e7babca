"""docs/content-model.md is generated from schemas/content-model.schema.json: every key has a
description and an example, the examples are valid, and the checked-in page is up to date."""

from __future__ import annotations

import copy
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from validator.docs.model_doc import anchor, entries, load_meta_schema, render

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "content-model.md"
META = load_meta_schema()
ENTRIES = list(entries(META))


def undocumented(root: dict[str, Any]) -> list[str]:
    """The keys that lack a description or an example."""
    return [
        entry.path
        for entry in entries(root)
        if not str(entry.view.get("description", "")).strip() or not entry.view.get("examples")
    ]


def test_every_key_has_a_description_and_an_example() -> None:
    assert undocumented(META) == []


def test_a_key_added_without_docs_is_caught_and_documented_once_it_has_them() -> None:
    """What happens when another key joins the schema (the lead adds `applies_to`)."""
    changed = copy.deepcopy(META)
    changed["properties"]["applies_to"] = {"type": "array", "items": {"type": "string", "minLength": 1}}
    assert undocumented(changed) == ["applies_to"]
    changed["properties"]["applies_to"].update(description="Where the model applies.", examples=[["content/"]])
    assert undocumented(changed) == []
    page = render(changed)
    assert "| [`applies_to`](#applies_to) | list of strings | no |  |" in page
    assert "### `applies_to`\n\n*list of strings*, optional. Each item: at least 1 character." in page
    assert "```yaml\napplies_to:\n- content/\n```" in page


def test_the_keys_follow_refs_lists_and_mappings() -> None:
    paths = [entry.path for entry in ENTRIES]
    for path in (
        "sections.required[].heading",
        "disclaimer.ideas[].patterns",
        "doses.comparison_scopes.dose.label",
        "doses.comparison_scopes.*.after",  # a mapping's values, through $defs/comparison_scope
        "designations[].written",  # $defs/designations, shared by five keys, documented once
        "drug_name_list.list[].near_dose",  # $defs/drug_name_list, the schema of the drug-name list file
    ):
        assert path in paths
    assert len(paths) == len(set(paths))


@pytest.mark.parametrize("entry", ENTRIES, ids=[entry.path or "(top)" for entry in ENTRIES])
def test_each_example_is_valid_where_it_stands(entry: Any) -> None:
    validator = Draft202012Validator(META, format_checker=Draft202012Validator.FORMAT_CHECKER)
    for example in entry.view.get("examples", ()):
        errors = [error.message for error in validator.evolve(schema=entry.node).iter_errors(example)]
        assert errors == [], (entry.path, example)


def test_a_wrong_example_is_caught() -> None:
    """The check above can fail: an example of the wrong type, or a bad regular expression."""
    validator = Draft202012Validator(META, format_checker=Draft202012Validator.FORMAT_CHECKER)
    by_path = {entry.path: entry for entry in ENTRIES}
    assert list(validator.evolve(schema=by_path["sections.level"].node).iter_errors(7))
    assert list(validator.evolve(schema=by_path["disclaimer.detect"].node).iter_errors("(unclosed"))
    assert list(validator.evolve(schema=by_path["doses.error_prone"].node).iter_errors([{"written": ["cc"]}]))


def test_the_page_gives_type_required_default_and_constraints() -> None:
    page = render(META)
    assert "| [`title.level`](#titlelevel) | integer | no | `1` |" in page
    assert "### `title.level`\n\n*integer*, optional, default `1`. 1 to 6.\n" in page
    assert "### `sections.required[]`: each item\n\n*object*. No other keys.\n" in page
    assert "*[designations](#defsdesignations)*, optional." in page


def test_every_link_of_the_page_leads_to_a_heading() -> None:
    page = DOC.read_text(encoding="utf-8")
    anchors = [anchor(line.lstrip("#").strip()) for line in page.splitlines() if line.startswith("#")]
    assert len(anchors) == len(set(anchors))
    links = set(re.findall(r"\]\(#([^)]+)\)", page))
    assert links and links <= set(anchors), sorted(links - set(anchors))


def test_the_checked_in_page_is_up_to_date() -> None:
    expected = render(META)
    assert DOC.read_text(encoding="utf-8") == expected, (
        "run: python -m validator.docs.model_doc > docs/content-model.md"
    )


def test_the_module_prints_the_page() -> None:
    done = subprocess.run([sys.executable, "-m", "validator.docs.model_doc"], capture_output=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode("utf-8") == DOC.read_text(encoding="utf-8")


def test_a_recursive_ref_is_an_error_not_a_hang() -> None:
    """A $defs entry referred to as a whole twice is documented once, which ends most loops;
    a loop through a reference into a $defs entry's keys is reported."""
    child = {"type": "object", "properties": {"again": {"$ref": "#/$defs/a/properties/child"}}}
    looping = {"type": "object", "properties": {"node": {"$ref": "#/$defs/a/properties/child"}}}
    looping["$defs"] = {"a": {"type": "object", "properties": {"child": child}}}
    with pytest.raises(ValueError, match="nests too deep"):
        render(looping)
