"""`monolint lsp` driven over stdio by pytest-lsp's real client, as an editor would."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers_lsp import TIMEOUT, RecordingClient, change, initialize, open_page, published
from lsprotocol import types

from validator.api import Options
from validator.lsp.positions import Lines, changed_span
from validator.model.finding import Position

pytestmark = pytest.mark.asyncio

PAGES = Path(__file__).parent.parent / "fixtures" / "pages" / "fail"
DISCLAIMER = (
    "**Disclaimer:** This information is for educational purposes only and should not be considered medical "
    "advice. Always consult with a healthcare professional before starting, stopping, or changing any medication."
)
DOSE_PREFIX = "Take 😀 or 𝟏 tablet: "  # astral characters: 2 UTF-16 units, 4 UTF-8 bytes each
DOSE_LINE = 13  # 0-based line of DOSE_PREFIX + "10mg" in page()


def page(dosage: str = DOSE_PREFIX + "10mg at night.", front_matter: str = "") -> str:
    """A page that is clean apart from its dosage line."""
    return (
        f"---\nlayout: minimal-medicine\ntitle: Demo\n{front_matter}---\n\n# Demo\n### Generic Name\nDemo\n\n"
        f"### Usage\nFor tests.\n\n### Dosage\n{dosage}\n\n### Side Effects\nNone.\n\n### How it Works\nIt works.\n\n"
        f"### Precautions\nCare.\n\n### FAQs\nNone.\n\n{DISCLAIMER}\n"
    )


async def code_actions(
    client: RecordingClient, uri: str, at: types.Range, only: list[str] | None = None
) -> list[types.CodeAction]:
    context = types.CodeActionContext(diagnostics=list(client.diagnostics.get(uri, [])), only=only)
    params = types.CodeActionParams(text_document=types.TextDocumentIdentifier(uri=uri), range=at, context=context)
    result = await client.text_document_code_action_async(params)
    return [action for action in result or [] if isinstance(action, types.CodeAction)]


def units(text: str, encoding: str) -> int:
    """Length of ``text`` in the code units of an LSP position encoding."""
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    return len(text.encode("utf-16-le")) // 2 if encoding == "utf-16" else len(text)


def apply(text: str, action: types.CodeAction, uri: str, encoding: str) -> str:
    """Apply a code action's edits to ``text`` the way an editor does."""
    assert action.edit is not None and action.edit.changes is not None
    starts = [0, *(match.end() for match in re.finditer(r"\r\n|\r|\n", text))]

    def index(position: types.Position) -> int:
        line_start = starts[position.line]
        count = 0
        while units(text[line_start : line_start + count], encoding) < position.character:
            count += 1
        return line_start + count

    for edit in sorted(action.edit.changes[uri], key=lambda edit: index(edit.range.start), reverse=True):
        text = text[: index(edit.range.start)] + edit.new_text + text[index(edit.range.end) :]
    return text


def by_title(actions: list[types.CodeAction], title: str) -> types.CodeAction:
    found = [action for action in actions if action.title == title]
    assert len(found) == 1, [action.title for action in actions]
    return found[0]


async def test_initialize_advertises_sync_code_actions_and_utf16(client: RecordingClient, tmp_path: Path) -> None:
    result = await initialize(client, tmp_path)
    assert result.server_info is not None and result.server_info.name == "monolint"
    assert result.capabilities.position_encoding == types.PositionEncodingKind.Utf16
    provider = result.capabilities.code_action_provider
    assert isinstance(provider, types.CodeActionOptions)
    assert set(provider.code_action_kinds or []) == {"quickfix", "source.fixAll.monolint"}
    sync = result.capabilities.text_document_sync
    assert isinstance(sync, types.TextDocumentSyncOptions) and sync.open_close and sync.save


@pytest.mark.parametrize(
    ("offered", "negotiated"), [(None, "utf-16"), (["utf-8", "utf-16"], "utf-8"), (["utf-32"], "utf-32")]
)
async def test_diagnostic_range_in_negotiated_encoding(
    client: RecordingClient, tmp_path: Path, offered: list[str] | None, negotiated: str
) -> None:
    result = await initialize(client, tmp_path, offered)
    assert result.capabilities.position_encoding == negotiated
    uri = (tmp_path / "demo.md").as_uri()
    open_page(client, uri, page())
    (diagnostic,) = await published(client, uri, 1)
    start = units(DOSE_PREFIX, negotiated)
    assert (diagnostic.range.start.line, diagnostic.range.start.character) == (DOSE_LINE, start)
    assert (diagnostic.range.end.line, diagnostic.range.end.character) == (DOSE_LINE, start + 4)
    assert diagnostic.code == "MON401" and diagnostic.source == "monolint"
    assert diagnostic.severity == types.DiagnosticSeverity.Error
    assert diagnostic.code_description is not None
    assert diagnostic.code_description.href.endswith("docs/rules.md#mon401-dose-no-space")
    assert diagnostic.message.startswith("'10mg': put a space")


async def test_two_quick_changes_publish_only_the_final_version(client: RecordingClient, tmp_path: Path) -> None:
    await initialize(client, tmp_path)
    uri = (tmp_path / "demo.md").as_uri()
    open_page(client, uri, page("Take 10 mg."))
    assert await published(client, uri, 1) == []
    change(client, uri, 2, page("Take 10mg."))  # MON401
    change(client, uri, 3, page("Take 5.0 mg."))  # MON402 only
    for _ in range(int(TIMEOUT / 0.05)):
        if any(params.uri == uri for params in client.published):
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(1.0)  # well past the debounce: nothing stale may follow
    publishes = [(params.version, [d.code for d in params.diagnostics]) for params in client.published]
    assert publishes == [(3, ["MON402"])]


async def test_a_page_out_of_the_models_scope_gets_no_diagnostics(client: RecordingClient, tmp_path: Path) -> None:
    """A README (no front matter) is not a monograph: no diagnostics, no fix-all; once it
    claims the layout it is checked."""
    await initialize(client, tmp_path)
    uri = (tmp_path / "README.md").as_uri()
    readme = "# Our site\n\nTake 10mg.\n"
    open_page(client, uri, readme)
    assert await published(client, uri, 1) == []
    everywhere = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=3, character=0))
    assert await code_actions(client, uri, everywhere, only=["source.fixAll"]) == []
    change(client, uri, 2, page("Take 10mg."))
    assert [diagnostic.code for diagnostic in await published(client, uri, 2)] == ["MON401"]


@pytest.mark.parametrize(("offered", "encoding"), [(None, "utf-16"), (["utf-8"], "utf-8")])
async def test_quick_fix_for_a_dose_removes_the_finding(
    client: RecordingClient, tmp_path: Path, offered: list[str] | None, encoding: str
) -> None:
    await initialize(client, tmp_path, offered)
    uri, text = (tmp_path / "demo.md").as_uri(), page()
    open_page(client, uri, text)
    (diagnostic,) = await published(client, uri, 1)
    actions = await code_actions(client, uri, diagnostic.range)
    fix = by_title(actions, "Insert a space (MON401)")
    assert fix.kind == types.CodeActionKind.QuickFix and fix.is_preferred
    assert list(fix.diagnostics or []) == [diagnostic]
    fixed = apply(text, fix, uri, encoding)
    assert fixed == page(DOSE_PREFIX + "10 mg at night.")
    change(client, uri, 2, fixed)
    assert await published(client, uri, 2) == []


async def test_disable_for_this_line_silences_only_that_finding(client: RecordingClient, tmp_path: Path) -> None:
    await initialize(client, tmp_path)
    uri, text = (tmp_path / "demo.md").as_uri(), page(DOSE_PREFIX + "10mg  ", front_matter="author: Pat\n")
    open_page(client, uri, text)
    diagnostics = await published(client, uri, 1)
    assert sorted(d.code for d in diagnostics if isinstance(d.code, str)) == ["MON101", "MON401"]
    dose = next(d for d in diagnostics if d.code == "MON401")
    disable = by_title(await code_actions(client, uri, dose.range), "Disable MON401 for this line")
    assert disable.kind == types.CodeActionKind.QuickFix and not disable.is_preferred
    silenced = apply(text, disable, uri, "utf-16")
    # Before the trailing spaces, which make a hard line break only at the end of the line.
    assert DOSE_PREFIX + "10mg <!-- monolint-disable-line MON401 -->  \n" in silenced
    change(client, uri, 2, silenced)
    assert [d.code for d in await published(client, uri, 2)] == ["MON101"]
    # A comment cannot go in the front matter, so no such action is offered there.
    front = next(d for d in diagnostics if d.code == "MON101")
    titles = [action.title for action in await code_actions(client, uri, front.range)]
    assert "Disable MON101 for this line" not in titles


@pytest.mark.parametrize(("bom", "newline"), [("", "\n"), ("\ufeff", "\r\n")])
async def test_fix_all_applies_every_safe_fix(client: RecordingClient, tmp_path: Path, bom: str, newline: str) -> None:
    await initialize(client, tmp_path)
    uri = (tmp_path / "metformin.md").as_uri()
    text = bom + (PAGES / "metformin.md").read_text(encoding="utf-8").replace("\n", newline)
    open_page(client, uri, text)
    await published(client, uri, 1)
    everywhere = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0))
    (fix_all,) = await code_actions(client, uri, everywhere, only=["source.fixAll"])
    assert fix_all.title == "Fix all monolint issues in file" and fix_all.kind == "source.fixAll.monolint"
    # metformin.fixed.md has every fix applied; the unsafe ones (the title's wording, a heading's
    # synonym, the label of a disclaimer that is not the last block) are left out.
    unsafe = {
        "# Metformin\n": "# Metformin Tablets\n",
        "### How it Works\n": "### Mechanism of Action\n",
        "**Disclaimer:** This": "Disclaimer: This",
    }
    fixed = (PAGES / "metformin.fixed.md").read_text(encoding="utf-8")
    for applied, given in unsafe.items():
        fixed = fixed.replace(applied, given)
    expected = bom + fixed.replace("\n", newline)
    assert apply(text, fix_all, uri, "utf-16") == expected
    quick = await code_actions(client, uri, everywhere, only=["quickfix"])
    assert quick and all(action.kind == "quickfix" for action in quick)


async def test_configuration_comes_from_the_document_folder(client: RecordingClient, tmp_path: Path) -> None:
    await initialize(client, tmp_path)
    (tmp_path / "ignoring").mkdir()
    (tmp_path / "ignoring" / "monolint.toml").write_text('ignore = ["MON401"]\n', encoding="utf-8")
    (tmp_path / "info").mkdir()
    (tmp_path / "info" / "monolint.toml").write_text('[rules.dose-no-space]\nseverity = "info"\n', encoding="utf-8")
    severities = {}
    for folder in ("ignoring", "info", "plain"):
        uri = (tmp_path / folder / "demo.md").as_uri()
        open_page(client, uri, page())
        severities[folder] = [d.severity for d in await published(client, uri, 1)]
    assert severities == {
        "ignoring": [],
        "info": [types.DiagnosticSeverity.Information],
        "plain": [types.DiagnosticSeverity.Error],
    }


async def test_bad_configuration_is_one_diagnostic_and_one_message(client: RecordingClient, tmp_path: Path) -> None:
    await initialize(client, tmp_path)
    (tmp_path / "monolint.toml").write_text('colour = "red"\n', encoding="utf-8")
    uri = (tmp_path / "demo.md").as_uri()
    open_page(client, uri, page())
    (diagnostic,) = await published(client, uri, 1)
    assert diagnostic.message.startswith("monolint cannot check this page:") and "colour" in diagnostic.message
    change(client, uri, 2, page("Take 10 mg."))
    assert len(await published(client, uri, 2)) == 1
    assert len(client.messages) == 1 and client.messages[0].type == types.MessageType.Error
    (tmp_path / "monolint.toml").write_text('ignore = ["MON401"]\n', encoding="utf-8")
    client.text_document_did_save(types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri)))
    assert await published(client, uri, 2) == []


@pytest.mark.parametrize(
    ("text", "rule"), [("---\ntitle: [unclosed\n---\n# Demo\n", "MON006"), ("---\ntitle: A\0B\n---\n", "MON003")]
)
async def test_bad_input_gets_the_engines_findings(
    client: RecordingClient, tmp_path: Path, text: str, rule: str
) -> None:
    await initialize(client, tmp_path)
    uri = (tmp_path / "bad.md").as_uri()
    open_page(client, uri, text)
    assert rule in [d.code for d in await published(client, uri, 1)]
    good = (tmp_path / "good.md").as_uri()
    open_page(client, good, page())
    assert [d.code for d in await published(client, good, 1)] == ["MON401"]


async def test_close_clears_the_diagnostics(client: RecordingClient, tmp_path: Path) -> None:
    await initialize(client, tmp_path)
    uri = (tmp_path / "demo.md").as_uri()
    open_page(client, uri, page())
    assert len(await published(client, uri, 1)) == 1
    client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri)))
    assert await published(client, uri) == []


async def test_untitled_pages_use_the_workspace_root_and_other_files_are_left_alone(
    client: RecordingClient, tmp_path: Path
) -> None:
    (tmp_path / "monolint.toml").write_text('ignore = ["MON401"]\n', encoding="utf-8")
    await initialize(client, tmp_path)
    open_page(client, (tmp_path / "notes.toml").as_uri(), "10mg = 1\n", language="toml")
    open_page(client, "untitled:Untitled-1", page(DOSE_PREFIX + "5.0 mg, 10mg."))
    assert [d.code for d in await published(client, "untitled:Untitled-1", 1)] == ["MON402"]
    await asyncio.sleep(0.5)
    assert all(params.uri.startswith("untitled:") for params in client.published) and not any(
        uri.endswith(".toml") for uri in client.diagnostics
    )


async def test_without_pygls_the_command_says_how_to_install_it() -> None:
    blocked = "import sys; sys.modules['pygls'] = sys.modules['lsprotocol'] = None; "
    code = blocked + "from validator.cli.main import main; main(['lsp'])"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert (
        done.stderr == "monolint: error: the language server needs pygls: pip install 'pygls>=2.1,<3' (the lsp extra)\n"
    )


async def test_positions_and_spans_never_split_characters_or_line_breaks() -> None:
    lines = Lines("\ufeffa😀b\r\nc", "utf-16")
    assert lines.to_client(Position(1, 3)) == (0, 4)  # after the BOM, 'a' and the emoji's two units
    assert lines.from_client(0, 3) == Position(1, 3)  # inside the emoji: after it
    assert lines.from_client(1, 1) == Position(2, 2)
    assert lines.to_client(Position(9, 1)) == lines.end() == (1, 1)
    assert changed_span("a\r\nb", "a\r\r\nb") == (1, 3, "\r\r\n")  # the CRLF is replaced whole
    assert changed_span("x\r\n", "x\n") == (1, 3, "\n")


async def test_the_configured_baseline_hides_recorded_findings(client: RecordingClient, tmp_path: Path) -> None:
    from validator.api import lint_paths, write_baseline

    await initialize(client, tmp_path)
    (tmp_path / "demo.md").write_text(page(), encoding="utf-8")
    found = lint_paths(["demo.md"], options=Options(list_checked=True), cwd=tmp_path)
    write_baseline(tmp_path / "known.json", found, tmp_path)
    (tmp_path / "monolint.toml").write_text('baseline = "known.json"\n', encoding="utf-8")
    uri = (tmp_path / "demo.md").as_uri()
    open_page(client, uri, page())
    assert await published(client, uri, 1) == []
    # A second finding like the recorded one is new; the recorded one stays hidden.
    change(client, uri, 2, page(DOSE_PREFIX + "10mg at night, or 20mg."))
    (diagnostic,) = await published(client, uri, 2)
    assert diagnostic.code == "MON401" and "20mg" in diagnostic.message
    (tmp_path / "known.json").write_text("{", encoding="utf-8")
    change(client, uri, 3, page())
    (problem,) = await published(client, uri, 3)
    assert problem.message.startswith("monolint cannot check this page:") and "known.json" in problem.message
