"""source.decode: bytes to text, or the reason (and place) they are not a UTF-8 page."""

from __future__ import annotations

import codecs

import pytest
from helpers_cli import CLEAN_PAGE

from validator.model.problems import Problem
from validator.parse.source import DecodeProblem, Source, decode, normalize_newlines

LF = "one\ntwo\n\nfour é\n"


def _source(raw: bytes) -> Source:
    decoded = decode(raw)
    assert isinstance(decoded, Source), decoded
    return decoded


@pytest.mark.parametrize(
    ("raw", "newline"),
    [
        (LF.encode(), "\n"),
        (LF.replace("\n", "\r\n").encode(), "\r\n"),
        (LF.replace("\n", "\r").encode(), "\r"),
        (b"no newline at all", "\n"),
        (b"first\r\nthen\nmixed\r", "\r\n"),
        (b"first\nthen\r\n", "\n"),
    ],
)
def test_newlines_become_lf_and_the_first_one_is_remembered(raw: bytes, newline: str) -> None:
    source = _source(raw)
    assert "\r" not in source.text
    assert source.newline == newline
    assert source.raw == raw
    assert source.bom is False


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8])
def test_every_line_ending_and_bom_gives_the_same_text(newline: str, bom: bytes) -> None:
    raw = bom + CLEAN_PAGE.replace("\n", newline).encode()
    source = _source(raw)
    assert source.text == CLEAN_PAGE
    assert source.bom is bool(bom)
    assert source.raw == raw


def test_only_a_leading_bom_is_stripped() -> None:
    source = _source(codecs.BOM_UTF8 + "a\ufeffb".encode())
    assert source.text == "a\ufeffb"


def test_lone_cr_before_lf_is_one_newline_each() -> None:
    assert normalize_newlines("a\r\r\nb") == "a\n\nb"
    assert normalize_newlines("a\n\rb") == "a\n\nb"
    assert normalize_newlines("plain") == "plain"


def _problem(raw: bytes) -> DecodeProblem:
    decoded = decode(raw)
    assert isinstance(decoded, DecodeProblem), decoded
    return decoded


@pytest.mark.parametrize(
    ("raw", "kind", "line", "column"),
    [
        pytest.param(b"caf\xe9", Problem.NOT_UTF8, 1, 4, id="latin1"),
        pytest.param(b"a\nb\ncaf\xe9 x", Problem.NOT_UTF8, 3, 4, id="latin1-line-3"),
        pytest.param(b"a\r\nb\r\ncaf\xe9", Problem.NOT_UTF8, 3, 4, id="latin1-crlf"),
        pytest.param(b"a\rb\rcaf\xe9", Problem.NOT_UTF8, 3, 4, id="latin1-cr"),
        pytest.param(codecs.BOM_UTF8 + b"caf\xe9", Problem.NOT_UTF8, 1, 4, id="latin1-after-bom"),
        pytest.param("日本 ".encode() + b"\xff", Problem.NOT_UTF8, 1, 4, id="columns-count-code-points"),
        pytest.param(b"ok \xe2\x82", Problem.NOT_UTF8, 1, 4, id="truncated-sequence"),
        pytest.param(b"\xed\xa0\x80", Problem.NOT_UTF8, 1, 1, id="surrogate"),
        pytest.param(b"\xc0\xaf", Problem.NOT_UTF8, 1, 1, id="overlong"),
        pytest.param("x".encode("utf-16"), Problem.NOT_UTF8, 1, 1, id="utf16-bom"),
        pytest.param(codecs.BOM_UTF16_BE + "x".encode("utf-16-be"), Problem.NOT_UTF8, 1, 1, id="utf16-be-bom"),
        pytest.param("title: x\n".encode("utf-16-le"), Problem.NOT_UTF8, 1, 1, id="utf16-le-no-bom"),
        pytest.param("title: x\n".encode("utf-16-be"), Problem.NOT_UTF8, 1, 1, id="utf16-be-no-bom"),
        pytest.param("x".encode("utf-32"), Problem.NOT_UTF8, 1, 1, id="utf32-bom"),
        pytest.param(b"ab\ncd\x00", Problem.BINARY, 2, 3, id="nul"),
        pytest.param(b"\x00", Problem.BINARY, 1, 1, id="single-nul"),
        pytest.param(b"\x00" * 64, Problem.BINARY, 1, 1, id="all-nul"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00", Problem.BINARY, 3, 1, id="png"),
        pytest.param(b"ab\x00", Problem.BINARY, 1, 3, id="odd-length-is-not-utf16"),
    ],
)
def test_problems_name_their_kind_and_place(raw: bytes, kind: Problem, line: int, column: int) -> None:
    problem = _problem(raw)
    assert (problem.kind, problem.line, problem.column) == (kind, line, column)
    assert problem.message


def test_utf16_is_named_in_the_message() -> None:
    assert "UTF-16" in _problem("x".encode("utf-16")).message
    assert "UTF-16" in _problem("hello".encode("utf-16-le")).message
    assert "UTF-32" in _problem("x".encode("utf-32")).message


def test_empty_input_is_an_empty_page() -> None:
    source = _source(b"")
    assert (source.text, source.bom, source.newline) == ("", False, "\n")
