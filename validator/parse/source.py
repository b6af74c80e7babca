"""Bytes to text: detect what cannot be read as UTF-8, strip the BOM, normalise newlines.

The original bytes stay with the text so that fixes can be written back with the same
BOM and line endings.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from validator.model.problems import Problem

_UTF16_32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True)
class Source:
    """A page's text with ``\\n`` newlines and no BOM, plus what is needed to write it back."""

    text: str
    raw: bytes
    bom: bool
    newline: str  # the first newline sequence of the file; "\n" when it has none


@dataclass(frozen=True)
class DecodeProblem:
    """Why bytes are not a UTF-8 text page, and where (1-based line and column)."""

    kind: Problem  # BINARY or NOT_UTF8
    message: str
    line: int
    column: int


def decode(raw: bytes) -> Source | DecodeProblem:
    """Turn a file's bytes into a Source, or say why they are not UTF-8 text."""
    if raw.startswith(_UTF16_32_BOMS):
        kind = "UTF-32" if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) else "UTF-16"
        return DecodeProblem(Problem.NOT_UTF8, f"file is {kind} encoded; save it as UTF-8", 1, 1)
    nul = raw.find(b"\x00")
    if nul >= 0 and _looks_utf16(raw):
        return DecodeProblem(Problem.NOT_UTF8, "file is UTF-16 encoded (without a BOM); save it as UTF-8", 1, 1)
    if nul >= 0:
        line, column = _locate_byte(raw, nul)
        return DecodeProblem(Problem.BINARY, "file contains NUL bytes; it is binary, not text", line, column)
    bom = raw.startswith(codecs.BOM_UTF8)
    body = raw[len(codecs.BOM_UTF8) :] if bom else raw
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        offset = error.start + (len(codecs.BOM_UTF8) if bom else 0)
        line, column = _locate_byte(raw, offset)
        bad = raw[offset : offset + 4].hex(" ")
        return DecodeProblem(
            Problem.NOT_UTF8, f"invalid UTF-8 byte sequence ({bad}); save the file as UTF-8", line, column
        )
    return Source(text=normalize_newlines(text), raw=raw, bom=bom, newline=_first_newline(text))


def _looks_utf16(raw: bytes) -> bool:
    """Text saved as UTF-16 without a BOM: NUL in many of the bytes at one parity (the high
    bytes of ASCII characters), none at the other, and the whole file decodes."""
    sample = raw[: min(len(raw), 4096) // 2 * 2]
    for encoding, high, low in (("utf-16-le", sample[1::2], sample[0::2]), ("utf-16-be", sample[0::2], sample[1::2])):
        if high and high.count(0) * 2 >= len(high) and 0 not in low and len(raw) % 2 == 0:
            try:
                raw.decode(encoding)
            except UnicodeDecodeError:
                return False
            return True
    return False


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR become LF, so that lines and columns mean the same everywhere."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _first_newline(text: str) -> str:
    cr = text.find("\r")
    lf = text.find("\n")
    if cr < 0:
        return "\n"
    if lf < 0 or cr < lf:
        return "\r\n" if text.startswith("\r\n", cr) else "\r"
    return "\n"


def _locate_byte(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based line and code-point column of a byte offset, tolerant of bad bytes before it."""
    prefix = raw[:offset]
    head = prefix.decode("utf-8", errors="replace")
    head = normalize_newlines(head.removeprefix("\ufeff"))
    line_start = head.rfind("\n") + 1
    return head.count("\n") + 1, len(head) - line_start + 1
