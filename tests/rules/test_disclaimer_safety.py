"""disclaimer-label (MON304) labels a paragraph as the disclaimer with a safe fix only where it
cannot be anything else: the last block, saying every required idea, with a colon after the
word, and not a question or an answer of the section the content model marks with
`questions` (nor right after one). Elsewhere the fix is unsafe, or there is none.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from helpers_model import default_model_data, write_model

from validator.api import Options, fix_text, lint_text
from validator.config.files import Config
from validator.model.finding import Finding

if TYPE_CHECKING:
    from conftest import Lint

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
PAGES = Path(__file__).parent.parent / "fixtures" / "rules" / "MON304"
LABEL = "**Disclaimer:** "
CLOSING = (
    "This information is for educational purposes only and should not be considered medical advice. "
    "Always consult with a healthcare professional before starting, stopping, or changing any medication."
)
TOP = "---\nlayout: minimal-medicine\ntitle: Baclofen\n---\n\n# Baclofen\n"


def _label(findings: list[Finding]) -> Finding:
    (found,) = [finding for finding in findings if finding.rule == "MON304"]
    return found


def _page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def test_a_faq_answer_gets_no_label_fix(lint: Lint) -> None:
    page = _page("fail-faq-answer.md")
    assert page.rstrip().splitlines()[-1].startswith("A: Consult with your doctor")
    assert _label(lint(page)).fix is None
    # Not even with --unsafe-fixes is the answer labelled as the disclaimer.
    fixed = fix_text(page, "page.md", Config(root=PAGES, source=None), Options(unsafe_fixes=True), cwd=PAGES)
    assert fixed.output is not None and LABEL not in fixed.output.decode("utf-8")


def test_a_faq_answer_written_inline_is_left_alone_by_the_safe_fixes(lint: Lint) -> None:
    answer = "A: Consult your doctor; this page is not a substitute for medical advice."
    page = f"{TOP}### FAQs\n\n**Q: Can I stop it?**\n\n{answer}\n"
    assert all(finding.fix is None or not finding.fix.safe for finding in lint(page) if finding.rule == "MON304")
    assert fix_text(page).output == page.encode("utf-8")


def test_the_closing_disclaimer_without_its_label_gets_the_safe_fix(lint: Lint) -> None:
    label = _label(lint(_page("fail-unlabelled.md")))
    assert label.fix is not None and label.fix.safe
    assert [edit.text for edit in label.fix.edits] == [LABEL]


def test_a_closing_paragraph_right_after_the_faqs_heading_gets_the_safe_fix(lint: Lint) -> None:
    label = _label(lint(f"{TOP}### FAQs\n\n{CLOSING}\n"))
    assert label.fix is not None and label.fix.safe


@pytest.mark.parametrize(
    ("page", "why"),
    [
        ("fail-after-answer.md", "follows a question or an answer of 'FAQs'"),
        ("fail-missing-idea.md", "does not say that readers should consult a healthcare professional"),
    ],
)
def test_a_doubtful_paragraph_gets_only_an_unsafe_fix(lint: Lint, page: str, why: str) -> None:
    label = _label(lint(_page(page)))
    assert label.fix is not None and not label.fix.safe
    assert why in label.fix.message
    assert fix_text(_page(page)).output == _page(page).encode("utf-8")  # the safe fixes leave it alone


@pytest.mark.parametrize(
    "tail",
    [
        "#### Can I stop it?\n\n" + CLOSING,  # a question written as a sub-heading
        "**Can I stop it?**\n\n" + CLOSING,  # a question without a marker
        "* **Q: Can I drive?** A: Ask your doctor.\n\nSee the leaflet too.\n\n" + CLOSING,  # after a paragraph
    ],
)
def test_a_paragraph_that_may_answer_a_question_of_faqs_gets_only_an_unsafe_fix(lint: Lint, tail: str) -> None:
    label = _label(lint(f"{TOP}### FAQs\n\n{tail}\n"))
    assert label.fix is not None and not label.fix.safe


def test_a_label_that_is_not_last_gets_only_an_unsafe_fix(lint: Lint) -> None:
    page = f"{TOP}### FAQs\n* **Q: Can I drive?** A: No.\n\nDisclaimer: {CLOSING}\n\nSee also our other pages.\n"
    label = _label(lint(page))
    assert label.fix is not None and not label.fix.safe
    assert "not the last block" in label.fix.message


def test_a_label_word_without_a_colon_gets_only_an_unsafe_fix(lint: Lint) -> None:
    page = f"{TOP}### FAQs\n* **Q: Can I drive?** A: No.\n\nDisclaimer of liability. {CLOSING}\n"
    label = _label(lint(page))
    assert label.fix is not None and not label.fix.safe
    # With the colon, the same paragraph is unambiguous.
    colon = _label(lint(page.replace("Disclaimer of liability.", "Disclaimer:")))
    assert colon.fix is not None and colon.fix.safe


def test_which_section_holds_answers_comes_from_the_content_model(tmp_path: Path) -> None:
    """Without `questions` in the model, an answer-like last paragraph is not recognised."""
    data = default_model_data()
    for section in data["sections"]["required"]:
        section.pop("questions", None)
    model = write_model(tmp_path, data, "plain.yaml")
    config = Config(root=tmp_path, source=None)
    page = _page("fail-faq-answer.md")
    label = _label(lint_text(page, "page.md", config, Options(schema=model), cwd=tmp_path))
    assert label.fix is not None and label.fix.safe
    assert _label(lint_text(page, "page.md", config, cwd=tmp_path)).fix is None
