"""The page model: where headings, prose runs, comments and blocks are, in page offsets."""

from __future__ import annotations

import gc
import random
import re
import weakref
from pathlib import Path

import pytest
from helpers_cli import CLEAN_PAGE
from markdown_it.token import Token

from validator.model.finding import Position
from validator.model.page import Page
from validator.model.problems import Problem
from validator.parse.front_matter import split_front_matter
from validator.parse.markdown import _block_parser, _parsed_children, markdown_parser, parse_page

FRONT = "---\ntitle: X\n---\n"


def _page(body: str) -> Page:
    return parse_page("page.md", FRONT + body)


def _at(page: Page, offset: int) -> tuple[int, int]:
    position = page.position(offset)
    return position.line, position.column


def _runs(page: Page) -> list[tuple[int, int, str]]:
    return [(*_at(page, run.start), run.text) for run in page.runs]


def _assert_runs_are_verbatim(page: Page) -> None:
    for run in page.runs:
        assert page.text[run.start : run.end] == run.text, run
        assert "\n" not in run.text


_DIGIT = re.compile(r"\d")


def _assert_numbers_are_built(page: Page) -> None:
    """The segments built with the page (numeric_segments) come in page order and hold every
    segment with a decimal digit: the dose rules read only those."""
    numeric = list(page.numeric_segments)
    rest = iter(page.segments)
    assert all(any(segment is other for other in rest) for segment in numeric), "not a subsequence"
    with_digits = [segment for segment in page.segments if _DIGIT.search(segment.text)]
    assert [segment for segment in numeric if _DIGIT.search(segment.text)] == with_digits


def test_position_is_one_based_and_clamped() -> None:
    page = parse_page("p.md", "ab\ncd\n")
    assert page.position(0) == Position(1, 1)
    assert page.position(2) == Position(1, 3)
    assert page.position(3) == Position(2, 1)
    assert page.position(6) == Position(3, 1)
    assert page.position(-5) == Position(1, 1)
    assert page.position(999) == Position(3, 1)
    assert page.line_end(4) == 5
    assert page.line_end(6) == 6


def test_columns_count_code_points() -> None:
    page = _page("# 日本 5mg\n")
    (run,) = page.runs
    assert _at(page, run.start + run.text.index("5")) == (4, 6)


def test_reference_page_headings() -> None:
    page = parse_page("p.md", CLEAN_PAGE)
    found = [(h.level, h.plain, *_at(page, h.start), *_at(page, h.text_start)) for h in page.headings]
    assert found == [
        (1, "Testamol", 6, 1, 6, 3),
        (3, "Generic Name", 7, 1, 7, 5),
        (3, "Usage", 10, 1, 10, 5),
        (3, "Dosage", 14, 1, 14, 5),
        (3, "Side Effects", 18, 1, 18, 5),
        (3, "How it Works", 23, 1, 23, 5),
        (3, "Precautions", 27, 1, 27, 5),
        (3, "FAQs", 31, 1, 31, 5),
    ]
    assert page.front_matter is not None
    assert page.front_matter.data == {"layout": "minimal-medicine", "title": "Testamol"}
    # The body starts after the closing delimiter (python-frontmatter's boundary also takes the blank line).
    assert CLEAN_PAGE.index("---\n\n# Testamol") < page.body_start <= CLEAN_PAGE.index("# Testamol")
    _assert_runs_are_verbatim(page)


@pytest.mark.parametrize(
    ("body", "level", "raw", "start", "text_start", "nested"),
    [
        ("# Title\n", 1, "Title", (4, 1), (4, 3), False),
        ("  ## Indented ##\n", 2, "Indented", (4, 1), (4, 6), False),
        ("###   Spaced   \n", 3, "Spaced", (4, 1), (4, 7), False),
        ("Setext\n======\n", 1, "Setext", (4, 1), (4, 1), False),
        ("Second\n---\n", 2, "Second", (4, 1), (4, 1), False),
        ("- ### In a list\n", 3, "In a list", (4, 3), (4, 7), True),
        ("> ## Quoted *text*\n", 2, "Quoted *text*", (4, 3), (4, 6), True),
    ],
)
def test_heading_positions(
    body: str, level: int, raw: str, start: tuple[int, int], text_start: tuple[int, int], nested: bool
) -> None:
    page = _page(body)
    (heading,) = page.headings
    assert (heading.level, heading.raw, heading.nested) == (level, raw, nested)
    assert _at(page, heading.text_start) == text_start
    assert page.text[heading.text_start : heading.text_end] == raw
    if not nested:
        assert _at(page, heading.start) == start


def test_heading_plain_text_drops_markup() -> None:
    (heading,) = _page("## *Side* `Effects` [here](http://x)\n").headings
    assert heading.plain == "Side Effects here"


@pytest.mark.parametrize(
    ("body", "runs"),
    [
        ("Take `5mg` now.\n", [(4, 1, "Take "), (4, 11, " now.")]),
        ("Take ``a ` b`` now.\n", [(4, 1, "Take "), (4, 15, " now.")]),
        ("See <span title='5mg'>label</span>.\n", [(4, 1, "See "), (4, 23, "label"), (4, 35, ".")]),
        ("Go to <https://x.io/5mg> now.\n", [(4, 1, "Go to "), (4, 25, " now.")]),
        ("Mail <me@x.io> now.\n", [(4, 1, "Mail "), (4, 15, " now.")]),
        ("A [link 5mg](http://x/5mg 'title 5mg') b\n", [(4, 1, "A "), (4, 4, "link 5mg"), (4, 39, " b")]),
        ("Use \\*this\\* &amp; that\n", [(4, 1, "Use "), (4, 7, "this"), (4, 13, " "), (4, 19, " that")]),
        ("```\n5mg\n```\n\nafter\n", [(8, 1, "after")]),
        ("~~~md\n# not a heading\n~~~\n", []),
        ("    indented 5mg code\n", []),
        ("<div>\n5mg in html\n</div>\n", []),
        ("<!-- 5mg -->\n", []),
        ("a <!-- 5mg --> b\n", [(4, 1, "a "), (4, 15, " b")]),
        ("one\ntwo  \nthree\\\nfour\n", [(4, 1, "one"), (5, 1, "two"), (6, 1, "three"), (7, 1, "four")]),
        ("> quoted\n> more\n", [(4, 3, "quoted"), (5, 3, "more")]),
        ("- item\n  continued\n", [(4, 3, "item"), (5, 3, "continued")]),
        ("1. first\n   1. nested `x` y\n", [(4, 4, "first"), (5, 7, "nested "), (5, 17, " y")]),
        ("-\ttabbed item\n", [(4, 3, "tabbed item")]),
        # markdown-it trims Unicode spaces from the content; a first line holding only them
        # after a list or quote marker is not in the content (found by Hypothesis: '- \u2028').
        ("- \u2028\n0g\n", [(5, 1, "0g")]),
        ("1. \u2028\n   5mg\n", [(5, 4, "5mg")]),
        ("> \u00a0\n> 5mg\n", [(5, 3, "5mg")]),
        ("\u00a0\n5mg\n", [(5, 1, "5mg")]),
    ],
)
def test_runs_are_prose_only(body: str, runs: list[tuple[int, int, str]]) -> None:
    page = _page(body)
    assert _runs(page) == runs
    _assert_runs_are_verbatim(page)


TABLE = """\
| Drug | Dose |
|:-----|-----:|
| Alpha | 5 mg |
| Be\\|ta \\| b | 10 mg `code` |
|  | x |
"""


def test_table_cells_are_located() -> None:
    page = _page(TABLE)
    assert _runs(page) == [
        (4, 3, "Drug"),
        (4, 10, "Dose"),
        (6, 3, "Alpha"),
        (6, 11, "5 mg"),
        # An escaped pipe splits the run, so that each piece is verbatim source text.
        (7, 3, "Be"),
        (7, 6, "|ta "),
        (7, 11, "| b"),
        (7, 17, "10 mg "),
        (8, 6, "x"),
    ]
    _assert_runs_are_verbatim(page)
    assert [block.kind for block in page.blocks] == ["table"]


def test_table_cell_that_repeats_earlier_text() -> None:
    page = _page("| mg | 5 mg | mg |\n|---|---|---|\n| a | a | a |\n")
    assert _runs(page) == [(4, 3, "mg"), (4, 8, "5 mg"), (4, 15, "mg"), (6, 3, "a"), (6, 7, "a"), (6, 11, "a")]


@pytest.mark.parametrize(
    ("body", "numeric"),
    [
        ("Plain words.\n\nTake 5 mg.\n", ["Take 5 mg."]),
        ("A paragraph\nwhose second line has 5 mg.\n", ["A paragraph whose second line has 5 mg."]),
        ("Arabic-Indic digits: \u0665 mg.\n", ["Arabic-Indic digits: \u0665 mg."]),
        ("An entity: &#53; mg.\n", ["An entity: 5 mg."]),
        ("1. the marker's digit is on this line\n", ["the marker's digit is on this line"]),
        ("## Dose 2\n\nno number\n", ["Dose 2"]),
        ("| a | b |\n|---|---|\n| c | d |\n", ["a", "b", "c", "d"]),  # cells are built together
        ("no number <!-- here -->\n", ["no number "]),  # directives are read at once
    ],
)
def test_prose_that_may_hold_a_number_is_built_with_the_page(body: str, numeric: list[str]) -> None:
    page = _page(body)
    assert [segment.text for segment in page.numeric_segments] == numeric
    _assert_numbers_are_built(page)


def test_prose_without_numbers_is_built_when_read() -> None:
    page = _page("# Title\n\nSome *plain* words\nover two lines.\n\n- a list\n- of words\n")
    assert page.numeric_segments == ()
    assert [segment.text for segment in page.segments] == [
        "Title",
        "Some plain words over two lines.",
        "a list",
        "of words",
    ]
    assert _runs(page)[:3] == [(4, 3, "Title"), (6, 1, "Some "), (6, 7, "plain")]


def test_a_page_is_freed_without_the_cycle_collector() -> None:
    """Runs raise the cycle collector's threshold (parallel.collect_less_often): a page held
    in a reference cycle, with its tokens, would stay in memory long after it was checked."""
    gc.disable()
    try:
        page = parse_page("page.md", CLEAN_PAGE + "\nSee [the notes][ref].\n\n[ref]: /notes\n")
        assert page.segments and page.blocks[-2].plain and page.headings[0].plain
        references = [weakref.ref(value) for value in (page, page.blocks[-2], page.segments[0])]
        del page
        assert [reference() for reference in references] == [None, None, None]
    finally:
        gc.enable()


def test_comments_in_blocks_and_inline() -> None:
    body = "<!-- block -->\n\nText <!-- inline --> end.\n\n  <!--\n  indented\n  -->\n"
    page = _page(body)
    found = [(*_at(page, c.start), *_at(page, c.end), c.text) for c in page.comments]
    assert found == [
        (4, 1, 4, 15, "<!-- block -->"),
        (6, 6, 6, 21, "<!-- inline -->"),
        (8, 3, 10, 6, "<!--\nindented\n-->"),
    ]


@pytest.mark.parametrize(
    "body",
    [
        "> <!--\n> one\n> two -->\n",
        "- item\n\n  <!--\n  one\n  two -->\n",
        "> - <!--\n>   one\n>   two -->\n",
        "> para <!--\n> one\n> two --> end\n",
        "-\t<!--\n\tone\n\ttwo -->\n",
    ],
)
def test_comment_lines_map_to_their_source_lines(body: str) -> None:
    page = _page(body)
    (comment,) = page.comments
    lines = comment.text.split("\n")
    assert lines[0] == "<!--"
    assert [line.strip() for line in lines[1:]] == ["one", "two -->"]
    for index, line in enumerate(lines):
        assert page.text.startswith(line, comment.line_starts[index])
    # offset() follows the lines: "two" is on the comment's third line, at its own column.
    two = comment.offset(comment.text.index("two"))
    assert page.text.startswith("two", two)
    assert comment.start == page.text.index("<!--")
    assert page.text[comment.end - 3 : comment.end] == "-->"


def test_blocks_in_order_with_spans() -> None:
    page = _page("# T\n\npara\n\n- a\n- b\n\n> q\n\n---\n\n```\nx\n```\n")
    found = [(b.kind, _at(page, b.start), _at(page, b.end)) for b in page.blocks]
    assert found == [
        ("heading", (4, 1), (4, 4)),
        ("paragraph", (6, 1), (6, 5)),
        ("bullet_list", (8, 1), (10, 1)),  # markdown-it's map takes the blank line after a list
        ("blockquote", (11, 1), (11, 4)),
        ("hr", (13, 1), (13, 4)),
        ("fence", (15, 1), (17, 4)),
    ]
    assert page.blocks[1].raw == page.blocks[1].plain == "para"


def test_front_matter_key_spans() -> None:
    page = parse_page("p.md", "---\nlayout: x\ntitle: Y\nlist:\n  - a\n---\nbody\n")
    assert page.front_matter is not None
    assert _at(page, page.front_matter.key_spans[("title",)][0]) == (3, 1)
    assert _at(page, page.front_matter.span_of(("list", 0))[0]) == (5, 5)
    assert _at(page, page.front_matter.span_of(("nope", "deeper"))[0]) == (1, 1)
    assert _at(page, page.body_start) == (7, 1)


FRAGMENTS = [
    "5 mg", "word", "*em*", "**strong**", "`code`", "``co`de``", "<b>", "</b>", "<https://x.io/a>",
    "[l](u)", "![a](i)", "\\*", "&amp;", "&#35;", "\t", "  ", "\n", "\n\n", "> ", "- ", "1. ", "# ",
    "## h ##", "|", "\\|", " | ", "\n|---|---|\n", "<!-- c -->", "_u_", "~~", "\\\n", "  \n",
    "```\nx\n```\n", "    ind\n", "ü", "日本", "[ref]: /u\n", "[ref]", "<div>\n", "***", "\n---\n", "=\n",
]  # fmt: skip


@pytest.mark.parametrize("seed", range(8))
def test_random_pages_keep_every_position_verbatim(seed: int) -> None:
    """Property test (seeded, so failures reproduce): whatever the Markdown, every run is a
    verbatim slice of the page, headings' raw text sits at text_start, and each comment
    line sits at its recorded offset."""
    generator = random.Random(seed)
    for _ in range(300):
        body = "".join(generator.choice(FRAGMENTS) for _ in range(generator.randint(1, 30)))
        page = _page(body)
        _assert_runs_are_verbatim(page)
        _assert_numbers_are_built(page)
        for heading in page.headings:
            first_line = heading.raw.split("\n")[0]
            assert page.text[heading.text_start : heading.text_end] == first_line, body
        for comment in page.comments:
            for line, start in zip(comment.text.split("\n"), comment.line_starts, strict=True):
                assert page.text.startswith(line, start), body


def _tokens(tokens: list[Token]) -> list[tuple[object, ...]]:
    return [
        (t.type, t.tag, t.nesting, t.level, t.map, t.markup, t.content, t.info, t.attrs, _tokens(t.children or []))
        for t in tokens
    ]


def _parsed_when_read(text: str) -> list[tuple[object, ...]]:
    """The page's tokens as parse_page has them, every inline token's children read."""
    body_start = split_front_matter(text).body_start
    env: dict[str, object] = {}
    tokens = _block_parser().parse(text[body_start:], env)
    for token in tokens:
        if token.type == "inline":
            _parsed_children(token, env)
    return _tokens(tokens)


FIXTURE_PAGES = sorted(path for path in (Path(__file__).parent.parent / "fixtures").rglob("*.md") if path.is_file())


def test_inline_content_parsed_when_read_is_what_a_full_parse_gives() -> None:
    """parse_page parses inline content only where it is read; it must then be exactly what
    markdown-it's own inline pass makes, link references included."""
    generator = random.Random(0)
    texts = [path.read_bytes().decode("utf-8", "replace") for path in FIXTURE_PAGES]
    texts += [FRONT + "".join(generator.choice(FRAGMENTS) for _ in range(30)) for _ in range(300)]
    texts.append(FRONT + "See [the label][ref], [ref] and ![x][ref].\n\n[ref]: /url 'T'\n")
    assert len(FIXTURE_PAGES) > 50
    for text in texts:
        body = text[split_front_matter(text).body_start :]
        assert _parsed_when_read(text) == _tokens(markdown_parser().parse(body)), text


@pytest.mark.parametrize(
    ("text", "kind", "position"),
    [
        ("# no front matter\n", Problem.FRONT_MATTER_MISSING, (1, 1)),
        ("---\ntitle: X\n\n# never closed\n", Problem.FRONT_MATTER_UNCLOSED, (1, 1)),
        ("---\ntitle: 'X\n---\n", Problem.FRONT_MATTER_INVALID_YAML, (2, 8)),
        ("---\nlayout: a\n\ttitle: X\n---\n", Problem.FRONT_MATTER_INVALID_YAML, (3, 1)),
        ("---\n- a\n- b\n---\n", Problem.FRONT_MATTER_NOT_MAPPING, (2, 1)),
        ("---\ntitle: A\nlayout: b\ntitle: B\n---\n", Problem.FRONT_MATTER_DUPLICATE_KEY, (4, 1)),
        ("---\ntitle: !!python/object/apply:os.system [x]\n---\n", Problem.FRONT_MATTER_INVALID_YAML, (2, 8)),
    ],
)
def test_front_matter_problems_are_located(text: str, kind: Problem, position: tuple[int, int]) -> None:
    page = parse_page("p.md", text)
    assert [(problem.kind, _at(page, problem.start)) for problem in page.front_matter_problems] == [(kind, position)]


def test_front_matter_size_limit_names_its_cause() -> None:
    bomb = "---\na: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{name}: &{name} [{', '.join([f'*{previous}'] * 10)}]\n"
        for previous, name in zip("abcde", "bcdef", strict=True)
    )
    big = "---\n" + "".join(f"k{index}: v\n" for index in range(6000)) + "---\n"
    (alias_problem,) = parse_page("p.md", bomb + "---\n").front_matter_problems
    (size_problem,) = parse_page("p.md", big).front_matter_problems
    assert alias_problem.kind is size_problem.kind is Problem.FRONT_MATTER_INVALID_YAML
    assert "aliases" in alias_problem.message
    assert "aliases" not in size_problem.message  # 6,000 plain keys use no alias at all
