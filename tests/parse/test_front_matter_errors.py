"""YAML syntax errors are reported where the broken construct starts (an unclosed bracket or
quote), or on the line that breaks a block collection, and the message names the other
place PyYAML gives, in page lines and columns."""

from __future__ import annotations

import pytest

from validator.api import lint_text

FRONT = "---\nlayout: minimal-medicine\n"  # the broken key is on line 3
REST = "other: 1\n---\n\n# Testamol\n"


@pytest.mark.parametrize(
    ("front_matter", "line", "column", "message"),
    [
        pytest.param(
            "title: [Baclofen\n",
            3,
            8,
            "while parsing a flow sequence, expected ',' or ']', but got ':' (noticed at line 4, column 6)",
            id="flow-sequence",
        ),
        pytest.param(
            "title: {name: Baclofen\n",
            3,
            8,
            "while parsing a flow mapping, expected ',' or '}', but got ':' (noticed at line 4, column 6)",
            id="flow-mapping",
        ),
        pytest.param(
            "title: 'Baclofen\n",
            3,
            8,
            # The quote runs on to the end of the front matter: the closing '---' line.
            "while scanning a quoted scalar, found unexpected end of stream (noticed at line 5, column 1)",
            id="unclosed-single-quote",
        ),
        pytest.param(
            'title: "Baclofen\n',
            3,
            8,
            "while scanning a quoted scalar, found unexpected end of stream (noticed at line 5, column 1)",
            id="unclosed-double-quote",
        ),
        pytest.param(
            "tags:\n  - a\n - b\n",
            5,
            2,
            # The block mapping starts at the first key: the badly indented line is the news.
            "while parsing a block mapping, expected <block end>, but found '<block sequence start>' "
            "(it starts at line 2, column 1)",
            id="bad-indentation-sequence",
        ),
        pytest.param(
            "meta:\n  a: 1\n b: 2\n",
            5,
            2,
            "while parsing a block mapping, expected <block end>, but found '<block mapping start>' "
            "(it starts at line 2, column 1)",
            id="bad-indentation-mapping",
        ),
        pytest.param(
            "title: Baclofen\n  dose: 5 mg\n",
            4,
            7,
            "mapping values are not allowed here",  # PyYAML gives one mark only
            id="over-indented-key",
        ),
    ],
)
def test_yaml_syntax_error_is_reported_where_the_construct_starts(
    front_matter: str, line: int, column: int, message: str
) -> None:
    findings = lint_text(FRONT + front_matter + REST, "page.md")
    (finding,) = [finding for finding in findings if finding.rule == "MON006"]
    assert (finding.start.line, finding.start.column) == (line, column)
    assert finding.message == f"front matter is not valid YAML: {message}"


def test_lines_count_from_the_top_of_the_page_after_a_bom_and_crlf() -> None:
    page = (FRONT + "title: [Baclofen\n" + REST).replace("\n", "\r\n").encode("utf-8-sig")
    (finding,) = [finding for finding in lint_text(page, "page.md") if finding.rule == "MON006"]
    assert (finding.start.line, finding.start.column) == (3, 8)
    assert finding.message.endswith("(noticed at line 4, column 6)")
