"""``--format line``: ``path:line:col: severity rule: message``, one finding a line (grep-able)."""

from __future__ import annotations

from cslint.model import Conversation, Finding
from cslint.reporters.base import Reporter, register
from cslint.run import RunResult


def _one_line(text: str) -> str:
    return " ".join(text.split())


@register
class LineReporter(Reporter):
    name = "line"
    streams = True
    description = "one finding per line: path:line:col: severity rule: message"

    def on_conversation(self, conversation: Conversation, findings: list[Finding]) -> None:
        for f in findings:
            self.stream.write(f"{f.path}:{f.line}:{f.column}: {f.severity.label} {f.rule}: {_one_line(f.message)}\n")
