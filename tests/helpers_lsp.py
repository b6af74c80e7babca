"""pytest-lsp's real client, as the language server's tests drive it (tests/lsp/, tests/config/)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

TIMEOUT = 15.0


class RecordingClient(LanguageClient):
    """pytest-lsp's client, keeping every publishDiagnostics, not only the last per page."""

    def __init__(self) -> None:
        super().__init__(converter_factory=default_converter)
        self.published: list[types.PublishDiagnosticsParams] = []

    @classmethod
    def create(cls) -> RecordingClient:
        client = cls()
        features = {**DEFAULT_CLIENT_FEATURES, types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: _record}
        register_lsp_features(client, features)
        return client


def _record(ls: RecordingClient, params: types.PublishDiagnosticsParams) -> None:
    ls.diagnostics[params.uri] = params.diagnostics
    ls.published.append(params)


async def initialize(
    client: RecordingClient, root: Path, encodings: Sequence[str] | None = None
) -> types.InitializeResult:
    capabilities = types.ClientCapabilities(
        general=types.GeneralClientCapabilities(position_encodings=list(encodings)) if encodings else None,
        text_document=types.TextDocumentClientCapabilities(
            code_action=types.CodeActionClientCapabilities(
                code_action_literal_support=types.ClientCodeActionLiteralOptions(
                    code_action_kind=types.ClientCodeActionKindOptions(value_set=["quickfix", "source.fixAll"])
                ),
                is_preferred_support=True,
            ),
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True),
        ),
    )
    params = types.InitializeParams(capabilities=capabilities, root_uri=root.as_uri())
    return await client.initialize_session(params)


def open_page(client: RecordingClient, uri: str, text: str, language: str = "markdown") -> None:
    item = types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item))


def change(client: RecordingClient, uri: str, version: int, text: str) -> None:
    whole = types.TextDocumentContentChangeWholeDocument(text=text)
    document = types.VersionedTextDocumentIdentifier(uri=uri, version=version)
    client.text_document_did_change(types.DidChangeTextDocumentParams(text_document=document, content_changes=[whole]))


async def published(client: RecordingClient, uri: str, version: int | None = None) -> list[types.Diagnostic]:
    """The diagnostics of the first publish for ``uri`` (at ``version``) not yet taken."""
    for _ in range(int(TIMEOUT / 0.05)):
        for index, params in enumerate(client.published):
            if params.uri == uri and (version is None or params.version == version):
                del client.published[: index + 1]
                return list(params.diagnostics)
        await asyncio.sleep(0.05)
    raise AssertionError(f"no diagnostics for {uri} (version {version}) within {TIMEOUT} s")
