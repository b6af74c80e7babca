"""The Zynapte content model (schemas/zynapte/), set up the way its example monolint.toml says
a site sets it up, checked on small pages written for these tests (tests/sites/zynapte_pages/:
two good pages and three bad ones, in the site's layout; no page of the site is copied here)."""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import pytest
import yaml
from helpers_cli import run

from validator.content_model.load import load_content_model

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "schemas"
MODEL = SCHEMAS / "zynapte" / "zynapte.yaml"
PAGES = Path(__file__).resolve().parent / "zynapte_pages"

# (path, line, column, rule) of every finding on the fixture site; the good pages have none.
EXPECTED = [
    # Misspelt key (the site's schema would drop it silently) and an ingredient without its slug.
    ("src/content/combinations/ofloxacin-ornidazole.md", 3, 1, "MON101"),
    ("src/content/combinations/ofloxacin-ornidazole.md", 5, 5, "MON101"),
    ("src/content/combinations/ofloxacin-ornidazole.md", 21, 15, "MON401"),  # '200mg'
    ("src/content/compositions/cetirizine.md", 5, 4, "MON207"),  # '## Usage', not bold
    ("src/content/compositions/cetirizine.md", 21, 4, "MON207"),  # '## **Side Effects:**'
    ("src/content/compositions/cetirizine.md", 41, 1, "MON210"),  # '## **Storage**'
    ("src/content/compositions/cetirizine.md", 45, 1, "MON204"),  # no Popular Combinations
    ("src/content/compositions/ibuprofen.md", 6, 1, "MON202"),  # '# Ibuprofen': a second title
]


def _site(tmp_path: Path) -> Path:
    """A Zynapte checkout as the example monolint.toml describes it: the fixture pages in the
    two collections, the model copied into monolint/, a README and a "copy" page that are skipped."""
    site = tmp_path / "site"
    for collection in ("compositions", "combinations"):
        shutil.copytree(PAGES / collection, site / "src" / "content" / collection)
    shutil.copytree(SCHEMAS / "zynapte", site / "monolint" / "zynapte")
    shutil.copy(SCHEMAS / "ismp-drug-names.yaml", site / "monolint" / "ismp-drug-names.yaml")
    shutil.copy(SCHEMAS / "fda-tall-man.yaml", site / "monolint" / "fda-tall-man.yaml")
    shutil.copy(SCHEMAS / "zynapte" / "monolint.toml", site / "monolint.toml")
    good = site / "src" / "content" / "compositions" / "paracetamol.md"
    shutil.copy(good, good.with_name("paracetamol copy.md"))
    (site / "README.md").write_text("# The site\n", encoding="utf-8")
    return site


def test_the_model_loads_with_its_keys() -> None:
    model = load_content_model(MODEL)
    assert model.name == "zynapte-medicine"
    assert model.title_key == "title" and model.title_in_body is False
    assert model.section_level == 2 and model.section_wrap == "**"
    assert model.disclaimer is None
    assert len(model.sections) == 12
    assert model.doses is not None and model.drug_names


def test_its_dose_vocabulary_is_the_monograph_models() -> None:
    """Copied on purpose (the pages write doses as monographs do); this keeps the copy honest."""
    ours = yaml.safe_load(MODEL.read_text(encoding="utf-8"))["doses"]
    monograph = yaml.safe_load((SCHEMAS / "monograph.yaml").read_text(encoding="utf-8"))["doses"]
    assert ours == monograph


def test_the_fixture_site_gives_exactly_the_expected_findings(tmp_path: Path) -> None:
    site = _site(tmp_path)
    result = run(["check", "."], cwd=site)
    assert result.code == 1, result.stdout + result.stderr
    assert result.findings() == EXPECTED
    assert "5 files checked" in result.stdout
    assert "2 files skipped: no matching content model." in result.stdout


@pytest.mark.parametrize("page", ["compositions/paracetamol.md", "combinations/amoxicillin-clavulanicacid.md"])
def test_the_good_pages_are_clean_from_anywhere(tmp_path: Path, page: str) -> None:
    """From another folder the nearest monolint.toml still finds the model and its paths."""
    site = _site(tmp_path)
    result = run(["check", str(site / "src" / "content" / page)], cwd=tmp_path)
    assert result.code == 0, result.stdout + result.stderr
    assert result.findings() == []


def test_fix_bolds_the_headings_and_leaves_the_rest(tmp_path: Path) -> None:
    site = _site(tmp_path)
    page = site / "src" / "content" / "compositions" / "cetirizine.md"
    before = page.read_text(encoding="utf-8")
    result = run(["check", "--fix", str(page)], cwd=site)
    assert result.code == 1  # the unknown and the missing section are left to a person
    after = page.read_text(encoding="utf-8")
    assert after == before.replace("## Usage\n", "## **Usage**\n").replace("**Side Effects:**", "**Side Effects**")
    assert [rule for _, _, _, rule in result.findings()] == ["MON210", "MON204"]


def _readme_snippet(name: str) -> str:
    """The fenced block right after README's ``<!-- snippet: NAME -->`` line, unindented."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.findall(
        rf"^([ \t]*)<!-- snippet: {re.escape(name)} -->\n\1```[\w-]*\n(.*?)^\1```[ \t]*$", readme, re.M | re.S
    )
    assert len(found) == 1, f"README.md has {len(found)} blocks marked snippet {name}"
    return textwrap.dedent(found[0][1])


def test_readme_shows_the_model_as_it_is() -> None:
    assert _readme_snippet("zynapte-model") in MODEL.read_text(encoding="utf-8")


def test_readme_shows_the_configuration_as_it_is() -> None:
    config = (SCHEMAS / "zynapte" / "monolint.toml").read_text(encoding="utf-8")
    assert _readme_snippet("zynapte-config") in config


def test_readme_shows_real_output_of_the_command(tmp_path: Path) -> None:
    command, *expected = _readme_snippet("zynapte-check").rstrip("\n").split("\n")
    args = command.removeprefix("$ monolint ").split()
    result = run(args, cwd=_site(tmp_path))
    assert result.code == 1
    assert result.stdout.rstrip("\n").split("\n") == expected
