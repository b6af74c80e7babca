"""`disclaimer` and `doses` are optional in a content model: a page type that has neither (a
glossary) loads, and the disclaimer and dose rules report nothing for it, without failing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers_cli import run
from helpers_model import default_model_data, write_model

from validator.api import Options, fix_text, lint_text
from validator.config.files import Config
from validator.content_model.load import load_content_model
from validator.rules.registry import ALL_RULES

# A glossary entry: no disclaimer, and doses written every wrong way the dose rules know
# (run together, trailing and missing zeros, µg, qd, '>', an apothecary grain, a name run
# into a dose, a full stop after mg, a very large number, MS next to a dose), plus MTX, a
# drug-name abbreviation that needs no dose; the first section heading is at the wrong level.
PAGE = """---
layout: minimal-medicine
title: Milligram
---

# Milligram
## Definition
A milligram is a thousandth of a gram. Labels that write 10mg, 5.0 mg, .5 mg, 500 µg qd,
5 ml, 10 mg bid, doses >4 g, gr v, Inderal40 mg. daily or 1000000 units, or MS 10 mg, are misread.

### See Also
MTX is the abbreviation of methotrexate.
"""

DOSE_RULES = {rule.id for rule in ALL_RULES if rule.category == "dose"} | {"MON012"}
DISCLAIMER_RULES = {rule.id for rule in ALL_RULES if rule.category == "disclaimer"}


def _glossary(*keep: str) -> dict[str, Any]:
    """The default model made a glossary: two sections, and of `disclaimer` and `doses`
    only the ones named in ``keep``."""
    data = default_model_data()
    data["name"] = "glossary"
    data["sections"]["required"] = [{"heading": "Definition"}, {"heading": "See Also"}]
    del data["drug"]  # a glossary entry names no drug
    for key in ("disclaimer", "doses"):
        if key not in keep:
            del data[key]
    return data


def _lint(tmp_path: Path, data: dict[str, Any], page: str = PAGE) -> list[tuple[str, int, int]]:
    model = write_model(tmp_path / "model", data, "glossary.yaml")
    options = Options(schema=model, select=["ALL"])
    findings = lint_text(page, "milligram.md", Config(root=tmp_path, source=None), options, cwd=tmp_path)
    return [(finding.rule, finding.start.line, finding.start.column) for finding in findings]


def test_a_model_without_disclaimer_and_doses_loads(tmp_path: Path) -> None:
    model = load_content_model(write_model(tmp_path, _glossary(), "glossary.yaml"))
    assert model.name == "glossary"
    assert model.disclaimer is None
    assert model.doses is None
    assert [section.heading for section in model.sections] == ["Definition", "See Also"]


def test_the_same_glossary_with_both_parts_reports_the_doses_and_the_missing_disclaimer(tmp_path: Path) -> None:
    """The page is dose-like: with the default `doses` and `disclaimer` every dose rule that
    the text provokes, and disclaimer-missing, report it."""
    rules = {rule for rule, _, _ in _lint(tmp_path, _glossary("disclaimer", "doses"))}
    assert rules == DOSE_RULES - {"MON012"} | {"MON206", "MON301", "MON501"}


def test_without_disclaimer_and_doses_only_the_other_rules_report(tmp_path: Path) -> None:
    found = _lint(tmp_path, _glossary())
    # The heading level and MTX; MS counts only next to a dose, and nothing is a dose.
    assert found == [("MON206", 7, 1), ("MON501", 12, 1)]


@pytest.mark.parametrize(
    ("keep", "silent", "reporting"),
    [(("doses",), DISCLAIMER_RULES, DOSE_RULES), (("disclaimer",), DOSE_RULES, DISCLAIMER_RULES)],
    ids=["no-disclaimer", "no-doses"],
)
def test_each_part_is_optional_on_its_own(
    tmp_path: Path, keep: tuple[str, ...], silent: set[str], reporting: set[str]
) -> None:
    rules = {rule for rule, _, _ in _lint(tmp_path, _glossary(*keep))}
    assert not rules & silent, sorted(rules)
    assert rules & reporting, sorted(rules)


def test_no_dose_limit_without_doses(tmp_path: Path) -> None:
    """dose-limit (MON012) counts doses: with a limit of 3, four doses are one too many; a
    page type without doses has none to count."""
    page = PAGE.replace("MTX is", "Take 1 mg, 2 mg, 3 mg or 4 mg. MTX is")
    limited = _glossary("doses")
    limited["doses"]["max_per_page"] = 3
    assert "MON012" in {rule for rule, _, _ in _lint(tmp_path / "a", limited, page)}
    assert "MON012" not in {rule for rule, _, _ in _lint(tmp_path / "b", _glossary(), page)}


def test_fix_changes_the_heading_and_leaves_the_doses(tmp_path: Path) -> None:
    model = write_model(tmp_path / "model", _glossary(), "glossary.yaml")
    options = Options(schema=model, select=["ALL"])
    report = fix_text(PAGE, "milligram.md", Config(root=tmp_path, source=None), options, cwd=tmp_path)
    assert report.output == PAGE.replace("## Definition", "### Definition").encode()
    assert [(finding.rule, finding.start.line) for finding in report.findings] == [("MON501", 12)]


def test_the_command_line_with_a_glossary_model(tmp_path: Path) -> None:
    """check, --fix, rules and explain through the real command, configured with the glossary."""
    write_model(tmp_path / "model", _glossary(), "glossary.yaml")
    (tmp_path / "monolint.toml").write_text('schema = "model/glossary.yaml"\n', encoding="utf-8")
    page = tmp_path / "milligram.md"
    page.write_text(PAGE, encoding="utf-8")

    checked = run(["check", "milligram.md", "--select", "ALL"], cwd=tmp_path)
    assert checked.code == 1, checked.stdout
    assert [rule for _, _, _, rule in checked.findings()] == ["MON206", "MON501"]

    fixed = run(["check", "milligram.md", "--fix"], cwd=tmp_path)
    assert fixed.code == 0, fixed.stdout + fixed.stderr
    assert page.read_text(encoding="utf-8") == PAGE.replace("## Definition", "### Definition")

    listed = run(["rules"], cwd=tmp_path)
    assert listed.code == 0 and "MON301" in listed.stdout and "MON401" in listed.stdout
    explained = run(["explain", "dose-no-space"], cwd=tmp_path)
    assert explained.code == 0 and explained.stdout.startswith("MON401 dose-no-space")
