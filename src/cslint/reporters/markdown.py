"""``--format markdown``: a summary for pull-request comments and GitHub job summaries
(``>> $GITHUB_STEP_SUMMARY``).

Transcript text is untrusted: every cell is escaped so it cannot inject HTML, Markdown
links or tables, or @-mention people.
"""

from __future__ import annotations

from cslint.model import Finding
from cslint.reporters.base import Reporter, register
from cslint.reporters.text import summary_line
from cslint.results import CheckResults
from cslint.scorecard import UNNAMED_AGENT
from cslint.textsafety import printable

#: Findings listed in the details table; a PR comment has a size limit.
MAX_ROWS = 100
#: Agents listed in the ranking.
MAX_AGENTS = 20
#: Longest flagged passage shown in a cell.
MAX_CELL = 160

_ESCAPES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "@": "&#64;",  # no @mentions from transcript text
    "|": "\\|",
    "\\": "\\\\",
    "`": "\\`",
    "*": "\\*",
    "_": "\\_",
    "[": "\\[",
    "]": "\\]",
    "~": "\\~",
    "#": "\\#",
    "!": "\\!",
}


def escape_markdown(text: str, limit: int | None = None) -> str:
    """Plain text as one line of inert Markdown (safe inside a table cell)."""
    text = printable(" ".join(text.split()))
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return "".join(_ESCAPES.get(ch, ch) for ch in text)


@register
class MarkdownReporter(Reporter):
    name = "markdown"
    description = "a Markdown summary for pull-request comments and CI job summaries"

    def finish(self, result: CheckResults) -> None:
        self.stream.write(render_summary(result, result.findings))


def _row(f: Finding) -> str:
    where = escape_markdown(f"{f.path}:{f.line}:{f.column}")
    return (
        f"| {where} | {escape_markdown(f.rule)} | {f.severity.label} | {escape_markdown(f.text, MAX_CELL)} "
        f"| {escape_markdown(f.message)} | {escape_markdown(f.fix, MAX_CELL)} |"
    )


def _scores(result: CheckResults) -> list[str]:
    """Mean score and the agents ranked by score, with rates per 100 agent turns."""
    totals = result.scores.totals()
    if not totals["conversations"]:
        return []
    out = [
        f"**Score** {totals['mean_score']:g}/100 on average; {totals['passed']} of {totals['conversations']}"
        f" conversations pass (pass mark {result.scores.config.pass_mark:g})",
        "",
    ]
    agents = [a for a in result.scores.agents() if a.agent != UNNAMED_AGENT]
    if agents:
        out += [
            "| # | agent | score | findings per 100 agent turns | findings | agent turns | conversations |",
            "| ---: | --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for rank, a in enumerate(agents[:MAX_AGENTS], 1):
            out.append(
                f"| {rank} | {escape_markdown(a.agent, MAX_CELL)} | {a.mean_score:g} | {a.rate:g} | {a.findings}"
                f" | {a.agent_turns} | {a.conversations} |"
            )
        if len(agents) > MAX_AGENTS:
            out += ["", f"… and {len(agents) - MAX_AGENTS} more agents (the JSON and HTML reports list them all)."]
        out.append("")
    return out


def render_summary(result: CheckResults, findings: list[Finding]) -> str:
    """The Markdown summary: counts per rule from ``result``, the first ``MAX_ROWS`` of
    ``findings`` in a details table (a PR comment or job summary has a size limit), the scores."""
    out = []
    icon = "❌" if result.errors or result.finding_count else "✅"
    out.append(f"### {icon} cslint: {escape_markdown(summary_line(result))}")
    out.append("")
    if result.finding_count:
        out += ["| rule | severity | findings |", "| --- | --- | ---: |"]
        for rule, count in sorted(result.by_rule().items(), key=lambda kv: (-kv[1], kv[0])):
            out.append(f"| {escape_markdown(rule)} | {result.worst_by_rule[rule].label} | {count} |")
        out.append("")
        out.append("<details><summary>Findings</summary>")
        out.append("")
        out += ["| where | rule | severity | flagged | message | fix |", "| --- | --- | --- | --- | --- | --- |"]
        out += [_row(f) for f in findings[:MAX_ROWS]]
        if result.finding_count > MAX_ROWS:
            out.append("")
            out.append(
                f"… and {result.finding_count - MAX_ROWS} more, not listed here: run"
                " `cslint check --format html --output report.html` (or `--format csv`) for all of them."
            )
        out.append("")
        out.append("</details>")
        out.append("")
    out += _scores(result)
    if result.errors:
        out.append("**Inputs that could not be read**")
        out.append("")
        out += [f"- {escape_markdown(str(e))}" for e in result.errors]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
