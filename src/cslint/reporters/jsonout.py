"""``--format json``: one JSON object (a contract: README "JSON output", schema in schemas/findings.schema.json)."""

from __future__ import annotations

import json

import cslint
from cslint.model import Conversation, Finding
from cslint.reporters.base import Reporter, register
from cslint.results import CheckResults
from cslint.scorecard import ScoreBook

#: Bumped only on incompatible changes to the output's shape.
SCHEMA_VERSION = 1


def score_summary(scores: ScoreBook) -> dict:
    """The scorecard part of the summary (added in 0.2; older readers ignore it)."""
    return {
        "agent_turns": scores.totals()["agent_turns"],
        "scorecard": {**scores.config.to_dict(), **scores.totals()},
        "by_agent": [
            agent.to_dict(rank, scores.config.min_conversations) for rank, agent in enumerate(scores.agents(), 1)
        ],
        "by_week": scores.trends(),
        "by_conversation": [c.to_dict() for c in scores.records()],
    }


def result_document(result: CheckResults) -> dict:
    return {
        "version": SCHEMA_VERSION,
        "tool": {"name": "cslint", "version": cslint.__version__},
        "findings": [f.to_dict() for f in result.findings],  # streamed by JsonReporter
        "errors": [e.to_dict() for e in result.errors],
        "suppressed": [s.to_dict() for s in result.suppressed],
        "summary": {
            "files": result.files,
            "conversations": result.conversations,
            "turns": result.turns,
            "findings": result.finding_count,
            "suppressed": len(result.suppressed),
            "baselined": result.baselined,
            "by_rule": dict(sorted(result.by_rule().items())),
            "by_severity": {s.label: n for s, n in sorted(result.by_severity().items())},
            **score_summary(result.scores),
            "skipped": result.skipped(),
            "turns_skipped_not_english": result.skipped_not_english,
        },
    }


@register
class JsonReporter(Reporter):
    """Writes the findings array as conversations are linted, then errors and the summary:
    the same document as ``result_document``, without holding every finding in memory."""

    name = "json"
    description = "one JSON object with findings, errors and a summary (stable contract)"
    streams = True

    def __init__(self, stream, color=None, options=None) -> None:
        super().__init__(stream, color, options)
        self._started = False
        self._count = 0

    def _start(self) -> None:
        if not self._started:
            tool = json.dumps({"name": "cslint", "version": cslint.__version__})
            self.stream.write(f'{{\n  "version": {SCHEMA_VERSION},\n  "tool": {tool},\n  "findings": [')
            self._started = True

    def on_conversation(self, conversation: Conversation, findings: list[Finding]) -> None:
        self._start()
        for f in findings:
            self.stream.write(("," if self._count else "") + "\n    " + json.dumps(f.to_dict(), ensure_ascii=False))
            self._count += 1

    def finish(self, result: CheckResults) -> None:
        self._start()
        rest = result_document(result)
        self.stream.write("\n  ]" if self._count else "]")
        for key in ("errors", "suppressed", "summary"):
            self.stream.write(f',\n  "{key}": {_indented(rest[key], "  ")}')
        self.stream.write("\n}\n")


def _indented(value: object, margin: str) -> str:
    """``value`` as JSON indented by two spaces a level, except that a list of objects has one
    compact object a line, as the findings do. The summary's ``by_conversation`` holds an
    object per conversation: written this way it stays readable and is encoded by the json
    module's C encoder (``indent`` switches to its pure-Python one, several times slower)."""
    inner = margin + "  "
    if isinstance(value, dict) and value:
        items = (f"{inner}{json.dumps(k, ensure_ascii=False)}: {_indented(v, inner)}" for k, v in value.items())
        return "{\n" + ",\n".join(items) + f"\n{margin}}}"
    if isinstance(value, list) and value:
        if all(isinstance(v, dict) for v in value):
            lines = (inner + json.dumps(v, ensure_ascii=False) for v in value)
        else:
            lines = (inner + _indented(v, inner) for v in value)
        return "[\n" + ",\n".join(lines) + f"\n{margin}]"
    return json.dumps(value, ensure_ascii=False)
