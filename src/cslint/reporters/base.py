"""Reporter interface and registry: one module per output format."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, ClassVar

from cslint.model import Conversation, Finding
from cslint.results import CheckResults

#: How the text report shows each rule's fix: under every finding, once per rule at the end, or not.
FIXES_MODES = ("every", "once", "none")


@dataclass(frozen=True)
class ReportOptions:
    """Presentation choices from the command line; a reporter uses those that apply to it."""

    fixes: str = "every"
    #: Text: only the closing summary (per rule, per agent, totals), no finding.
    summary_only: bool = False
    #: Text: "full" (findings, tables, summary line), "line" (only the summary line: the report
    #: went to --output) or "none" (only the findings: --quiet).
    summary: str = "full"


class Reporter:
    name: ClassVar[str]
    description: ClassVar[str] = ""
    #: Machine formats never get colour, progress bars or decoration.
    for_humans: bool = False
    #: Whether the reporter writes findings as they come (``on_conversation``) and so does
    #: not need ``CheckResults.findings`` at the end: then memory stays flat on huge inputs.
    streams: ClassVar[bool] = False

    def __init__(self, stream: IO[str], color: bool | None = None, options: ReportOptions | None = None) -> None:
        self.stream = stream
        self.color = color
        self.options = options or ReportOptions()

    def on_conversation(self, conversation: Conversation, findings: list[Finding]) -> None:
        """Called as each conversation is linted, in input order (for streaming output)."""

    def finish(self, result: CheckResults) -> None:
        """Called once at the end with everything."""


REPORTERS: dict[str, type[Reporter]] = {}


def register(cls: type[Reporter]) -> type[Reporter]:
    REPORTERS[cls.name] = cls
    return cls
