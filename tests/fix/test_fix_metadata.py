"""`monolint check --fix` keeps what a page is besides its text: the bytes it does not fix,
its encoding, BOM, line endings and final newline, its owner and mode bits, and symbolic
links that lead to it.

tests/fix/test_fix.py covers one file each for BOM x CRLF/CR, mixed endings, modes 0o640 and
0o755, and write_back through a link in one folder; these tests add the combinations with
the final newline, pages that are not UTF-8, set-id bits and ownership, and links through
the command line.
"""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

import pytest
from helpers_cli import page, run, snapshot, write_tree

# Only safe dose fixes, around text that must come through byte for byte: an emoji (astral),
# a combining accent, a no-break space, a right-to-left word and a tab.
SURROUNDINGS = "Testamol 💊 is cafe\u0301 grade,\u00a0\tשלום."
FIXABLE = page(dose="500mg", extra=f"{SURROUNDINGS} Give 5.0 mg or .5 mg in 10ml.")
FIXED = page(dose="500 mg", extra=f"{SURROUNDINGS} Give 5 mg or 0.5 mg in 10 mL.")
NEWLINES = {"lf": "\n", "crlf": "\r\n", "cr": "\r"}
ENDINGS = {"no-final-newline": "", "final-newline": "\n", "blank-lines-after": "\n\n\n"}


def _variant(text: str, newline: str, ending: str, bom: bool) -> bytes:
    body = (text.rstrip("\n") + ending).replace("\n", newline)
    return (codecs.BOM_UTF8 if bom else b"") + body.encode("utf-8")


VARIANTS = {
    f"{newline}-{ending}-{'bom' if bom else 'nobom'}.md": (NEWLINES[newline], ENDINGS[ending], bom)
    for newline in NEWLINES
    for ending in ENDINGS
    for bom in (False, True)
}


def test_fix_keeps_bom_line_endings_final_newline_and_other_bytes(tmp_path: Path) -> None:
    write_tree(tmp_path, {name: _variant(FIXABLE, *variant) for name, variant in VARIANTS.items()})
    result = run(["check", "--isolated", "--fix", "."], tmp_path)
    assert result.code == 0, result.stdout
    assert result.lines[-1] == f"Fixed {5 * len(VARIANTS)} findings (0 remaining)."
    wrong = [name for name, variant in VARIANTS.items() if (tmp_path / name).read_bytes() != _variant(FIXED, *variant)]
    assert wrong == []
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(VARIANTS)


def test_fix_keeps_mixed_line_endings_without_a_final_newline(tmp_path: Path) -> None:
    def mixed(text: str) -> bytes:
        lines = text.rstrip("\n").split("\n")
        # CRLF, LF and a lone CR in turn; a lone CR is never followed by LF (that reads as CRLF).
        endings = ["\r\n", "\n", "\r"] * len(lines)
        return "".join(line + ending for line, ending in zip(lines[:-1], endings, strict=False)).encode() + (
            lines[-1].encode()
        )

    write_tree(tmp_path, {"page.md": mixed(FIXABLE)})
    run(["check", "--isolated", "--fix", "page.md"], tmp_path)
    assert (tmp_path / "page.md").read_bytes() == mixed(FIXED)


@pytest.mark.parametrize(
    ("encoding", "rule"),
    [
        ("utf-16", "MON002"),
        ("utf-16-le", "MON002"),
        ("utf-16-be", "MON002"),
        ("utf-32", "MON002"),
        ("latin-1-bom", "MON002"),
        # UTF-16 text behind a UTF-8 BOM: its NUL bytes at odd offsets read as binary.
        ("utf-8-sig-then-utf-16", "MON003"),
    ],
)
def test_a_page_that_is_not_utf8_is_reported_and_left_alone(tmp_path: Path, encoding: str, rule: str) -> None:
    # parse/source.py reads UTF-8 only (with or without a BOM): any other page is reported, and
    # --fix must not touch it, not even its modification time.
    if encoding == "utf-8-sig-then-utf-16":
        raw = codecs.BOM_UTF8 + FIXABLE.encode("utf-16-le")
    elif encoding == "latin-1-bom":
        raw = codecs.BOM_UTF8 + FIXABLE.replace(SURROUNDINGS, "caf\xe9").encode("latin-1")
    else:
        raw = FIXABLE.encode(encoding)
    write_tree(tmp_path, {"page.md": raw})
    before = snapshot(tmp_path)
    result = run(["check", "--isolated", "--fix", "page.md"], tmp_path)
    assert result.code == 1
    assert [found for _, _, _, found in result.findings()] == [rule]
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("mode", [0o600, 0o604, 0o4755, 0o2750, 0o1644], ids=oct)
def test_fix_keeps_every_mode_bit(tmp_path: Path, mode: int) -> None:
    write_tree(tmp_path, {"page.md": FIXABLE})
    (tmp_path / "page.md").chmod(mode)
    run(["check", "--isolated", "--fix", "page.md"], tmp_path)
    assert (tmp_path / "page.md").read_text(encoding="utf-8") == FIXED
    assert stat.S_IMODE((tmp_path / "page.md").stat().st_mode) == mode


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_fix_keeps_the_owner_and_group(tmp_path: Path) -> None:
    write_tree(tmp_path, {"page.md": FIXABLE})
    os.chown(tmp_path / "page.md", 4321, 8765)
    (tmp_path / "page.md").chmod(0o2640)  # chown clears set-id bits: they must come back
    run(["check", "--isolated", "--fix", "page.md"], tmp_path)
    status = (tmp_path / "page.md").stat()
    assert (status.st_uid, status.st_gid, stat.S_IMODE(status.st_mode)) == (4321, 8765, 0o2640)
    assert (tmp_path / "page.md").read_text(encoding="utf-8") == FIXED


def _links(root: Path) -> dict[str, str]:
    return {path.relative_to(root).as_posix(): str(path.readlink()) for path in root.rglob("*") if path.is_symlink()}


@pytest.mark.parametrize("named", ["link", "folder"], ids=["link-named", "folder-searched"])
def test_fix_through_a_link_writes_the_target_and_keeps_the_link(tmp_path: Path, named: str) -> None:
    # docs/alias.md -> docs/chain.md -> ../shared/real.md: a chain of relative links into
    # another folder (a folder searched does not contain the target itself).
    write_tree(tmp_path, {"shared/real.md": FIXABLE, "docs/.keep": ""})
    (tmp_path / "shared" / "real.md").chmod(0o640)
    (tmp_path / "docs" / "chain.md").symlink_to("../shared/real.md")
    (tmp_path / "docs" / "alias.md").symlink_to("chain.md")
    links = _links(tmp_path)
    result = run(["check", "--isolated", "--fix", "docs/alias.md" if named == "link" else "docs"], tmp_path)
    assert result.code == 0, result.stdout
    assert _links(tmp_path) == links == {"docs/alias.md": "chain.md", "docs/chain.md": "../shared/real.md"}
    real = tmp_path / "shared" / "real.md"
    assert real.read_text(encoding="utf-8") == FIXED and not real.is_symlink()
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    # The temporary file went into the target's folder and is gone.
    assert sorted(path.name for path in (tmp_path / "shared").iterdir()) == ["real.md"]
    assert sorted(path.name for path in (tmp_path / "docs").iterdir()) == [".keep", "alias.md", "chain.md"]


def test_a_link_and_its_target_in_one_run_are_fixed_once(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pages/real.md": FIXABLE})
    (tmp_path / "pages" / "alias.md").symlink_to("real.md")  # checked first: 'alias' < 'real'
    result = run(["check", "--isolated", "--fix", "pages"], tmp_path)
    assert (result.code, result.lines[-1]) == (0, "Fixed 5 findings (0 remaining).")
    assert (tmp_path / "pages" / "alias.md").is_symlink()
    assert (tmp_path / "pages" / "real.md").read_text(encoding="utf-8") == FIXED
