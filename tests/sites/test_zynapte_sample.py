"""The Zynapte content model on real pages of the site, which are not ours and are not in this
repository: set MONOLINT_ZYNAPTE_PAGES to a folder that holds them in the site's layout
(src/content/compositions/*.md, src/content/combinations/*.md), for example a checkout of the
site. Without it these tests skip; CI has no copy and does not set it.

What must hold on any such folder: every page of the two collections is checked and none
crashes or hits a resource limit; no page gets a title finding (the site renders the title from
the front matter, and its pages have no H1); and every finding is of a rule the pages can
provoke. On the pages read by hand (HAND_CHECKED, whose twelve sections are all present, in
order, bold, at level 2), no structure finding at all: a section-missing there would be a
false alarm of the model.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from validator.api import Options, lint_paths
from validator.config.files import Config
from validator.model.finding import Finding

MODEL = Path(__file__).resolve().parents[2] / "schemas" / "zynapte" / "zynapte.yaml"
COLLECTIONS = ("compositions", "combinations")

# Pages read section by section when the model was written (2026-12-07).
HAND_CHECKED = {
    "compositions": {
        "abacavir", "fingolimod", "gefitinib", "hydroxychloroquine", "ketorolac", "lovastatin",
        "pantoprazole", "ramipril", "tinidazole", "vildagliptin", "warfarin", "zolpidem",
    },
    "combinations": {
        "acarbose-metformin", "aceticacid-hydrocortisone", "adapalene-benzoylperoxide",
        "albendazole-ivermectin", "amlodipine-telmisartan", "domperidone-pantoprazole",
        "ezetimibe-rosuvastatin", "glimepiride-metformin", "levocetirizine-montelukast",
        "ofloxacin-ornidazole", "paracetamol-tramadol", "sulfamethoxazole-trimethoprim",
    },
}  # fmt: skip

# Findings the site's pages can give: doses written the ways the dose rules report, front
# matter against the schema, names of the drug-name lists, and the structure rules for a page
# that strays from the template.
# Title rules, input failures and the disclaimer rules (the model has no disclaimer) cannot.
STRUCTURE = {f"MON20{n}" for n in range(4, 10)} | {"MON210", "MON211"}
DOSES = {f"MON4{n:02d}" for n in range(1, 14)}
NAMES = {"MON501", "MON502", "MON503", "MON504"}  # the model names ISMP's and FDA's lists
POSSIBLE = {"MON101"} | NAMES | STRUCTURE | DOSES


def _pages_root() -> Path:
    value = os.environ.get("MONOLINT_ZYNAPTE_PAGES")
    if not value:
        pytest.skip("set MONOLINT_ZYNAPTE_PAGES to a folder of Zynapte pages (src/content/...) to run")
    root = Path(value)
    if not any((root / "src" / "content" / collection).is_dir() for collection in COLLECTIONS):
        pytest.fail(f"MONOLINT_ZYNAPTE_PAGES={value} has no src/content/compositions or src/content/combinations")
    return root


def _pages(root: Path) -> list[Path]:
    return sorted(
        page
        for collection in COLLECTIONS
        for page in (root / "src" / "content" / collection).glob("*.md")
        if not page.stem.endswith(" copy")
    )


def _lint(root: Path) -> tuple[int, list[Finding]]:
    options = Options(schema=MODEL, select=["ALL"], jobs=1)
    report = lint_paths(["src/content"], Config(root=root, source=None), options, cwd=root)
    return report.files, list(report.findings)


@pytest.fixture(scope="module")
def linted() -> tuple[Path, int, list[Finding]]:
    root = _pages_root()
    files, findings = _lint(root)
    return root, files, findings


def test_every_page_is_checked_and_none_fails(linted: tuple[Path, int, list[Finding]]) -> None:
    root, files, findings = linted
    assert files == len(_pages(root)) > 0
    failed = [f"{f.path}: {f.rule} {f.message}" for f in findings if f.rule in {"MON000", "MON011"}]
    assert not failed, failed


def test_only_findings_the_pages_can_give(linted: tuple[Path, int, list[Finding]]) -> None:
    _, _, findings = linted
    counts = Counter(finding.rule for finding in findings)
    assert set(counts) <= POSSIBLE, counts


def test_no_structure_finding_on_the_pages_read_by_hand(linted: tuple[Path, int, list[Finding]]) -> None:
    root, _, findings = linted
    hand_checked = {
        (root / "src" / "content" / collection / f"{slug}.md").resolve()
        for collection, slugs in HAND_CHECKED.items()
        for slug in slugs
    }
    present = {page for page in hand_checked if page.exists()}
    if not present:
        pytest.skip("none of the pages read by hand is in MONOLINT_ZYNAPTE_PAGES")
    wrong = [
        f"{f.path}:{f.start.line}: {f.rule} {f.message}"
        for f in findings
        if f.rule in STRUCTURE and (root / f.path).resolve() in present
    ]
    assert not wrong, wrong
