"""The two YAML loaders of parse/front_matter.py: libyaml (fast) must give exactly what the
pure-Python loader gives, or step aside so that the pure-Python loader decides."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from validator.model.problems import Problem
from validator.parse import front_matter
from validator.parse.front_matter import _load_fast, _load_pure, split_front_matter

pytestmark = pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML is built without libyaml")


def _same(fm: str) -> bool:
    """Whether libyaml loads ``fm`` (at page offset 4) exactly as the pure-Python loader does."""
    fast = _load_fast(fm, 4)
    assert fast is None or repr(fast) == repr(_load_pure(fm, 4)), fm  # repr: nan != nan
    return fast is not None


@pytest.mark.parametrize(
    "fm",
    [
        "a: é\nb: 1\n",
        "a: €€€\nb: 2\nb: 3\n",
        "a: 😀😀\nb: [x, 😀, y]\nc: {d: 😀, e: 1}\n",
        "标题: 中文\n键: 值\n键: 再\n",
        "é: 1\n€: 2\n😀: 3\n",
        "a: |\n  😀 é\n  中\nb: >-\n  x😀\n\n  y\nc: 1\n",
        "a: 'é😀''x'\nb: \"\\u00e9\\U0001F600\"\nc: 1\n",
        'a: "x\u2028y\u0085z"\nb: 1\n',
        "a: x\n  \u2028 y\u0085 z\nb: 1\n",
        "- 😀\n- [é, {中: x}]\n- b\n",
    ],
)
def test_libyaml_marks_count_code_points(fm: str) -> None:
    assert _same(fm)
    _, spans, _ = _load_pure(fm, 4)
    for path, (start, end) in spans.items():
        if isinstance(path[-1], str) and path[-1]:
            assert fm[start - 4 : end - 4] == path[-1]


@pytest.mark.parametrize(
    "fm",
    [
        "a:\tb\n",  # libyaml takes a tab as a separator
        "a: 1\n\ufeffb: 2\n",  # and skips a BOM at a line start
        "a: |#\n",  # and a comment right after a block scalar header
        "a: [!!str, b]\n",  # and ends a tag at ','
        "a: !\n",  # and loads an empty node tagged '!' as a string
        "a: [why?, b]\n",  # and reads '?' in a flow collection as part of a plain scalar
        "a: \x01\n",
        "a: \ud800\n",
        'a: "\\ud800"\n',
        "a: 2024-13-45\n",
        "a: *nope\n",
        "a: 1\n---\nb: 2\n",
        "a: " + "[" * 40 + "]" * 40 + "\n",
    ],
)
def test_pure_python_loader_decides_where_libyaml_differs_or_complains(fm: str) -> None:
    assert _load_fast(fm, 4) is None


def test_reader_errors_are_reported_as_before() -> None:
    for char in ("\x01", "\ufeff\x01", "\ud800"):
        result = split_front_matter(f"---\ntitle: x{char}\n---\nbody\n")
        (problem,) = result.problems
        at = 12 + len(char) - 1
        code = ord(char[-1])
        assert problem == front_matter.FrontMatterProblem(
            Problem.FRONT_MATTER_INVALID_YAML,
            f"front matter is not valid YAML: character U+{code:04X} is not allowed",
            at,
            at + 1,
        )


def test_a_bom_inside_front_matter_is_read_by_pyyaml() -> None:
    result = split_front_matter("---\na: 1\n\ufeffb: 2\n---\n")
    assert result.front_matter is not None
    assert result.front_matter.data == {"a": 1, "\ufeffb": 2}


class _Spy(yaml.CSafeLoader):
    built = 0

    def construct_document(self, node: Any) -> Any:
        _Spy.built += 1
        return super().construct_document(node)


def test_alias_bomb_is_stopped_before_libyaml_builds_anything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(front_matter, "_FAST_LOADER", _Spy)
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]" for i in range(4)]
    result = split_front_matter("---\n" + "\n".join(lines) + "\n---\n")
    assert _Spy.built == 0
    (problem,) = result.problems
    assert problem.message == "front matter expands to more than 10,000 values through YAML aliases"
    assert split_front_matter("---\na: &a [*a]\n---\n").problems[0].kind is Problem.FRONT_MATTER_INVALID_YAML
    assert _Spy.built == 0
    assert split_front_matter("---\na: 1\n---\n").front_matter is not None
    assert _Spy.built == 1


PAGES = [
    "---\ntitle: X\ntags: [a, b]\n---\nbody\n",
    "---\na: 1\na: 2\n---\n",
    "---\n- a\n---\n",
    "---\na: 'x\n---\n",
    "---\na:\tb\n---\n",
    "---\n\n---\n",
    "---\ntitle: X\n",
]


@pytest.mark.parametrize("page", PAGES)
def test_without_libyaml_results_are_the_same(page: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with_libyaml = split_front_matter(page)
    monkeypatch.setattr(front_matter, "_FAST_LOADER", None)
    assert split_front_matter(page) == with_libyaml


_PIECES = st.sampled_from(
    ["a", "b", "é", "😀", "中", "1", "2024-01-01", "2024-13-45", ".nan", "~", ": ", ":", "- ", "-", "? ", "\n", "\n  ", " ", "\t",
     "[", "]", "{", "}", ", ", "#", " # c", "'", '"', "\\", "&x ", "*x", "!!str ", "!", "|", ">-", "|2", "...", "%YAML 1.1\n---\n",
     "\u2028", "\x85", "\ufeff", "<<: *x"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_libyaml_agrees_with_the_pure_python_loader(fm: str) -> None:
    _same(fm)
