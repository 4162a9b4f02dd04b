"""``--format markdown``: a summary for pull-request comments and GitHub job summaries
(``>> $GITHUB_STEP_SUMMARY``).

Transcript text is untrusted: every cell is escaped so it cannot inject HTML, Markdown
links or tables, or @-mention people.
"""

from __future__ import annotations

from cslint.model import Finding, Severity
from cslint.reporters.base import Reporter, register
from cslint.reporters.text import summary_line
from cslint.results import CheckResults
from cslint.textsafety import printable

#: Findings listed in the details table; a PR comment has a size limit.
MAX_ROWS = 100
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

    def _row(self, f: Finding) -> str:
        where = escape_markdown(f"{f.path}:{f.line}:{f.column}")
        return (
            f"| {where} | {escape_markdown(f.rule)} | {f.severity.label} | {escape_markdown(f.text, MAX_CELL)} "
            f"| {escape_markdown(f.message)} | {escape_markdown(f.fix, MAX_CELL)} |"
        )

    def finish(self, result: CheckResults) -> None:
        out = []
        icon = "❌" if result.errors or result.findings else "✅"
        out.append(f"### {icon} cslint: {escape_markdown(summary_line(result))}")
        out.append("")
        if result.findings:
            severity: dict[str, Severity] = {}
            for f in result.findings:
                severity[f.rule] = max(severity.get(f.rule, f.severity), f.severity)
            out += ["| rule | severity | findings |", "| --- | --- | ---: |"]
            for rule, count in sorted(result.by_rule().items(), key=lambda kv: (-kv[1], kv[0])):
                out.append(f"| {escape_markdown(rule)} | {severity[rule].label} | {count} |")
            out.append("")
            out.append("<details><summary>Findings</summary>")
            out.append("")
            out += ["| where | rule | severity | flagged | message | fix |", "| --- | --- | --- | --- | --- | --- |"]
            out += [self._row(f) for f in result.findings[:MAX_ROWS]]
            if len(result.findings) > MAX_ROWS:
                out.append("")
                out.append(f"… and {len(result.findings) - MAX_ROWS} more (see the full report).")
            out.append("")
            out.append("</details>")
            out.append("")
        if result.errors:
            out.append("**Inputs that could not be read**")
            out.append("")
            out += [f"- {escape_markdown(str(e))}" for e in result.errors]
            out.append("")
        self.stream.write("\n".join(out).rstrip("\n") + "\n")
