"""The look-alike name rules on the real corpus (../shared/corpus/rxhive, read in place; skipped
without it): what was hand-checked on 2026-12-07 stays true.

MON504's 28 findings were each read on the page (a slip in the sections, or a title that its
sections spell otherwise); MON503 finds nothing (the pages about a listed drug name none of its
look-alikes in their dosing text); MON502, selected, reports 1,218 names in plain case, never in a
title heading, and "dopamine" only on the page about dopamine (more than 160 pages name the neurotransmitter).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from helpers_shared import CORPUS, needs_corpus

from validator.api import Options, lint_paths
from validator.config.files import Config
from validator.model.finding import Finding

pytestmark = needs_corpus

MISSPELT = [
    ("a/acrivastine-pesudoephedrine.md", 6, 17),  # title 'Pesudoephedrine', sections 'pseudoephedrine'
    ("d/docaravimab-miromavimab.md", 6, 17),  # title 'Miromavimab', sections 'Mirolavimab' 6 times
    ("d/docosahexanoic-acid-l-methyl-folate-methylcobalamin-pyridoxal.md", 6, 3),  # 'Docosahexaenoic' in the text
    ("d/docosahexanoic-acid-l-methyl-folate-methylcobalamin-pyridoxal.md", 7, 20),  # the generic-name heading
    ("f/folic-acid-cyanocobalamin-docosahexanoic-aciddha.md", 6, 33),
    ("l/l-methyltetrahydrofolate-clacium-methylcobalamin-pyridoxal-.md", 6, 28),  # 'Clacium'
    ("l/l-methyltetrahydrofolate-clacium-methylcobalamin-pyridoxal.md", 6, 28),
    ("l/lafutidine-domperidone.md", 13, 195),  # 'lafutudine'
    ("l/lafutidine-domperidone.md", 70, 112),
    ("l/leucovorin-calcium.md", 52, 27),  # 'Leucocorin'
    ("m/meclizine-folic-acid.md", 34, 119),  # 'mecliazine'
    ("m/meclizine-folic-acid.md", 36, 208),
    ("m/meclizine-folic-acid.md", 37, 82),
    ("r/raxibacumab.md", 45, 28),  # 'Raxibacacumab'
    ("s/s-adenosyl-l-methoinine-disulfate-tosylate.md", 6, 16),  # title 'Methoinine', text 'methionine'
    ("s/sulprastone.md", 6, 3),  # title 'Sulprastone', sections 'sulprostone' 16 times
    ("t/thiamine-mononitrate.md", 36, 10),  # 'Thiamine monitrate'
    ("t/trioxasalen.md", 6, 3),  # title 'Trioxasalen', sections 'trioxsalen' 23 times
    *[("t/tromantadine.md", line, column) for line, column in ((11, 328), (16, 50), (31, 111), (32, 81), (33, 145))],
    *[("t/tromantadine.md", line, column) for line, column in ((34, 122), (40, 27), (40, 52), (42, 18), (42, 69))],
]


@pytest.fixture(scope="module")
def findings(tmp_path_factory: pytest.TempPathFactory) -> list[Finding]:
    cwd = tmp_path_factory.mktemp("corpus-names")
    options = Options(select=("MON502", "MON503", "MON504"))  # no cache_dir: no cache
    return list(lint_paths([CORPUS], Config(root=cwd, source=None), options, cwd=cwd).findings)


def _page(finding: Finding) -> str:
    return Path(finding.path).resolve().relative_to(CORPUS.resolve()).as_posix()


def test_misspelt_names_are_the_hand_checked_ones(findings: list[Finding]) -> None:
    found = [(_page(f), f.start.line, f.start.column) for f in findings if f.rule == "MON504"]
    assert sorted(found) == sorted(MISSPELT)


def test_no_page_names_a_look_alike_of_its_drug_in_its_dosing_text(findings: list[Finding]) -> None:
    assert [f for f in findings if f.rule == "MON503"] == []


def test_tall_man_lettering_counts_and_where_it_never_reports(findings: list[Finding]) -> None:
    tall_man = [f for f in findings if f.rule == "MON502"]
    assert len(tall_man) == 1218
    per_page = Counter(_page(f) for f in tall_man)
    assert (per_page["d/doxorubicin.md"], per_page["p/prednisone.md"], per_page["h/hydroxyzine.md"]) == (29, 28, 14)
    dopamine = {_page(f) for f in tall_man if "'DOPamine'" in f.message}
    assert dopamine == {"d/dopamine.md"}  # more than 160 pages write "dopamine", the neurotransmitter
    lines = {(_page(f), f.start.line) for f in tall_man}
    for page, line in lines:
        text = (CORPUS / page).read_text(encoding="utf-8").split("\n")[line - 1]
        assert not text.startswith("# "), f"{page}:{line} is the title heading"
