"""The language server (`monolint lsp`): diagnostics while you type, quick fixes, fix-all.

A thin layer over ``api.lint_text`` and ``api.fix_text``. Each page is checked with the
configuration nearest to it (found as ``monolint check`` finds it, see ``resolver``), 0.3 s
after the last change, off the event loop; a result is published only if the document has
not changed meanwhile. Positions are converted to the position encoding the editor
negotiated (see ``lsp_positions``).
pygls is an optional extra, so this module imports without it and ``serve()`` says so.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import click

from validator import __version__
from validator.config.files import CONFIG_FILES
from validator.lsp.positions import ClientPosition, Lines, changed_span, disable_line_insertion
from validator.model.finding import Finding, Severity
from validator.run import PAGE_SUFFIXES

try:
    from lsprotocol import types
    from pygls.lsp.server import LanguageServer
except ImportError:  # the [lsp] extra is not installed; serve() reports it
    HAVE_PYGLS = False
else:
    HAVE_PYGLS = True

if TYPE_CHECKING:
    from pygls.workspace import TextDocument

DEBOUNCE_SECONDS = 0.3
SOURCE = "monolint"
FIX_ALL_KIND = "source.fixAll.monolint"

log = logging.getLogger(__name__)


def serve() -> None:
    """Run the language server over standard input and output."""
    if not HAVE_PYGLS:
        raise click.UsageError("the language server needs pygls: pip install 'pygls>=2.1,<3' (the lsp extra)")
    create_server().start_io()


def create_server() -> LanguageServer:
    server = LanguageServer(SOURCE, __version__)
    session = Session(server)
    kinds = [types.CodeActionKind.QuickFix, FIX_ALL_KIND]
    handlers: list[tuple[str, Callable[[Any], Any], Any]] = [
        (types.TEXT_DOCUMENT_DID_OPEN, session.did_open, None),
        (types.TEXT_DOCUMENT_DID_CHANGE, session.did_change, None),
        (types.TEXT_DOCUMENT_DID_SAVE, session.did_save, None),
        (types.TEXT_DOCUMENT_DID_CLOSE, session.did_close, None),
        (types.SHUTDOWN, session.shutdown, None),
        (types.TEXT_DOCUMENT_CODE_ACTION, session.code_action, types.CodeActionOptions(code_action_kinds=kinds)),
    ]
    for method, handler, options in handlers:
        # A partial, not the bound method: pygls sets attributes on its handlers.
        server.feature(method, options)(partial(handler))
    return server


@dataclass(frozen=True)
class Linted:
    """The outcome of checking one version of a document."""

    version: int | None
    text: str
    findings: tuple[Finding, ...] = ()
    problem: str | None = None  # a configuration or content model that cannot be used


@dataclass(frozen=True)
class Target:
    """How a document is checked: its path (None when it has no file) and the folder its
    configuration is looked up from."""

    path: str | None
    folder: Path


def lint_document(target: Target, version: int | None, text: str) -> Linted:
    from validator.api import lint_text
    from validator.config.files import ConfigError
    from validator.content_model.load import SchemaError
    from validator.report.baseline import BaselineError

    try:
        # No config given: the one nearest the page, found as the command line finds it; the
        # baseline it names (if any) hides the findings it records, as on the command line.
        findings = lint_text(text, target.path, cwd=target.folder)
    except (ConfigError, SchemaError, BaselineError) as error:
        return Linted(version, text, problem=str(error))
    except Exception as error:  # a bug must not take the editor's server down
        log.exception("monolint failed")
        return Linted(version, text, problem=f"monolint failed ({type(error).__name__}: {error}); please report it")
    return Linted(version, text, tuple(findings))


def fixed_text(target: Target, text: str) -> str | None:
    """The page after every safe fix (re-linted until stable), or None."""
    from validator.api import fix_text

    try:
        report = fix_text(text, target.path, cwd=target.folder)
    except Exception:  # a bad configuration is already on show as a diagnostic
        return None
    if report.failures or report.output is None:
        return None
    return report.output.decode("utf-8")


class Session:
    """The server's state: what is scheduled and the last result of each open page."""

    def __init__(self, server: LanguageServer) -> None:
        self.server = server
        self.pending: dict[str, asyncio.Task[None]] = {}
        self.results: dict[str, Linted] = {}
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="monolint")
        self.shown_problem: str | None = None
        self.help_uris: dict[str, str] = {}

    # Documents

    def did_open(self, params: types.DidOpenTextDocumentParams) -> None:
        self.schedule(params.text_document.uri, 0)

    def did_change(self, params: types.DidChangeTextDocumentParams) -> None:
        self.schedule(params.text_document.uri, DEBOUNCE_SECONDS)

    def did_save(self, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri.rsplit("/", 1)[-1] in CONFIG_FILES:  # a configuration changed: check again
            for document in self.server.workspace.text_documents.values():
                self.schedule(document.uri, 0)
        self.schedule(uri, 0)

    def did_close(self, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        task = self.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        if self.results.pop(uri, None) is not None:
            self.server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def shutdown(self, params: None) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)

    def document(self, uri: str) -> TextDocument | None:
        """The open document at ``uri``, if it is a page."""
        document: TextDocument | None = self.server.workspace.text_documents.get(unquote(uri))
        if document is None or not (document.language_id == "markdown" or document.uri.endswith(PAGE_SUFFIXES)):
            return None
        return document

    def target(self, document: TextDocument) -> Target:
        if document.uri.startswith("file:"):
            path = Path(document.path)
            return Target(str(path), path.parent)
        root = self.server.workspace.root_path
        return Target(None, Path(root) if root else Path.cwd())

    def encoding(self) -> str:
        encoding = self.server.workspace.position_encoding
        return str(getattr(encoding, "value", encoding) or "utf-16")

    # Checking

    def schedule(self, uri: str, delay: float) -> None:
        """Check ``uri`` after ``delay`` seconds, replacing a check still waiting."""
        task = self.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        if self.document(uri) is not None:
            self.pending[uri] = asyncio.get_running_loop().create_task(self._check(uri, delay))

    async def _check(self, uri: str, delay: float) -> None:
        await asyncio.sleep(delay)
        document = self.document(uri)
        if document is None:
            return
        version, text = document.version, document.source
        run = asyncio.get_running_loop().run_in_executor
        linted = await run(self.executor, lint_document, self.target(document), version, text)
        current = self.document(uri)
        # A newer version, or a close, has arrived meanwhile: this result is stale.
        if current is None or current.version != version or self.pending.get(uri) is not asyncio.current_task():
            return
        del self.pending[uri]
        self.results[uri] = linted
        self.publish(uri, linted)

    def publish(self, uri: str, linted: Linted) -> None:
        lines = Lines(linted.text, self.encoding())
        if linted.problem is None:
            self.shown_problem = None
            diagnostics = [self.diagnostic(finding, lines) for finding in linted.findings]
        else:
            message = f"monolint cannot check this page: {linted.problem}"
            whole_line = _range((0, 0), (0, lines.units(lines.line(0))))
            diagnostics = [types.Diagnostic(whole_line, message, types.DiagnosticSeverity.Error, source=SOURCE)]
            if linted.problem != self.shown_problem:  # say it once, not on every keystroke
                self.shown_problem = linted.problem
                self.server.window_show_message(types.ShowMessageParams(types.MessageType.Error, message))
        params = types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=linted.version)
        self.server.text_document_publish_diagnostics(params)

    def diagnostic(self, finding: Finding, lines: Lines) -> types.Diagnostic:
        return types.Diagnostic(
            range=_range(lines.to_client(finding.start), lines.to_client(finding.end)),
            message=finding.message,
            severity=_severity(finding.severity),
            code=finding.rule,
            code_description=types.CodeDescription(href=self.help_uri(finding.rule)),
            source=SOURCE,
        )

    def help_uri(self, rule: str) -> str:
        if not self.help_uris:
            from validator.docs.rules_doc import rule_catalogue

            self.help_uris = {info.id: info.help_uri for info in rule_catalogue()}
        return self.help_uris.get(rule, "")

    # Code actions

    async def code_action(self, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        document = self.document(params.text_document.uri)
        if document is None:
            return None
        # On the checking thread too: the engine is only ever used from one thread.
        run, target = asyncio.get_running_loop().run_in_executor, self.target(document)
        last = self.results.get(document.uri)
        return await run(self.executor, self.code_actions, params, target, last, document.version, document.source)

    def code_actions(
        self, params: types.CodeActionParams, target: Target, last: Linted | None, version: int | None, text: str
    ) -> list[types.CodeAction]:
        """The actions for the document as it is now: its last result, or a check now."""
        fresh = last is not None and last.version == version and last.text == text
        linted = last if last is not None and fresh else lint_document(target, version, text)
        lines, uri, only = Lines(text, self.encoding()), params.text_document.uri, params.context.only
        start = lines.from_client(params.range.start.line, params.range.start.character)
        end = lines.from_client(params.range.end.line, params.range.end.character)
        asked = {(d.code, _key(d.range)) for d in params.context.diagnostics}
        actions: list[types.CodeAction] = []
        disabling: set[tuple[str, int]] = set()  # one "Disable" action per rule and line
        if _allows(only, types.CodeActionKind.QuickFix):
            for finding in linted.findings:
                diagnostic = self.diagnostic(finding, lines)
                if (finding.start <= end and start <= finding.end) or (finding.rule, _key(diagnostic.range)) in asked:
                    actions.extend(self.fix_action(uri, finding, diagnostic, lines))
                    if (finding.rule, finding.start.line) not in disabling:
                        disabling.add((finding.rule, finding.start.line))
                        actions.extend(self.disable_action(uri, finding, diagnostic, lines, linted, target))
        safe = any(f.fix is not None and f.fix.safe and f.fix.edits for f in linted.findings)
        if safe and _allows(only, FIX_ALL_KIND) and (fixed := fixed_text(target, linted.text)) is not None:
            actions.extend(self.fix_all(uri, lines, fixed))
        return actions

    def fix_action(
        self, uri: str, finding: Finding, diagnostic: types.Diagnostic, lines: Lines
    ) -> list[types.CodeAction]:
        fix = finding.fix
        if fix is None or not fix.edits:
            return []
        title = f"{fix.message} ({finding.rule}{'' if fix.safe else ', unsafe'})"
        edits = [
            types.TextEdit(_range(lines.to_client(a), lines.to_client(b)), lines.with_newlines(edit.text))
            for edit, (a, b) in zip(fix.edits, finding.fix_spans, strict=True)
        ]
        return [_action(title, types.CodeActionKind.QuickFix, uri, edits, [diagnostic], fix.safe)]

    def disable_action(
        self, uri: str, finding: Finding, diagnostic: types.Diagnostic, lines: Lines, linted: Linted, target: Target
    ) -> list[types.CodeAction]:
        disabled = disable_comment(lines, linted, finding, target)
        if disabled is None:
            return []
        index = finding.start.line - 1
        at = (index, lines.units(lines.line(index)[: disabled[0]]))
        edit = types.TextEdit(_range(at, at), disabled[1])
        return [
            _action(f"Disable {finding.rule} for this line", types.CodeActionKind.QuickFix, uri, [edit], [diagnostic])
        ]

    def fix_all(self, uri: str, lines: Lines, fixed: str) -> list[types.CodeAction]:
        if fixed == lines.text:
            return []
        start, end, new = changed_span(lines.text, fixed)
        edit = types.TextEdit(_range(lines.offset_to_client(start), lines.offset_to_client(end)), new)
        return [_action("Fix all monolint issues in file", FIX_ALL_KIND, uri, [edit], None)]


def disable_comment(lines: Lines, linted: Linted, finding: Finding, target: Target) -> tuple[int, str] | None:
    """Where on the finding's line (an index into ``lines.line``) to insert what, so that a
    ``monolint-disable-line`` comment silences the finding; offered only when checking the
    result shows the finding gone and nothing new, so never where a comment does not work
    (front matter, code)."""
    index = finding.start.line - 1
    column, insert = disable_line_insertion(lines.line(index), finding.rule)
    offset = lines.starts[index] + column
    after = lint_document(target, linted.version, linted.text[:offset] + insert + linted.text[offset:])
    before = {(f.rule, f.start.line, f.message) for f in linted.findings}
    now = {(f.rule, f.start.line, f.message) for f in after.findings}
    gone = (finding.rule, finding.start.line, finding.message) not in now
    return (column, insert) if after.problem is None and gone and now <= before else None


def _range(start: ClientPosition, end: ClientPosition) -> types.Range:
    return types.Range(types.Position(*start), types.Position(*end))


def _key(value: types.Range) -> tuple[int, int, int, int]:
    return (value.start.line, value.start.character, value.end.line, value.end.character)


def _allows(only: Sequence[str] | None, kind: str) -> bool:
    """Does the client's ``only`` filter let ``kind`` through (a kind covers its sub-kinds)?"""
    return only is None or any(kind == wanted or kind.startswith(f"{wanted}.") for wanted in only)


def _action(
    title: str, kind: str, uri: str, edits: list[types.TextEdit], diagnostics: list[Any] | None, preferred: bool = False
) -> types.CodeAction:
    edit = types.WorkspaceEdit(changes={uri: edits})
    return types.CodeAction(title, kind=kind, diagnostics=diagnostics, is_preferred=preferred, edit=edit)


def _severity(severity: Severity) -> types.DiagnosticSeverity:
    if severity is Severity.ERROR:
        return types.DiagnosticSeverity.Error
    return types.DiagnosticSeverity.Warning if severity is Severity.WARNING else types.DiagnosticSeverity.Information
