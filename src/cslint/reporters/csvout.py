"""``--format csv``: one row per finding with every field of the JSON output; and the
per-conversation score sheet of ``--scores FILE``, for a spreadsheet.

Transcript text is untrusted and spreadsheets run formulas: a text cell that starts with
``=``, ``+``, ``-``, ``@`` (or a tab / carriage return, which some spreadsheets skip before
one) is prefixed with ``'`` so it is shown as text, never evaluated (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
from typing import IO, Any

from cslint.model import Conversation, Finding
from cslint.reporters.base import Reporter, ReportOptions, register
from cslint.results import CheckResults
from cslint.scorecard import ConversationScore
from cslint.textsafety import printable

FINDING_COLUMNS = (
    "rule",
    "severity",
    "path",
    "line",
    "column",
    "conversation",
    "title",
    "turn",
    "speaker",
    "agent",
    "start",
    "end",
    "text",
    "message",
    "fix",
)

SCORE_COLUMNS = (
    "path",
    "conversation",
    "title",
    "channel",
    "week",
    "agents",
    "turns",
    "agent_turns",
    "findings",
    "errors",
    "warnings",
    "infos",
    "score",
    "passed",
    "critical",
    "rules",
)

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\u240d")


def safe_cell(value: Any) -> Any:
    """A value for a CSV cell: numbers as they are, text defused against formula injection."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    # Control characters shown as symbols (as in the text output): ``cat report.csv`` on a
    # terminal must not act on an escape sequence from a transcript.
    text = printable(str(value))
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def finding_row(f: Finding) -> list[Any]:
    data = f.to_dict()
    return [safe_cell(data.get(column)) for column in FINDING_COLUMNS]


def score_row(c: ConversationScore) -> list[Any]:
    values = {
        **c.to_dict(),
        "agents": "; ".join(c.agents),
        "errors": c.by_severity.get("error", 0),
        "warnings": c.by_severity.get("warning", 0),
        "infos": c.by_severity.get("info", 0),
        "passed": "yes" if c.passed else "no",
        "critical": "; ".join(c.critical),
        "rules": "; ".join(f"{rule} ×{n}" if n > 1 else rule for rule, n in c.by_rule.items()),
    }
    return [safe_cell(values.get(column)) for column in SCORE_COLUMNS]


@register
class CsvReporter(Reporter):
    name = "csv"
    streams = True
    description = "one row per finding with every JSON field (for spreadsheets)"

    def __init__(self, stream: IO[str], color: bool | None = None, options: ReportOptions | None = None) -> None:
        super().__init__(stream, color, options)
        self.writer = csv.writer(stream, lineterminator="\n")
        self.writer.writerow(FINDING_COLUMNS)

    def on_conversation(self, conversation: Conversation, findings: list[Finding]) -> None:
        self.writer.writerows(finding_row(f) for f in findings)


class ScoresCsvReporter(Reporter):
    """``--scores FILE``: one row per conversation with its score (not a ``--format``).

    Starts with a byte-order mark: spreadsheet programs then read the file as UTF-8."""

    name = "scores-csv"
    streams = True

    def finish(self, result: CheckResults) -> None:
        self.stream.write("\ufeff")
        writer = csv.writer(self.stream, lineterminator="\n")
        writer.writerow(SCORE_COLUMNS)
        writer.writerows(score_row(c) for c in result.scores.records())
