"""drug-name-abbreviation (MON501) and the drug-name list it reads from the content model.

The labelled cases are in tests/doses/drug-names.yaml; these tests cover what a case cannot:
the list as data (validation, the cache identity, another page type without it), a whole page
with a definition and later uses, and that pages without a candidate never build their prose.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from helpers_model import default_model_data, write_model
from helpers_shared import CORPUS, needs_corpus

from validator.api import Options, lint_text
from validator.config.files import Config
from validator.content_model.load import SchemaError, load_content_model, model_identity
from validator.facts.page_facts import PageFacts
from validator.parse.markdown import parse_page
from validator.rules.drug_names import drug_name_abbreviation

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"

PAGE = """---
layout: minimal-medicine
title: Acetaminophen
---

# Acetaminophen
{body}
"""


def _rows(text: str, tmp_path: Path, options: Options | None = None) -> list[tuple[int, int, str | None]]:
    findings = lint_text(PAGE.format(body=text), "page.md", Config(root=tmp_path, source=None), options, cwd=tmp_path)
    return [
        (f.start.line, f.start.column, f.fix.edits[0].text if f.fix else None) for f in findings if f.rule == "MON501"
    ]


def _copy_model(tmp_path: Path, rows: list[dict[str, object]] | None) -> Path:
    """The monograph model in tmp_path, with its drug-name list replaced (None: no list at all)."""
    data = default_model_data()
    if rows is None:
        del data["drug_names"]
    else:
        (tmp_path / "names.yaml").write_text(yaml.safe_dump({"list": rows}), encoding="utf-8")
        data["drug_names"] = {"list": "names.yaml"}
    return write_model(tmp_path, data)


def test_a_definition_is_allowed_and_later_uses_are_reported(tmp_path: Path) -> None:
    body = "Acetaminophen (APAP) eases pain.\n\nAPAP is taken every 6 hours; too much APAP harms the liver.\n"
    assert _rows(body, tmp_path) == [(9, 1, "Acetaminophen"), (9, 39, "acetaminophen")]


def test_without_a_definition_every_use_is_reported(tmp_path: Path) -> None:
    assert _rows("APAP eases pain.\n", tmp_path) == [(7, 1, "Acetaminophen")]


def test_the_fix_is_unsafe_and_writes_the_full_name(tmp_path: Path) -> None:
    from validator.api import fix_text

    text = PAGE.format(body="Take HCTZ with water.\n")
    config = Config(root=tmp_path, source=None)
    safe = fix_text(text, "page.md", config, Options(select=("MON501",)), cwd=tmp_path)
    unsafe = fix_text(text, "page.md", config, Options(select=("MON501",), unsafe_fixes=True), cwd=tmp_path)
    assert safe.output == text.encode()
    assert unsafe.output == text.replace("HCTZ", "hydrochlorothiazide").encode()


def test_rows_come_from_the_list_the_model_names(tmp_path: Path) -> None:
    rows = [{"written": ["XYZ"], "names": ["examplamide"], "reason": "a test row", "source": "test"}]
    model = _copy_model(tmp_path, rows)
    assert _rows("Take XYZ and APAP.\n", tmp_path, Options(schema=model)) == [(7, 6, "examplamide")]


def test_a_model_without_a_list_reports_no_drug_name(tmp_path: Path) -> None:
    model = _copy_model(tmp_path, None)
    assert load_content_model(model).drug_names == ()
    assert _rows("Take APAP.\n", tmp_path, Options(schema=model)) == []


def test_a_bad_row_is_a_schema_error_naming_the_list(tmp_path: Path) -> None:
    model = _copy_model(tmp_path, [{"written": ["XYZ"], "reason": "no names", "source": "test"}])
    with pytest.raises(SchemaError, match=r"names\.yaml:\d+: list\[0\] needs the key 'names'$"):
        load_content_model(model)


def test_the_cache_identity_covers_the_list(tmp_path: Path) -> None:
    rows = [{"written": ["XYZ"], "names": ["examplamide"], "reason": "a test row", "source": "test"}]
    model = _copy_model(tmp_path, rows)
    before = model_identity(model)
    rows[0]["names"] = ["otheramide"]
    (tmp_path / "names.yaml").write_text(yaml.safe_dump({"list": rows}), encoding="utf-8")
    assert model_identity(model) != before


def test_a_page_without_a_candidate_never_builds_its_prose() -> None:
    page = parse_page("page.md", PAGE.format(body="Paracetamol eases pain; take 500 mg (two tablets).\n"))
    assert list(drug_name_abbreviation(PageFacts(page, load_content_model()), {})) == []
    assert "_all_prose" not in page.__dict__, "the prose segments were built"


def test_every_shipped_row_names_a_source_given_in_the_file() -> None:
    text = (SCHEMAS / "ismp-drug-names.yaml").read_text(encoding="utf-8")
    sources = {row["source"] for row in yaml.safe_load(text)["list"]}
    assert all(f"#   {source}:" in text for source in sources), sources


@needs_corpus
def test_corpus_pages_on_multiple_sclerosis_give_no_finding(tmp_path: Path) -> None:
    """MS means multiple sclerosis on these pages, even next to a dose."""
    config = Config(root=tmp_path, source=None)
    for name in ("o/ocrelizumab.md", "i/interferon-beta-1a.md", "t/teriflunomide.md", "l/liothyronine.md"):
        findings = lint_text((CORPUS / name).read_bytes(), name, config, Options(select=("MON501",)), cwd=tmp_path)
        assert findings == [], name


def test_an_abbreviation_written_across_markup_is_reported_without_a_fix(tmp_path: Path) -> None:
    # Candidates are looked for in the page text first, so "*AT* III" alone is not seen; on a
    # page that also writes "AT III" it is, and replacing it would break the emphasis.
    text = "AT III is low. Heparin acts through *AT* III in the blood.\n"
    assert _rows(text, tmp_path) == [(7, 1, "Antithrombin III"), (7, 38, None)]
