"""MON410's scopes (doses.comparison_scopes): each is reported or not as the content model says."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from helpers_model import default_model_data, write_model

from validator.api import Options, fix_text, lint_text
from validator.config.files import Config
from validator.content_model.load import SchemaError, load_content_model

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
PAGE = "---\nlayout: minimal-medicine\ntitle: Scopes\n---\n\n### Dosage\n\n{}\n"

# One sentence per scope of the default content model, its symbol, and whether it is reported.
SCOPES = {
    "dose": ("Do not take >4 g a day.", ">", True),
    "dosing-threshold": ("Give 250 mg when CrCl is <30 mL/min.", "<", True),
    "weight": ("Patients ≥50 kg take 1 g.", "≥", True),
    "age": ("Children <12 years take 5 mL.", "<", True),
    "duration": ("Give the doses >48 hours apart.", ">", True),
    "lab-value": ("Stop if lactate is >8 mmol/L.", ">", False),
    "incidence": ("Rash occurred in ≤2% of patients.", "≤", False),
}


def _data() -> Any:
    return default_model_data()


def _write(tmp_path: Path, data: Any) -> Path:
    return write_model(tmp_path, data)


def _symbols(text: str, tmp_path: Path, schema: Path | None = None) -> list[tuple[str, str]]:
    findings = lint_text(
        PAGE.format(text), "page.md", Config(root=tmp_path, source=None), Options(schema=schema), cwd=tmp_path
    )
    page = PAGE.format(text)
    lines = page.splitlines()
    return [
        (lines[f.start.line - 1][f.start.column - 1 : f.end.column - 1], f.message)
        for f in findings
        if f.rule == "MON410"
    ]


def test_every_scope_of_the_default_model_is_tested() -> None:
    assert set(_data()["doses"]["comparison_scopes"]) == set(SCOPES)


@pytest.mark.parametrize("scope", sorted(SCOPES))
def test_a_scope_is_reported_as_the_default_model_says(scope: str, tmp_path: Path) -> None:
    text, symbol, reported = SCOPES[scope]
    label = _data()["doses"]["comparison_scopes"][scope]["label"]
    found = _symbols(text, tmp_path)
    assert found == ([(symbol, found[0][1])] if reported else [])
    if reported:
        assert found[0][1].startswith(f"'{symbol}' before {label}: ")


@pytest.mark.parametrize("scope", sorted(SCOPES))
def test_turning_a_scope_over_turns_its_findings_over(scope: str, tmp_path: Path) -> None:
    text, symbol, reported = SCOPES[scope]
    data = _data()
    data["doses"]["comparison_scopes"][scope]["report"] = not reported
    found = _symbols(text, tmp_path, _write(tmp_path, data))
    assert [written for written, _ in found] == ([] if reported else [symbol])
    # The other scopes are untouched by the switch.
    for other, (other_text, other_symbol, other_reported) in SCOPES.items():
        if other != scope:
            expected = [other_symbol] if other_reported else []
            assert [w for w, _ in _symbols(other_text, tmp_path, tmp_path / "model.yaml")] == expected, other


def test_a_team_adds_a_scope_of_its_own(tmp_path: Path) -> None:
    data = _data()
    data["doses"]["comparison_scopes"]["pain-score"] = {"report": True, "label": "a pain score", "after": ["points"]}
    found = _symbols("A pain score >7 points calls for 10 mg.", tmp_path, _write(tmp_path, data))
    assert [(written, message.split(":")[0]) for written, message in found] == [(">", "'>' before a pain score")]
    assert _symbols("A pain score >7 points calls for 10 mg.", tmp_path) == []


def test_the_longest_spelling_decides(tmp_path: Path) -> None:
    found = _symbols("Avoid with a BMI >40 kg/m² or a weight >120 kg.", tmp_path)
    assert [message.split(":")[0] for _, message in found] == [
        "'>' before a dosing threshold",
        "'>' before a patient weight",
    ]


def test_without_scopes_every_dose_quantity_is_a_dose(tmp_path: Path) -> None:
    data = _data()
    del data["doses"]["comparison_scopes"]
    schema = _write(tmp_path, data)
    assert [written for written, _ in _symbols("Rash in <1% and lactate >8 mmol/L.", tmp_path, schema)] == ["<", ">"]
    assert _symbols("Children <12 years take 5 mL.", tmp_path, schema) == []


def test_a_character_reference_is_covered_and_replaced_whole(tmp_path: Path) -> None:
    config = Config(root=tmp_path, source=None)
    assert [written for written, _ in _symbols("Children &lt;12 years take 5 mL.", tmp_path)] == ["&lt;"]
    fixed = fix_text(
        PAGE.format("Children &lt;12 years take 5 mL."), "page.md", config, Options(unsafe_fixes=True), cwd=tmp_path
    )
    assert fixed.output is not None
    assert b"Children less than 12 years take 5 mL." in fixed.output


SCOPE_NAME = "^[a-z][a-z0-9]*(-[a-z0-9]+)*$"


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (
            lambda s: s.update({"Age Group": s.pop("age")}),
            f"key 'Age Group' in doses.comparison_scopes must match the pattern {SCOPE_NAME}",
        ),
        (
            lambda s: s["age"].update(report="yes"),
            'doses.comparison_scopes.age.report must be true or false, not "yes"',
        ),
        (lambda s: s["age"].pop("label"), "doses.comparison_scopes.age needs the key 'label'"),
        (lambda s: s["age"].pop("after"), "doses.comparison_scopes.age needs one of the keys 'after' or 'per'"),
        (lambda s: s["age"].update(after=[]), "doses.comparison_scopes.age.after must not be an empty list"),
        (
            lambda s: s["dose"].update(after=["mg"]),
            "unknown key 'after' in doses.comparison_scopes.dose; allowed keys: description, label, report",
        ),
        (lambda s: s.pop("dose"), "doses.comparison_scopes needs the key 'dose'"),
        (
            lambda s: s["weight"].update(units=["kg"]),
            "unknown key 'units' in doses.comparison_scopes.weight; allowed keys: after, description, label, per, report",
        ),
    ],
)
def test_a_bad_scope_is_rejected_with_a_clear_error(change: Any, says: str, tmp_path: Path) -> None:
    data = _data()
    change(data["doses"]["comparison_scopes"])
    with pytest.raises(SchemaError) as raised:
        load_content_model(_write(tmp_path, data))
    found = re.fullmatch(r".*model\.yaml:\d+: (.*)", str(raised.value))
    assert found is not None, raised.value
    assert found.group(1) == says
