"""Hypothesis strategies for monograph-like pages, their byte encodings and edits of them;
plus the suite's Hypothesis profiles.

Pages are built from realistic pieces (the content model's section names and aliases,
dose expressions with the numbers, units, gaps and abbreviations real pages get wrong)
with random spelling, Markdown around them and awkward Unicode, so that most examples
reach the dose scanner and the section rules instead of stopping at the front matter.

Profiles: ``ci`` (the default) keeps the property suite within about a minute on the CI
machine; ``long`` runs many more examples (``HYPOTHESIS_PROFILE=long pytest tests/property``),
and ``explore`` does the same without the explicit ``@example`` regressions.
Neither is derandomized: Hypothesis prints the blob of any failure to reproduce it.
"""

from __future__ import annotations

import codecs
import os

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

from validator.content_model.load import load_content_model

# --- profiles ----------------------------------------------------------------------------

_SLOW_IS_FINE = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile("ci", deadline=None, print_blob=True, suppress_health_check=_SLOW_IS_FINE)
settings.register_profile("long", deadline=None, print_blob=True, suppress_health_check=_SLOW_IS_FINE)
# Like long, but without the explicit @example regressions: it searches for new bugs while
# known ones are not fixed yet (a failing explicit example stops a test's search).
_SEARCH = (Phase.reuse, Phase.generate, Phase.target, Phase.shrink)
settings.register_profile("explore", parent=settings.get_profile("long"), phases=_SEARCH)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)
# Each test states its example count for the ci profile; the long profile multiplies it.
_SCALE = {"ci": 1, "long": 25, "explore": 25}.get(PROFILE, 1)


def budget(examples: int) -> settings:
    """Settings for one property: ``examples`` examples under ``ci``, more under ``long``."""
    return settings(max_examples=examples * _SCALE)


# --- vocabulary ------------------------------------------------------------------------------

MODEL = load_content_model()
SECTION_NAMES = tuple(name for section in MODEL.sections for name in (section.heading, *section.aliases))

NUMBERS = ("10", "0.5", ".5", "5.0", "1,000", "1000", "1000000", "2400000", "1.0", "12.50", "0", "100", "2.5", "1,000.0")  # fmt: skip
UNITS = (
    "mg", "mcg", "µg", "μg", "ug", "mL", "ml", "ML", "IU", "I.U.", "U", "units", "international units", "mg/kg/day",
    "mg/kg", "mEq/L", "mEq", "cc", "g", "kg", "MG", "mgs", "%", "tablets", "drops", "gr", "grains", "million units",
)  # fmt: skip
GAPS = ("", " ", "\u00a0", "\u202f", "\t", "  ")
RANGES = ("-", "–", "—", " to ", " - ", "/", "x")
BEFORE = ("", "", "", "<", ">", "≤", "≥", "< ", "> ", "up to ", "−", "~")
AFTER = (
    "", "", "", " qd", " QD", " bid", " tid", " qid", " q4h", " prn", " hs", " SC", " SQ", " OD", " IN", " qod",
    " daily", " twice a day", " q.d.", " D/C", " x3d", " per day",
)  # fmt: skip
EMPHASIS = ("", "", "", "*", "**", "_", "__", "`", "~~")
WORDS = (
    "Take", "the", "dose", "is", "give", "adults", "children", "every", "hours", "with", "food", "or", "and",
    "maximum", "Testamol", "day", "week", "IV", "orally", "(", ")", ",", ".", ";", ":", "e.g.", "AD", "OS",
)  # fmt: skip
# Characters that break code that counts bytes or UTF-16 units instead of code points, or
# that treats a combining mark, a zero-width space or an RTL mark as nothing.
ODD_CHARACTERS = (
    "💊", "🧪", "👩‍⚕️", "é", "e\u0301", "\u0301", "\u200b", "\u200d", "\u202e", "\u2028", "\ufeff", "𝟙𝟘", "١٠",
    "ﬁ", "Ⅻ", "\u00ad", "µ", "μ", "\t", "\\", "&amp;", "&#10;",
)  # fmt: skip
FRONT_MATTER = (
    "---\nlayout: minimal-medicine\ntitle: Testamol\n---\n",
    "---\r\nlayout: minimal-medicine\r\ntitle: Testamol\r\n---\r\n",
    "---\nlayout: minimal-medicine\ntitle: Testamol\ndescription: Pain relief.\n---\n",
    "---\nlayout: minimal-medicine\ntitle: [unclosed\n---\n",  # invalid YAML
    "---\nlayout: minimal-medicine\n\ttitle: Testamol\n---\n",  # a tab
    "---\nlayout: minimal-medicine\ntitle: Testamol\n",  # never closed
    "---\nlayout: minimal-medicine\ntitle: Testamol\ntitle: Other\n---\n",  # a duplicate key
    "---\n- a list\n- not a mapping\n---\n",
    "---\na: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n---\n",  # aliases
    "---\ntitle: !!python/object:os.system ls\n---\n",  # an unsafe tag
    "---\n---\n",
    "---\nlayout: other\ntitle: 5\nauthor: x\n---\n",  # schema violations
    "---\nlayout: minimal-medicine\ntitle: Testamol\n...\n",  # YAML's end marker, not '---'
    "",  # none at all
    "--- \nlayout: minimal-medicine\ntitle: Testamol\n---   \n",
    "\n---\nlayout: minimal-medicine\ntitle: Testamol\n---\n",  # not at the start
)
DISCLAIMERS = (
    MODEL.disclaimer.canonical,
    "Disclaimer: This is not medical advice. Consult a doctor.",
    "**Disclaimer**: This information is not medical advice.",
    "*Disclaimer:* Ask your pharmacist.",
    "**Disclaimer:**",
    "> **Disclaimer:** This is not medical advice; talk to your doctor.",
    "",
)

# --- dose expressions ------------------------------------------------------------------------


@st.composite
def doses(draw: st.DrawFn) -> str:
    """A dose such as '10mg', '.5 mcg', '1,000-2000 IU qd', '< 5.0 mL', '**10 mg**' (ranges with
    hyphens, en dashes or 'to')."""
    number = draw(st.sampled_from(NUMBERS))
    if draw(st.booleans()):
        number += draw(st.sampled_from(RANGES)) + draw(st.sampled_from(NUMBERS))
    gap = draw(st.sampled_from((*GAPS, "\n")))  # a line break inside the dose, too
    dose = draw(st.sampled_from(BEFORE)) + number + gap + draw(st.sampled_from(UNITS)) + draw(st.sampled_from(AFTER))
    mark = draw(st.sampled_from(EMPHASIS))
    return mark + dose + mark


def words() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(WORDS),
        doses(),
        doses(),
        st.sampled_from(ODD_CHARACTERS),
        st.sampled_from(SECTION_NAMES),
        st.text(st.characters(codec="utf-8"), max_size=4),
    )


@st.composite
def sentences(draw: st.DrawFn) -> str:
    return " ".join(draw(st.lists(words(), min_size=1, max_size=8)))


# --- blocks ------------------------------------------------------------------------------------


@st.composite
def headings(draw: st.DrawFn) -> str:
    """A section heading with the spelling variations real pages have: level, case, trailing
    punctuation, extra words, no space after the '#'s."""
    name = draw(st.sampled_from(SECTION_NAMES))
    name = draw(st.sampled_from((name, name.lower(), name.upper(), name.title(), name.replace(" ", "  "))))
    name += draw(st.sampled_from(("", "", ":", " :", ".", " -", "–", "::", " and More", " (Adults)")))
    level = draw(st.sampled_from((3, 3, 3, 2, 1, 4, 6, 7)))
    space = draw(st.sampled_from((" ", " ", "", "  ", "\t")))
    closing = draw(st.sampled_from(("", "", " ###", " #")))
    return draw(st.sampled_from(("", "", " ", "   "))) + "#" * level + space + name + closing


@st.composite
def paragraphs(draw: st.DrawFn) -> str:
    lines = draw(st.lists(sentences(), min_size=1, max_size=2))
    return draw(st.sampled_from(("\n", "  \n", "\\\n"))).join(lines)


@st.composite
def lists(draw: st.DrawFn) -> str:
    marker = draw(st.sampled_from(("* ", "- ", "+ ", "1. ", "1) ", "* **Q:** ")))
    items = draw(st.lists(sentences(), min_size=1, max_size=4))
    nested = draw(st.sampled_from(("", "  ", "    ")))
    return "\n".join((nested if index % 2 else "") + marker + item for index, item in enumerate(items))


@st.composite
def tables(draw: st.DrawFn) -> str:
    columns = draw(st.integers(1, 3))
    rows = draw(st.lists(st.lists(sentences(), min_size=columns, max_size=columns), min_size=1, max_size=3))
    head = "| " + " | ".join(f"h{index}" for index in range(columns)) + " |"
    rule = "|" + "---|" * columns
    body = ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join([head, rule, *body])


@st.composite
def code_blocks(draw: st.DrawFn) -> str:
    body = draw(sentences())
    fence = draw(st.sampled_from(("```", "~~~", "````", "    ")))
    if fence.isspace():
        return fence + body.replace("\n", "\n" + fence)
    closing = draw(st.sampled_from((fence, fence, "")))  # an unclosed fence runs to the end
    return f"{fence}\n{body}\n{closing}"


@st.composite
def quotes(draw: st.DrawFn) -> str:
    return "> " + draw(sentences()).replace("\n", "\n> ")


def blocks() -> st.SearchStrategy[str]:
    return st.one_of(
        paragraphs(),
        paragraphs(),
        paragraphs(),
        headings(),
        headings(),
        lists(),
        tables(),
        code_blocks(),
        quotes(),
        st.sampled_from(
            (
                "<!-- monolint-disable-next-line MON401 -->",
                "<!-- monolint-disable MON4 -->",
                "<!-- monolint-enable -->",
                "<!-- monolint-disable-next-line MON999 -->",
                "<div>\n10mg\n</div>",
                "---",
                "***",
                "[dose]: /dose '5.0 mg'",
                "<!--",
            )
        ),
        st.sampled_from(DISCLAIMERS),
    )


# --- pages ----------------------------------------------------------------------------------


@st.composite
def pages(draw: st.DrawFn) -> str:
    """Page text (``\\n`` newlines): front matter, H1, sections with content, disclaimer."""
    parts = [draw(st.sampled_from(FRONT_MATTER))]
    title = draw(st.sampled_from(("# Testamol", "# Testamol", "# testamol", "# Other", "", "Testamol\n===")))
    parts.append(title)
    for _ in range(draw(st.integers(0, 7))):
        parts.append(draw(headings()))
        parts.extend(draw(st.lists(blocks(), max_size=2)))
    parts.append(draw(st.sampled_from(DISCLAIMERS)))
    parts.extend(draw(st.lists(blocks(), max_size=1)))
    separators = st.sampled_from(("\n\n", "\n\n", "\n", "\n\n\n"))
    text = parts[0] + "".join(part + draw(separators) for part in parts[1:])
    return draw(st.sampled_from((text, text, text.rstrip("\n"), text + "\n\n")))


def edited(pages: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Pages with random text inserted and deleted at random offsets, as an editor makes
    them while typing (a keystroke can leave any prefix of a dose or a heading)."""

    @st.composite
    def edit(draw: st.DrawFn) -> str:
        text = draw(pages)
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, len(text)))
            cut = draw(st.integers(0, min(8, len(text) - at)))
            insert = draw(st.one_of(st.just(""), words(), st.text(max_size=6), st.sampled_from(("\n", "#", "-", "*"))))
            text = text[:at] + insert + text[at + cut :]
        return text

    return edit()


def texts() -> st.SearchStrategy[str]:
    """Page texts of every kind: built, edited, and wholly random."""
    return st.one_of(pages(), pages(), edited(pages()), st.text(), st.text(st.sampled_from("-#*_`>|:.0123456789 \n\r")))


# --- bytes ------------------------------------------------------------------------------------

NEWLINES = ("\n", "\r\n", "\r")


@st.composite
def encoded(draw: st.DrawFn, text: st.SearchStrategy[str] | None = None) -> bytes:
    """A page's bytes: UTF-8 with LF, CRLF, CR or mixed line endings, with or without a BOM."""
    lines = draw(text if text is not None else texts()).split("\n")
    newline = draw(st.sampled_from((*NEWLINES, "mixed")))
    body = lines[0]
    for line in lines[1:]:
        body += (draw(st.sampled_from(NEWLINES)) if newline == "mixed" else newline) + line
    raw = body.encode("utf-8", "surrogatepass")
    return codecs.BOM_UTF8 + raw if draw(st.booleans()) else raw


def raw_pages() -> st.SearchStrategy[bytes]:
    """Any bytes a file can hold: encoded pages, pages broken by bad bytes, UTF-16 pages,
    and fully random bytes."""
    broken = st.tuples(encoded(), st.sampled_from((b"\x00", b"\xff", b"\xe2\x82", b"\xed\xa0\x80", b"\xc0\xaf"))).map(
        lambda pair: pair[0][: len(pair[0]) // 2] + pair[1] + pair[0][len(pair[0]) // 2 :]
    )
    utf16 = st.tuples(pages(), st.sampled_from(("utf-16", "utf-16-le", "utf-16-be", "utf-32"))).map(
        lambda pair: pair[0].encode(pair[1])
    )
    return st.one_of(encoded(), encoded(), broken, utf16, st.binary(max_size=400))
