"""``cslint lsp`` driven over stdio by a real LSP client (pygls' own): initialize, didOpen,
publishDiagnostics, codeAction, hover, didChange, shutdown."""

import asyncio
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls")

from lsprotocol import types  # noqa: E402
from pygls.lsp.client import LanguageClient  # noqa: E402

TIMEOUT = 60


class Session:
    """A client talking to ``cslint lsp`` in ``folder``, collecting published diagnostics."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.client = LanguageClient("cslint-test", "1")
        self.diagnostics: dict[str, asyncio.Queue] = {}

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: types.PublishDiagnosticsParams) -> None:
            self.queue(params.uri).put_nowait(params)

    def queue(self, uri: str) -> asyncio.Queue:
        return self.diagnostics.setdefault(uri, asyncio.Queue())

    async def start(self) -> types.InitializeResult:
        await self.client.start_io(sys.executable, "-m", "cslint", "lsp", cwd=str(self.folder))
        result = await asyncio.wait_for(
            self.client.initialize_async(
                types.InitializeParams(
                    capabilities=types.ClientCapabilities(), root_uri=self.folder.as_uri(), process_id=None
                )
            ),
            TIMEOUT,
        )
        self.client.initialized(types.InitializedParams())
        return result

    async def next_diagnostics(self, uri: str) -> types.PublishDiagnosticsParams:
        return await asyncio.wait_for(self.queue(uri).get(), TIMEOUT)

    def open(self, path: Path, text: str, language: str = "markdown") -> str:
        uri = path.as_uri()
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text))
        )
        return uri

    async def stop(self) -> None:
        await asyncio.wait_for(self.client.shutdown_async(None), TIMEOUT)
        self.client.exit(None)
        await asyncio.wait_for(self.client.stop(), TIMEOUT)


REPLY = "Hi Sam,\n\nSorry for any confusion about the refund. Please do not hesitate to ask.\n"


def test_diagnostics_fixes_hover_and_changes(tmp_path):
    async def scenario() -> None:
        session = Session(tmp_path)
        result = await session.start()
        assert result.capabilities.code_action_provider and result.capabilities.hover_provider
        uri = session.open(tmp_path / "refund.md", REPLY)
        published = await session.next_diagnostics(uri)
        by_rule = {d.code: d for d in published.diagnostics}
        assert {"empty-apology", "robotism"} <= set(by_rule)
        filler = by_rule["robotism"]
        # Line 3 of the document (0-based 2), from "Please" to the end of "hesitate to ask".
        line = REPLY.split("\n")[2]
        start, end = line.index("Please"), line.index("ask.") + 3
        assert filler.range == types.Range(types.Position(2, start), types.Position(2, end))
        assert filler.source == "cslint"

        actions = await asyncio.wait_for(
            session.client.text_document_code_action_async(
                types.CodeActionParams(
                    text_document=types.TextDocumentIdentifier(uri),
                    range=filler.range,
                    context=types.CodeActionContext(diagnostics=[filler]),
                )
            ),
            TIMEOUT,
        )
        quick = [a for a in actions if a.kind == types.CodeActionKind.QuickFix]
        assert len(quick) == 1 and list(quick[0].diagnostics) == [filler]
        (edit,) = quick[0].edit.changes[uri]
        assert edit.new_text == "Feel free to"
        assert edit.range == types.Range(
            types.Position(2, start), types.Position(2, start + len("Please do not hesitate to"))
        )
        # "for any confusion" -> "for the confusion" is advice only (it asserts something was
        # confusing): the filler's is the one safe fix, so no "apply all" is offered beside it.
        assert [a for a in actions if a.kind == types.CodeActionKind.SourceFixAll] == []

        hovered = await asyncio.wait_for(
            session.client.text_document_hover_async(
                types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(2, start + 3))
            ),
            TIMEOUT,
        )
        assert "robotism" in hovered.contents.value and "*Why:*" in hovered.contents.value
        assert "say “feel free to”" in hovered.contents.value

        # Apply the quick fix as an editor would: the filler's diagnostic goes away.
        session.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
                content_changes=[types.TextDocumentContentChangePartial(range=edit.range, text=edit.new_text)],
            )
        )
        changed = await session.next_diagnostics(uri)
        assert changed.version == 2
        assert "robotism" not in {d.code for d in changed.diagnostics}
        assert "empty-apology" in {d.code for d in changed.diagnostics}
        await session.stop()

    asyncio.run(scenario())


def test_config_yaml_macros_and_utf16_positions(tmp_path):
    (tmp_path / ".cslint.yaml").write_text("ignore: [robotism]\n", encoding="utf-8")
    macros = tmp_path / "macros.yaml"
    text = (
        "macros:\n"
        "  - title: Refund 🙂\n"
        "    actions:\n"
        "      - field: comment_value\n"
        '        value: "🙂 Sorry for any confusion. Please do not hesitate to ask."\n'
    )

    async def scenario() -> None:
        session = Session(tmp_path)
        await session.start()
        uri = session.open(macros, text, language="yaml")
        published = await session.next_diagnostics(uri)
        codes = [d.code for d in published.diagnostics]
        assert "empty-apology" in codes and "robotism" not in codes  # .cslint.yaml honoured
        apology = next(d for d in published.diagnostics if d.code == "empty-apology")
        line = text.split("\n")[4]
        column = line.index("Sorry")
        # The emoji before it is one character but two UTF-16 code units (the LSP default).
        assert apology.range.start == types.Position(4, column + 1)
        # The config edited and saved in the editor: the open documents are linted again with it.
        config = tmp_path / ".cslint.yaml"
        config.write_text("ignore: [jargon]\n", encoding="utf-8")
        session.client.text_document_did_save(
            types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(config.as_uri()))
        )
        codes = [d.code for d in (await session.next_diagnostics(uri)).diagnostics]
        assert "robotism" in codes and "empty-apology" in codes
        # A JSON file that holds no conversations is said quietly, not as an error.
        other = session.open(tmp_path / "package.json", '{"name": "site"}', language="json")
        (note,) = (await session.next_diagnostics(other)).diagnostics
        assert note.severity == types.DiagnosticSeverity.Information and note.message.startswith("not linted:")
        # A bad suppression marker is a warning on its own line, next to the findings.
        marked = "Hi Sam,\n<!-- cslint-disable-next-line nosuchrule -- why -->\nSorry for any confusion.\n"
        diagnostics = (await session.next_diagnostics(session.open(tmp_path / "a.md", marked))).diagnostics
        bad = [d for d in diagnostics if d.code is None]
        assert [(d.range.start.line, d.severity) for d in bad] == [(1, types.DiagnosticSeverity.Warning)]
        assert "unknown rule 'nosuchrule'" in bad[0].message
        assert "empty-apology" in [d.code for d in diagnostics]
        # min_severity applies as in `cslint check`: warnings are no longer shown.
        config.write_text("min_severity: error\n", encoding="utf-8")
        session.client.text_document_did_save(
            types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(config.as_uri()))
        )
        published = await session.next_diagnostics(uri)
        assert [d.code for d in published.diagnostics] == []
        await session.stop()

    asyncio.run(scenario())
