"""``cslint lsp``: a Language Server for canned-response repositories and drafts.

Diagnostics on open and change for any file a reader claims (``.md``, ``.txt``, ``.html``,
``.yaml``/``.json`` macro exports, chat logs, ...), read by the same readers as ``cslint check``
so every position maps back to the document; quick fixes for a rule's safe better wordings
(``cslint.fixing``); hover with the rule's why and better wording. Each document is linted with
the config nearest to it (``.cslint.yaml``), reloaded when it changes (``cslint.warm``).
"""

from __future__ import annotations

from dataclasses import dataclass

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path
from pygls.workspace import TextDocument

import cslint
from cslint.errors import CslintError
from cslint.model import Finding, Severity
from cslint.textsafety import one_line
from cslint.warm import Draft, TextLint, WarmLinter, fix_plan

SOURCE = "cslint"
SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}
#: Config files are YAML too, but never conversations.
NOT_LINTED = (".cslint.yaml", ".cslint.yml")


@dataclass
class Linted:
    """A document's last lint: its version, the outcome, and each finding's range."""

    version: int | None
    outcome: TextLint | None
    ranges: list[tuple[Finding, types.Range]]


class CslintLanguageServer(LanguageServer):
    def __init__(self, warm: WarmLinter) -> None:
        super().__init__("cslint", cslint.__version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.warm = warm
        self.linted: dict[str, Linted] = {}
        #: Setup errors already shown to the user.
        self.told: set[str] = set()


def _line_starts(text: str) -> list[int]:
    starts = [0]
    index = text.find("\n")
    while index != -1:
        starts.append(index + 1)
        index = text.find("\n", index + 1)
    return starts


def _offset(starts: list[int], line: int, column: int) -> int:
    """The document offset of a 1-based line and column (clamped to the document)."""
    line = min(max(line, 1), len(starts))
    return starts[line - 1] + max(column, 1) - 1


def _range(document: TextDocument, starts: list[int], outcome: TextLint, finding: Finding) -> types.Range:
    turn = outcome.turn_of(finding)
    begin = _offset(starts, finding.line, finding.column)
    if turn is not None and finding.end > finding.start:
        last = turn.source.locate(finding.end - 1)  # the last character: its end is one further
        end = _offset(starts, last.line, last.column) + 1
    else:
        end = begin + len(finding.text)
    end = max(end, begin)
    return types.Range(document.client_position_at_offset(begin), document.client_position_at_offset(end))


def lint_document(server: CslintLanguageServer, document: TextDocument) -> list[types.Diagnostic]:
    """Lint a document and remember the outcome; its diagnostics."""
    path = to_fs_path(document.uri) if document.uri.startswith("file:") else None
    if (path is not None and path.endswith(NOT_LINTED)) or not document.source.strip():
        server.linted[document.uri] = Linted(document.version, None, [])
        return []
    try:
        outcome = server.warm.lint(Draft(document.source, filename=path))
    except CslintError as exc:
        tell_once(server, f"cslint: {exc}")
        server.linted[document.uri] = Linted(document.version, None, [])
        return []
    if path is not None and outcome.group.is_excluded(path):
        server.linted[document.uri] = Linted(document.version, outcome, [])
        return []
    starts = _line_starts(document.source)
    shown = [f for f in outcome.findings if f.severity >= outcome.group.settings.min_severity]
    ranges = [(f, _range(document, starts, outcome, f)) for f in shown]
    server.linted[document.uri] = Linted(document.version, outcome, ranges)
    diagnostics = [
        types.Diagnostic(
            range=where,
            message=f.message,
            severity=SEVERITIES[f.severity],
            code=f.rule,
            code_description=_rule_link(outcome, f.rule),
            source=SOURCE,
            data={"rule": f.rule, "start": f.start, "turn": f.turn, "conversation": f.conversation},
        )
        for f, where in ranges
    ]
    shown_as = path if path is not None else "<stdin>"
    for error in outcome.errors:
        if error.path != shown_as:  # the config's (e.g. broken since it was loaded)
            tell_once(server, f"cslint: {error}")
            continue
        line = max((error.line or 1) - 1, 0)
        # A file cslint cannot read at all (a JSON or YAML file that holds no conversations,
        # say) is noted quietly: an editor attaches the server to every file of a language.
        unread = not outcome.linted
        diagnostics.append(
            types.Diagnostic(
                range=types.Range(types.Position(line, 0), types.Position(line, 0)),
                message=one_line(f"not linted: {error.message}" if unread else error.message),
                severity=types.DiagnosticSeverity.Information if unread else types.DiagnosticSeverity.Warning,
                source=SOURCE,
            )
        )
    return diagnostics


def tell_once(server: CslintLanguageServer, message: str) -> None:
    """An error about the setup (config, rules), shown once, not at every keystroke."""
    message = one_line(message)
    if message not in server.told:
        server.told.add(message)
        server.window_show_message(types.ShowMessageParams(types.MessageType.Error, message))


def _rule_link(outcome: TextLint, rule_id: str) -> types.CodeDescription | None:
    rule = outcome.group.rules.get(rule_id)
    return types.CodeDescription(href=rule.links[0]) if rule is not None and rule.links else None


def _current(server: CslintLanguageServer, uri: str) -> tuple[TextDocument, Linted]:
    """The document and its lint, linted again if it changed since."""
    document = server.workspace.get_text_document(uri)
    linted = server.linted.get(uri)
    if linted is None or linted.version != document.version:
        publish(server, document)
        linted = server.linted[uri]
    return document, linted


def publish(server: CslintLanguageServer, document: TextDocument) -> None:
    diagnostics = lint_document(server, document)
    server.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=document.uri, version=document.version, diagnostics=diagnostics)
    )


def _overlaps(a: types.Range, b: types.Range) -> bool:
    def key(p: types.Position) -> tuple[int, int]:
        return (p.line, p.character)

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def code_actions(server: CslintLanguageServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    """A quick fix for each finding in the range that has a safe better wording, and one that
    applies them all."""
    document, linted = _current(server, params.text_document.uri)
    if linted.outcome is None:
        return []
    outcome = linted.outcome
    actions = []
    for finding, where in linted.ranges:
        if not _overlaps(where, params.range):
            continue
        plan = fix_plan(outcome, [finding])
        if not plan.edits:
            continue
        edits = [_text_edit(document, e.start, e.end, e.replacement) for e in plan.edits]
        title = "; ".join(f"Replace “{plan.before[e.start : e.end]}” with “{e.replacement}”" for e in plan.edits)
        actions.append(
            types.CodeAction(
                title=f"{title} ({finding.rule})",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[
                    d for d in params.context.diagnostics if d.code == finding.rule and _overlaps(d.range, where)
                ],
                edit=types.WorkspaceEdit(changes={document.uri: edits}),
                is_preferred=True,
            )
        )
    everything = fix_plan(outcome)
    if len(everything.edits) > 1 or (everything.edits and not actions):
        actions.append(
            types.CodeAction(
                title=f"Apply all {len(everything.edits)} safe cslint fixes",
                kind=types.CodeActionKind.SourceFixAll,
                edit=types.WorkspaceEdit(
                    changes={
                        document.uri: [_text_edit(document, e.start, e.end, e.replacement) for e in everything.edits]
                    }
                ),
            )
        )
    return actions


def _text_edit(document: TextDocument, start: int, end: int, replacement: str) -> types.TextEdit:
    where = types.Range(document.client_position_at_offset(start), document.client_position_at_offset(end))
    return types.TextEdit(range=where, new_text=replacement)


def hover(server: CslintLanguageServer, params: types.HoverParams) -> types.Hover | None:
    """The rule behind each finding under the cursor: what it flags, why, better wording."""
    _, linted = _current(server, params.text_document.uri)
    if linted.outcome is None:
        return None
    point = types.Range(params.position, params.position)
    found = [(f, where) for f, where in linted.ranges if _overlaps(where, point)]
    if not found:
        return None
    parts = []
    for finding, _ in found:
        rule = linted.outcome.group.rules.get(finding.rule)
        if rule is None:
            continue
        lines = [
            f"**{rule.id}** ({finding.severity.label}): {rule.title}",
            "",
            finding.message,
            "",
            f"*Why:* {rule.why}",
        ]
        better = [b for b in rule.better if b["instead_of"].casefold() in finding.text.casefold()] or rule.better
        if better:
            lines += ["", "*Better wording:*"] + [
                f"- instead of “{b['instead_of']}”, say “{b['say']}”" for b in better[:5]
            ]
        lines += ["", f"*Fix:* {rule.fix}"]
        parts.append("\n".join(lines))
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)),
        range=found[0][1],
    )


def build_server(warm: WarmLinter) -> CslintLanguageServer:
    server = CslintLanguageServer(warm)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: CslintLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        publish(ls, ls.workspace.get_text_document(params.text_document.uri))

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: CslintLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
        publish(ls, ls.workspace.get_text_document(params.text_document.uri))

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: CslintLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
        # A saved .cslint.yaml (or rule file) changes the findings of the open documents.
        ls.warm.recheck_now()
        for uri in list(ls.linted):
            if uri in ls.workspace.text_documents:
                publish(ls, ls.workspace.get_text_document(uri))

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: CslintLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.linted.pop(params.text_document.uri, None)
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
        )

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll]),
    )
    def on_code_action(ls: CslintLanguageServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        return code_actions(ls, params)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: CslintLanguageServer, params: types.HoverParams) -> types.Hover | None:
        return hover(ls, params)

    return server


def run_language_server(warm: WarmLinter) -> int:
    """Serve over standard input and output until the client says exit."""
    try:
        warm.pipeline()  # warm before the first document arrives
    except CslintError:
        pass  # shown to the user with the first document it concerns
    build_server(warm).start_io()
    return 0


__all__ = ["build_server", "run_language_server"]
