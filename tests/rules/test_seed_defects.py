"""Inject one defect at a time into a reference page (changed in memory) and check that monolint
reports it with the right rule and category on the right line.

The reference page (tests/fixtures/reference/baclofen.md) is written in the format of the user's
seed page, ../shared/seed/baclofen.md, line for line, in the project's own words; the seed itself
is a page of the real corpus and is not copied here. When the seed is beside the checkout, it must
lint clean too (it is the format's contract); MONOLINT_SEED points the defect tests at another page
of the same layout."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers_model import every_page_model
from helpers_shared import SEED as SEED_PAGE
from helpers_shared import require_shared

from validator.api import Options, lint_text, lint_text_report
from validator.config.files import Config
from validator.model.finding import Finding, Severity

REFERENCE = Path(__file__).parent.parent / "fixtures" / "reference" / "baclofen.md"
SEED = Path(os.environ.get("MONOLINT_SEED", REFERENCE))

Mutation = Callable[[str], str]


@pytest.fixture(scope="module")
def seed() -> str:
    return SEED.read_text(encoding="utf-8")


def lint(text: str, options: Options | None = None) -> list[Finding]:
    # An explicit empty configuration: the checkout's own settings must not change the result.
    return lint_text(text, config=Config(root=Path.cwd(), source=None), options=options)


def replace(old: str, new: str) -> Mutation:
    def mutate(text: str) -> str:
        assert text.count(old) == 1, f"{old!r} must occur once in the seed"
        return text.replace(old, new)

    return mutate


def section(text: str, heading: str) -> str:
    """The seed's section under '### heading', up to the next section heading."""
    start = text.index(f"### {heading}\n")
    return text[start : text.index("\n### ", start) + 1]


def disclaimer(text: str) -> str:
    return text.rstrip("\n").rsplit("\n", 1)[1] + "\n"


def drop_front_matter(text: str) -> str:
    return text[text.index("# Baclofen\n") :]


def swap_usage_and_dosage(text: str) -> str:
    usage, dosage = section(text, "Usage"), section(text, "Dosage")
    return replace(usage + dosage, dosage + usage)(text)


def drop_section(text: str) -> str:
    return replace(section(text, "How it Works"), "")(text)


def empty_section(text: str) -> str:
    return replace(section(text, "How it Works"), "### How it Works\n\n\n")(text)


def drop_disclaimer(text: str) -> str:
    return replace(disclaimer(text), "")(text)


def disclaimer_before_faqs(text: str) -> str:
    moved = drop_disclaimer(text)
    return replace("### FAQs\n", disclaimer(text) + "\n### FAQs\n")(moved)


DOSE_LINE = 20  # "* **Adults (Spasticity):** ... (5 mg three times daily) ... up to 20 mg four times daily."

DEFECTS: list[tuple[str, Mutation, str, str, int]] = [
    # name, mutation, rule, category, line
    ("front-matter-unclosed", replace("title: Baclofen\n---\n", "title: Baclofen\n"), "MON005", "input", 1),
    ("yaml-tab", replace("title: Baclofen\n", "\ttitle: Baclofen\n"), "MON006", "input", 3),
    ("yaml-unclosed-quote", replace("title: Baclofen\n", "title: 'Baclofen\n"), "MON006", "input", 3),
    (
        "front-matter-list",
        replace("layout: minimal-medicine\ntitle: Baclofen\n", "- minimal-medicine\n- Baclofen\n"),
        "MON007",
        "input",
        2,
    ),
    ("duplicate-key", replace("title: Baclofen\n", "title: Baclofen\ntitle: Baclofen\n"), "MON008", "input", 4),
    # A near miss is still a monograph, checked and told; 'layout: default' is another page type.
    ("near-miss-layout", replace("layout: minimal-medicine", "layout: Minimal_Medicine"), "MON101", "frontmatter", 2),
    ("empty-title", replace("title: Baclofen\n", "title: ''\n"), "MON101", "frontmatter", 3),
    ("unknown-key", replace("title: Baclofen\n", "title: Baclofen\ntags: [muscle]\n"), "MON101", "frontmatter", 4),
    ("h1-missing", replace("# Baclofen\n", ""), "MON201", "structure", 6),
    ("second-h1", replace("### Dosage\n", "# Dosage\n"), "MON202", "structure", 14),
    ("h1-not-title", replace("# Baclofen\n", "# Baclofen Tablets\n"), "MON203", "structure", 6),
    ("section-missing", drop_section, "MON204", "structure", 53),
    ("sections-swapped", swap_usage_and_dosage, "MON205", "structure", 27),
    ("section-level-2", replace("### Usage\n", "## Usage\n"), "MON206", "structure", 10),
    ("heading-colon", replace("### Dosage\n", "### Dosage:\n"), "MON207", "structure", 14),
    (
        "section-twice",
        replace("### Side Effects\n", "### Dosage\n\nTake it with food.\n\n### Side Effects\n"),
        "MON208",
        "structure",
        31,
    ),
    ("section-emptied", empty_section, "MON209", "structure", 53),
    ("unknown-section", replace("### FAQs\n", "### Storage\n\nKeep it dry.\n\n### FAQs\n"), "MON210", "structure", 68),
    ("level-jump", replace("**Oral Administration:**", "##### Oral Administration"), "MON211", "structure", 18),
    ("disclaimer-removed", drop_disclaimer, "MON301", "disclaimer", 78),
    ("disclaimer-before-faqs", disclaimer_before_faqs, "MON302", "disclaimer", 68),
    (
        "disclaimer-not-advice-idea",
        replace(" and should not be considered medical advice", ""),
        "MON303",
        "disclaimer",
        80,
    ),
    (
        "disclaimer-consult-idea",
        replace(" Always consult with a healthcare professional", " Use it"),
        "MON303",
        "disclaimer",
        80,
    ),
    ("disclaimer-plain-label", replace("**Disclaimer:**", "Disclaimer:"), "MON304", "disclaimer", 80),
    ("disclaimer-colon-outside", replace("**Disclaimer:**", "**Disclaimer**:"), "MON304", "disclaimer", 80),
    ("dose-10mg", replace("low dose (5 mg", "low dose (10mg"), "MON401", "dose", DOSE_LINE),
    ("dose-5.0-mg", replace("(by 5 mg per dose", "(by 5.0 mg per dose"), "MON402", "dose", DOSE_LINE),
    ("dose-.5-mg", replace("low dose (5 mg", "low dose (.5 mg"), "MON403", "dose", DOSE_LINE),
    ("dose-microgram", replace("up to 20 mg", "up to 20 µg"), "MON404", "dose", DOSE_LINE),
    ("dose-cc", replace("screening doses are used", "screening doses of 1 cc are used"), "MON404", "dose", 26),
    ("dose-iu", replace("generally 80 mg", "generally 80 IU"), "MON404", "dose", DOSE_LINE),
    ("dose-u", replace("generally 80 mg", "generally 80 U"), "MON404", "dose", DOSE_LINE),
    ("dose-ml", replace("screening doses are used", "screening doses of 1 ml are used"), "MON405", "dose", 26),
    ("dose-uppercase-mg", replace("up to 20 mg", "up to 20 MG"), "MON405", "dose", DOSE_LINE),
    ("dose-no-separator", replace("up to 20 mg", "up to 20000 mcg"), "MON406", "dose", DOSE_LINE),
    ("dose-large-number", replace("up to 20 mg", "up to 20,000,000 ng"), "MON407", "dose", DOSE_LINE),
    ("dose-qd", replace("generally 80 mg,", "generally 80 mg qd,"), "MON408", "dose", DOSE_LINE),
    (
        "dose-subcutaneous",
        replace("screening doses are used", "screening doses of 50 mcg SC are used"),
        "MON408",
        "dose",
        26,
    ),
    ("dose-comparison", replace("taken as up to 20 mg", "taken as >20 mg"), "MON410", "dose", DOSE_LINE),
    ("dose-grains", replace("up to 20 mg", "up to 2 grains"), "MON411", "dose", DOSE_LINE),
]

# Defects that make the page another kind of page: the built-in model skips it (counted, not
# reported); a model that applies to every page reports the defect.
NOT_A_MONOGRAPH: list[tuple[str, Mutation, str, str, int]] = [
    ("front-matter-missing", drop_front_matter, "MON004", "input", 1),
    ("other-layout", replace("layout: minimal-medicine", "layout: default"), "MON101", "frontmatter", 2),
]

# Rules that are off by default: the defect is reported only when the rule is selected.
DEFAULT_OFF_DEFECTS: list[tuple[str, Mutation, str, str, int]] = [
    ("dose-tid", replace("(5 mg three times daily)", "(5 mg tid)"), "MON409", "dose", DOSE_LINE),
]


def test_seed_has_no_error(seed: str) -> None:
    assert [f.to_dict() for f in lint(seed) if f.severity is Severity.ERROR] == []


def test_user_seed_has_no_error() -> None:
    text = require_shared(SEED_PAGE).read_text(encoding="utf-8")
    assert [f.to_dict() for f in lint(text) if f.severity is Severity.ERROR] == []


@pytest.mark.parametrize(
    ("mutate", "rule", "category", "line"), [case[1:] for case in DEFECTS], ids=[case[0] for case in DEFECTS]
)
def test_injected_defect_is_reported(seed: str, mutate: Mutation, rule: str, category: str, line: int) -> None:
    text = mutate(seed)
    assert text != seed
    found = [(f.rule, f.category, f.start.line) for f in lint(text)]
    assert (rule, category, line) in found
    assert (rule, category, line) not in [(f.rule, f.category, f.start.line) for f in lint(seed)]


@pytest.mark.parametrize(
    ("mutate", "rule", "category", "line"), [case[1:] for case in NOT_A_MONOGRAPH], ids=[c[0] for c in NOT_A_MONOGRAPH]
)
def test_a_defect_that_makes_another_page_type_is_skipped(
    seed: str, mutate: Mutation, rule: str, category: str, line: int
) -> None:
    text = mutate(seed)
    report = lint_text_report(text, config=Config(root=Path.cwd(), source=None))
    assert (report.findings, report.files, report.skipped) == ((), 0, 1)
    found = [(f.rule, f.category, f.start.line) for f in lint(text, Options(schema=every_page_model()))]
    assert (rule, category, line) in found


@pytest.mark.parametrize(
    ("mutate", "rule", "category", "line"),
    [case[1:] for case in DEFAULT_OFF_DEFECTS],
    ids=[case[0] for case in DEFAULT_OFF_DEFECTS],
)
def test_default_off_defect_is_reported_only_when_selected(
    seed: str, mutate: Mutation, rule: str, category: str, line: int
) -> None:
    text = mutate(seed)
    assert text != seed
    assert (rule, category, line) not in [(f.rule, f.category, f.start.line) for f in lint(text)]
    found = [(f.rule, f.category, f.start.line) for f in lint(text, Options(extend_select=[rule]))]
    assert (rule, category, line) in found
