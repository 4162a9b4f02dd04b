"""``--format line``: ``path:line:col: severity rule: “flagged words” message``, one finding a
line (grep-able; the flagged words say what to change without opening the file)."""

from __future__ import annotations

from cslint.model import Conversation, Finding
from cslint.reporters.base import Reporter, register
from cslint.textsafety import printable


def _one_line(text: str) -> str:
    """One line of printable text: a finding is always exactly one output line."""
    return printable(" ".join(text.split()))


@register
class LineReporter(Reporter):
    name = "line"
    streams = True
    description = "one finding per line: path:line:col: severity rule: “flagged words” message"

    def on_conversation(self, conversation: Conversation, findings: list[Finding]) -> None:
        for f in findings:
            self.stream.write(
                f"{_one_line(f.path)}:{f.line}:{f.column}: {f.severity.label} {_one_line(f.rule)}: “{_one_line(f.text)}” {_one_line(f.message)}\n"
            )
