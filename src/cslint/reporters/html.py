"""``--format html``: one self-contained HTML file for QA reviewers and their managers.

Overview (counts, charts, score distribution, weekly trends), agents ranked by score, and
every conversation with its findings highlighted in place, with filters, search and links to
one conversation. Works offline: CSS and JavaScript are inline (html_assets/), nothing is
fetched; the run's data is embedded as JSON and drawn by the page, a page of rows at a time,
so tens of thousands of conversations open in a few seconds.

Transcript text is hostile: the data goes in a ``<script type="application/json">`` block
with ``<``, ``>``, ``&`` and the JavaScript line separators escaped (so ``</script>`` cannot
end it), the page only ever sets it as text (``textContent``, never ``innerHTML``), and a
Content-Security-Policy with a per-report nonce stops any script or handler that is not ours.
"""

from __future__ import annotations

import json
import secrets
from importlib import resources
from typing import IO, Any

import cslint
from cslint.model import Conversation, Finding, Severity, Turn
from cslint.reporters.base import Reporter, ReportOptions, register
from cslint.results import CheckResults
from cslint.scorecard import ScoreBook

#: Better wordings of a rule carried into the page, one per "instead of". The page shows a
#: finding the ones whose "instead of" it quotes, else the rule's first (most general) two, so
#: the detectors' own wordings, which come after the rule's, must be carried too: a cap of 8
#: cut them off (a robotism data demand was shown "instead of 'please do not hesitate to'").
#: This bound only keeps a rule pack with hundreds of them from swelling the page; no built-in
#: rule comes near it.
MAX_BETTER = 64

_JSON_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def script_json(data: Any) -> str:
    """JSON that can sit inside ``<script>``: no character of it can close the element."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)


def utf16_offset(text: str, offset: int) -> int:
    """A Python (code point) offset as a JavaScript (UTF-16 unit) offset into the same text."""
    if text.isascii():
        return offset
    return len(text[:offset].encode("utf-16-le")) // 2


def _turn_line(turn: Turn) -> int | None:
    try:
        return turn.source.locate(0).line
    except Exception:  # a reader's resolver that cannot place the start: no line shown
        return None


def turn_record(turn: Turn) -> list[Any]:
    """[speaker, name, text, time, line, lintable] (short: the page holds every turn)."""
    return [turn.speaker, turn.name or "", turn.text, turn.time or "", _turn_line(turn), int(turn.lintable)]


def finding_record(f: Finding, turns: list[Turn], rule_fixes: dict[str, str]) -> list[Any]:
    """[rule, severity, turn, start, end, line, column, message, text, fix or null] with
    start/end in UTF-16 units of the turn's text (null when they do not point into it)."""
    text = turns[f.turn].text if 0 <= f.turn < len(turns) else ""
    inside = 0 <= f.start <= f.end <= len(text) and text[f.start : f.end] == f.text
    start = utf16_offset(text, f.start) if inside else None
    end = utf16_offset(text, f.end) if inside else None
    fix = None if rule_fixes.get(f.rule) == f.fix else f.fix
    return [f.rule, f.severity.label, f.turn, start, end, f.line, f.column, f.message, f.text, fix]


def rule_record(rule: Any) -> dict[str, Any]:
    unique: dict[str, list[str]] = {}  # the first wording for each "instead of"
    for wording in rule.all_better():
        instead_of = wording.get("instead_of", "")
        unique.setdefault(instead_of.lower(), [instead_of, wording.get("say", "")])
    better = list(unique.values())[:MAX_BETTER]
    return {
        "title": rule.title,
        "category": rule.category,
        "severity": rule.severity.label,
        "fix": rule.fix,
        "better": better,
    }


def report_data(conversations: list[dict[str, Any]], result: CheckResults, rules: dict[str, dict]) -> dict[str, Any]:
    """Everything the page shows, as plain data (the numbers are the JSON output's)."""
    scores: ScoreBook = result.scores
    for record in conversations:  # the defaults, should a conversation have no score
        record.update(score=100.0, passed=True, critical=[], agents=[], agent_turns=0, week=None, by_rule={})
    for record, score in zip(conversations, scores.records()):
        record.update(
            score=score.score,
            passed=score.passed,
            critical=list(score.critical),
            agents=list(score.agents),
            agent_turns=score.agent_turns,
            week=score.week,
            by_rule=score.by_rule,
        )
    return {
        "tool": {"name": "cslint", "version": cslint.__version__},
        "summary": {
            "files": result.files,
            "conversations": result.conversations,
            "turns": result.turns,
            "findings": result.finding_count,
            "by_rule": dict(sorted(result.by_rule().items())),
            "by_severity": {s.label: n for s, n in sorted(result.by_severity().items())},
            "suppressed": len(result.suppressed),
            "baselined": result.baselined,
            "scorecard": {**scores.config.to_dict(), **scores.totals()},
            "distribution": scores.distribution(),
        },
        "severities": [s.label for s in sorted(Severity, reverse=True)],
        "rules": rules,
        "agents": [
            agent.to_dict(rank, scores.config.min_conversations) for rank, agent in enumerate(scores.agents(), 1)
        ],
        "weeks": scores.trends(),
        "agent_weeks": scores.agent_trends(),
        "conversations": conversations,
        "errors": [str(e) for e in result.errors],
    }


def _asset(name: str) -> str:
    return (resources.files("cslint.reporters") / "html_assets" / name).read_text(encoding="utf-8")


def render_page(data: dict[str, Any]) -> str:
    nonce = secrets.token_urlsafe(18)
    page = _asset("report.html")
    # One pass per placeholder, data last: nothing in the data is ever read as a placeholder.
    for placeholder, value in (
        ("{{nonce}}", nonce),
        ("{{version}}", cslint.__version__),
        ("{{css}}", _asset("report.css")),
        ("{{js}}", _asset("report.js")),
    ):
        page = page.replace(placeholder, value)
    before, marker, after = page.partition("{{data}}")
    return before + script_json(data) + after


@register
class HtmlReporter(Reporter):
    name = "html"
    streams = True  # keeps its own compact copy of each conversation, not the Finding objects
    description = "a self-contained HTML report for reviewers: overview, scorecards, conversations"

    def __init__(self, stream: IO[str], color: bool | None = None, options: ReportOptions | None = None) -> None:
        super().__init__(stream, color, options)
        self.conversations: list[dict[str, Any]] = []
        self.rule_fixes: dict[str, str] = {}

    def on_conversation(self, conversation: Conversation, findings: list[Finding]) -> None:
        for f in findings:
            self.rule_fixes.setdefault(f.rule, f.fix)
        record: dict[str, Any] = {
            "path": conversation.path,
            "id": conversation.id,
            "turns": [turn_record(t) for t in conversation.turns],
            "findings": [finding_record(f, conversation.turns, self.rule_fixes) for f in findings],
        }
        if conversation.title:
            record["title"] = conversation.title
        if conversation.channel:
            record["channel"] = conversation.channel
        self.conversations.append(record)

    def finish(self, result: CheckResults) -> None:
        rules = {rule.id: rule_record(rule) for rule in result.rules}
        for rule_id, fix in self.rule_fixes.items():
            entry = rules.setdefault(rule_id, {"title": rule_id, "category": "", "better": []})
            # The fix the findings carry (a rule's own, with any config applied).
            entry["fix"] = fix
        for rule_id, severity in result.worst_by_rule.items():
            # The severity findings were shown with (config may override a rule's default).
            rules.setdefault(rule_id, {"title": rule_id, "category": "", "better": [], "fix": ""})
            rules[rule_id]["severity"] = severity.label
        self.stream.write(render_page(report_data(self.conversations, result, rules)))
