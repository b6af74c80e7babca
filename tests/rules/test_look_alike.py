"""tall-man-lettering (MON502), look-alike-name (MON503) and generic-name-misspelled (MON504),
and the look-alike lists they read from the content model.

The labelled cases are in tests/doses/names.yaml; these tests cover what a case cannot: the
lists as data (validation, a team's own list, the cache identity), whole pages (the title, the
fix and title-mismatch, the generic-name line), and that pages without a candidate never build
their prose.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from helpers_model import default_model_data, write_model

from validator.api import Options, fix_text, lint_text
from validator.config.files import Config
from validator.content_model.load import SchemaError, load_content_model, model_identity
from validator.facts.name_variants import near_words, slip
from validator.facts.page_facts import PageFacts
from validator.parse.markdown import parse_page
from validator.rules.drug_names_spelling import generic_name_misspelled
from validator.rules.look_alike import look_alike_name, tall_man_lettering

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"

PAGE = """---
layout: minimal-medicine
title: {title}
---

# {title}
### Generic Name
{generic}

### Dosage
{dosage}
"""


def _findings(
    rule: str, tmp_path: Path, options: Options | None = None, **page: str
) -> list[tuple[int, int, str | None]]:
    text = PAGE.format(**{"title": "Hydroxyzine", "generic": "hydrOXYzine", "dosage": "Take 25 mg.", **page})
    options = options or Options(extend_select=(rule,))
    findings = lint_text(text, "page.md", Config(root=tmp_path, source=None), options, cwd=tmp_path)
    return [(f.start.line, f.start.column, f.fix.edits[0].text if f.fix else None) for f in findings if f.rule == rule]


def _model_with(tmp_path: Path, groups: list[dict[str, object]] | None, lists: int = 1) -> Path:
    """The monograph model in tmp_path with a look-alike list of its own (None: no list)."""
    data = default_model_data()
    if groups is None:
        del data["drug_names"]["look_alike"]
    else:
        (tmp_path / "ours.yaml").write_text(yaml.safe_dump({"groups": groups}), encoding="utf-8")
        data["drug_names"]["look_alike"] = ["fda-tall-man.yaml", "ours.yaml"][-lists:]
    return write_model(tmp_path, data)


# --- the lists as data ---------------------------------------------------------------------


def test_the_shipped_list_is_fdas_table_with_its_sources() -> None:
    text = (SCHEMAS / "fda-tall-man.yaml").read_text(encoding="utf-8")
    groups = yaml.safe_load(text)["groups"]
    assert all(f"#   {group['source']}:" in text for group in groups)
    names = [name for group in groups for name in group["names"]]
    assert len(names) == len(set(names)) == 35
    assert ["hydrALAZINE", "hydrOXYzine"] in [group["names"] for group in groups]
    model = load_content_model()
    assert [group.names for group in model.look_alike] == [tuple(group["names"]) for group in groups]
    assert model.drug.dosing_sections == (
        model.sections.index(next(s for s in model.sections if s.heading == "Dosage")),
    )


def test_a_team_adds_its_own_list_through_the_content_model(tmp_path: Path) -> None:
    model = _model_with(tmp_path, [{"names": ["ALPRAZolam", "LORazepam"], "source": "ours"}], lists=2)
    options = Options(schema=model, extend_select=("MON502",))
    found = _findings("MON502", tmp_path, options, dosage="Take alprazolam, not hydralazine.")
    assert found == [(11, 6, "ALPRAZolam"), (11, 22, "hydrALAZINE")]


def test_a_model_without_look_alike_lists_reports_nothing(tmp_path: Path) -> None:
    model = _model_with(tmp_path, None)
    assert load_content_model(model).look_alike == ()
    for rule in ("MON502", "MON503"):
        options = Options(schema=model, extend_select=(rule,))
        assert _findings(rule, tmp_path, options, dosage="Take hydralazine.") == []


@pytest.mark.parametrize(
    ("groups", "error"),
    [
        ([{"names": ["ONEname"], "source": "x"}], r"ours\.yaml:\d+: groups\[0\]\.names"),
        ([{"names": ["aB", "cD"], "source": "x", "other_sense": ["eF"]}], "other_sense names eF, which is not in"),
        (
            [{"names": ["HYDRalazine", "xY"], "source": "x"}],
            "'HYDRalazine' is written 'hydrALAZINE' in fda-tall-man.yaml",
        ),
    ],
)
def test_a_bad_list_is_a_one_line_schema_error(tmp_path: Path, groups: list[dict[str, object]], error: str) -> None:
    model = _model_with(tmp_path, groups, lists=2)
    with pytest.raises(SchemaError, match=error) as raised:
        load_content_model(model)
    assert "\n" not in str(raised.value)


def test_dosing_sections_must_name_sections_of_the_model(tmp_path: Path) -> None:
    data = default_model_data()
    data["drug"]["dosing_sections"] = ["Dosing Schedule"]
    with pytest.raises(SchemaError, match=r"drug\.dosing_sections 'Dosing Schedule' is not a section"):
        load_content_model(write_model(tmp_path, data))


def test_the_cache_identity_covers_the_look_alike_lists(tmp_path: Path) -> None:
    groups: list[dict[str, object]] = [{"names": ["ALPRAZolam", "LORazepam"], "source": "ours"}]
    model = _model_with(tmp_path, groups)
    before = model_identity(model)
    groups[0]["names"] = ["alprAZOLAM", "LORazepam"]
    (tmp_path / "ours.yaml").write_text(yaml.safe_dump({"groups": groups}), encoding="utf-8")
    assert model_identity(model) != before


# --- tall-man-lettering --------------------------------------------------------------------


def test_the_title_heading_is_left_alone_so_the_fix_creates_no_title_mismatch(tmp_path: Path) -> None:
    # The title heading must equal the front matter title: fixing the heading alone would
    # create a title-mismatch (MON203), so neither is reported; the generic-name line is.
    text = PAGE.format(title="Hydroxyzine", generic="Hydroxyzine", dosage="Take hydroxyzine 25 mg.")
    config, select = Config(root=tmp_path, source=None), ("MON502", "MON203")
    assert _findings("MON502", tmp_path, dosage="Take hydroxyzine 25 mg.", generic="Hydroxyzine") == [
        (8, 1, "hydrOXYzine"),
        (11, 6, "hydrOXYzine"),
    ]
    fixed = fix_text(text, "page.md", config, Options(select=("MON502",), unsafe_fixes=True), cwd=tmp_path)
    expected = text.replace("Hydroxyzine\n\n###", "hydrOXYzine\n\n###").replace("Take hydroxyzine", "Take hydrOXYzine")
    assert fixed.output == expected.encode()
    after = lint_text(fixed.output or b"", "page.md", config, Options(extend_select=select), cwd=tmp_path)
    assert [f.rule for f in after if f.rule in select] == []


def test_a_name_written_across_markup_has_no_fix(tmp_path: Path) -> None:
    assert _findings("MON502", tmp_path, dosage="Take *hydro*xyzine or hydroxyzine.") == [
        (11, 7, None),
        (11, 23, "hydrOXYzine"),
    ]


def test_a_page_without_a_listed_name_never_builds_its_prose() -> None:
    page = parse_page("page.md", PAGE.format(title="Baclofen", generic="Baclofen", dosage="Take 5 mg."))
    facts = PageFacts(page, load_content_model())
    assert list(tall_man_lettering(facts, {})) == list(look_alike_name(facts, {})) == []
    assert list(generic_name_misspelled(facts, {"min_length": 7, "alias_markers": ["or"]})) == []
    assert "_all_prose" not in page.__dict__, "the prose segments were built"


# --- look-alike-name -----------------------------------------------------------------------


def test_the_message_names_both_drugs_and_the_line(tmp_path: Path) -> None:
    text = PAGE.format(title="Hydroxyzine", generic="hydrOXYzine", dosage="Take hydrALAZINE 25 mg.")
    findings = lint_text(text, "page.md", Config(root=tmp_path, source=None), cwd=tmp_path)
    assert [(f.rule, f.start.line, f.message) for f in findings if f.rule == "MON503"] == [
        (
            "MON503",
            11,
            "'hydrALAZINE' in the dosing text (line 11) of a page about hydrOXYzine: the two are look-alike "
            "names (hydrALAZINE / hydrOXYzine); check that the right drug is meant",
        )
    ]


def test_a_model_without_dosing_sections_has_no_dosing_text(tmp_path: Path) -> None:
    data = default_model_data()
    del data["drug"]["dosing_sections"]
    options = Options(schema=write_model(tmp_path, data))
    assert _findings("MON503", tmp_path, options, dosage="Take hydrALAZINE 25 mg.") == []
    assert _findings("MON503", tmp_path, dosage="Take hydrALAZINE 25 mg.") == [(11, 6, None)]


# --- generic-name-misspelled ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other", "distance", "expected"),
    [
        ("pseudoephedrine", "pesudoephedrine", 1, True),  # two neighbours swapped at the start
        ("leucovorin", "leucocorin", 1, True),
        ("mononitrate", "monitrate", 2, True),  # two edits: both names of nine letters or more
        ("digitoxin", "digoxin", 2, False),  # two edits, but a seven-letter word
        ("lactase", "lactose", 1, False),  # the last letters differ: another word of the stem
        ("injection", "infection", 1, False),  # the start differs
        ("carbonate", "bicarbonate", 2, False),  # one holds the other
        ("gonadotrophin", "gonadotropin", 1, False),  # two spellings of one word
        ("sulphate", "sulfate", 2, False),
    ],
)
def test_which_near_spellings_count_as_slips(one: str, other: str, distance: int, expected: bool) -> None:
    assert slip(one, other, distance) is expected


def test_near_words_finds_slips_only() -> None:
    words = {"leucocorin", "leucovorin", "levocarnitine", "lactose", "leucocyte"}
    assert near_words("leucovorin", words, 7) == ["leucocorin"]
    assert near_words("zinc", {"zink"}, 7) == []  # shorter than min_length


def test_title_and_generic_name_disagree_and_the_sections_decide(tmp_path: Path) -> None:
    dosage = "Pseudoephedrine 60 mg; pseudoephedrine is taken by day."
    found = _findings("MON504", tmp_path, title="Pesudoephedrine", generic="Pseudoephedrine", dosage=dosage)
    assert found == [(6, 3, None)]  # the title heading, without a fix
    found = _findings("MON504", tmp_path, title="Pseudoephedrine", generic="Pesudoephedrine", dosage=dosage)
    assert found == [(8, 1, "Pseudoephedrine")]  # the generic-name line, with a fix


def test_a_title_is_reported_only_for_a_one_edit_slip(tmp_path: Path) -> None:
    # Real: "Phenylethyl Alcohol", generic name and sections "phenethyl alcohol" (synonyms).
    dosage = "Phenethyl alcohol 0.5%; phenethyl alcohol is a preservative."
    assert _findings("MON504", tmp_path, title="Phenylethyl Alcohol", generic="Phenethyl Alcohol", dosage=dosage) == []


def test_a_spelling_the_page_uses_as_often_as_the_name_is_not_reported(tmp_path: Path) -> None:
    dosage = "Leucocorin 15 mg; leucovorin is a form of folic acid."
    assert _findings("MON504", tmp_path, title="Leucovorin", generic="Leucovorin", dosage=dosage) == []


def test_the_fix_keeps_the_case_written(tmp_path: Path) -> None:
    dosage = "Leucovorin 15 mg; leucovorin again; LEUCOCORIN and Leucocorin are slips."
    found = _findings("MON504", tmp_path, title="Leucovorin", generic="Leucovorin", dosage=dosage)
    assert found == [(11, 37, "LEUCOVORIN"), (11, 52, "Leucovorin")]
