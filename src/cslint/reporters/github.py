"""``--format github``: GitHub Actions workflow commands, which show each finding as an
annotation on the pull request's diff::

    ::warning file=replies/refund.md,line=3,col=5,title=cslint runaround::Sends the customer off...

Values are escaped as the Actions runner expects: in the message ``%``, ``\\r`` and ``\\n``;
in properties also ``:`` and ``,``.

GitHub shows at most 10 annotations of each level (error, warning, notice) per step, and
drops the rest without a word; so cslint writes the first ``ANNOTATIONS_PER_LEVEL`` of each
level and then one notice saying how many were left out. The whole picture goes to the job
summary: when ``$GITHUB_STEP_SUMMARY`` is set (it is in every Actions step), the Markdown
summary (counts per rule, the first findings) is appended to that file.
"""

from __future__ import annotations

import os
from collections import Counter

from cslint.model import Conversation, Finding, Severity
from cslint.reporters.base import Reporter, ReportOptions, register
from cslint.results import CheckResults
from cslint.textsafety import printable

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
#: GitHub's own limit per step and level; annotations past it are not shown.
ANNOTATIONS_PER_LEVEL = 10
SUMMARY_ENV = "GITHUB_STEP_SUMMARY"


def escape_data(text: str) -> str:
    # Line ends are %-escaped (one annotation per line); other control characters are shown
    # as symbols, so transcript text cannot colour or rewrite the job log.
    return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def repo_path(path: str) -> str:
    """``./replies/a.md`` -> ``replies/a.md``: annotations need plain repository paths."""
    return os.path.normpath(path).replace(os.sep, "/") if path not in ("-", "<stdin>") else path


def annotation(command: str, message: str, **properties: object) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items() if value is not None)
    return f"::{command} {props}::{escape_data(message)}" if props else f"::{command}::{escape_data(message)}"


@register
class GithubReporter(Reporter):
    name = "github"
    streams = True
    description = "GitHub Actions annotations (::warning file=...,line=...::message) and a job summary"

    def __init__(self, stream, color: bool | None = None, options: ReportOptions | None = None) -> None:
        super().__init__(stream, color, options)
        self.written: Counter = Counter()
        self.left_out = 0
        self.summary_file = os.environ.get(SUMMARY_ENV) or None
        #: The findings the job summary lists (it shows at most MAX_ROWS).
        self.for_summary: list[Finding] = []

    def _emit(self, command: str, message: str, **properties: object) -> None:
        if self.written[command] >= ANNOTATIONS_PER_LEVEL:
            self.left_out += 1
            return
        self.written[command] += 1
        self.stream.write(annotation(command, message, **properties) + "\n")

    def on_conversation(self, conversation: Conversation, findings: list[Finding]) -> None:
        from cslint.reporters.markdown import MAX_ROWS

        for f in findings:
            message = f"{f.message}\n“{f.text}” (conversation {f.conversation}, turn {f.turn})\nFix: {f.fix}"
            self._emit(
                COMMANDS[f.severity],
                message,
                file=repo_path(f.path),
                line=f.line,
                col=f.column,
                title=f"cslint {f.rule}",
            )
            if len(self.for_summary) < MAX_ROWS:
                self.for_summary.append(f)

    def finish(self, result: CheckResults) -> None:
        for error in result.errors:
            self._emit("error", error.message, file=repo_path(error.path), line=error.line, title="cslint input error")
        if self.left_out:
            where = "the job summary" if self.summary_file else "--format text or json"
            self.stream.write(
                annotation(
                    "notice",
                    f"cslint: {self.left_out} more finding(s) not annotated: GitHub shows at most"
                    f" {ANNOTATIONS_PER_LEVEL} annotations of each level per step; see {where} for all of them",
                    title="cslint",
                )
                + "\n"
            )
        if self.summary_file:
            self._write_summary(result)

    def _write_summary(self, result: CheckResults) -> None:
        from cslint.reporters.markdown import render_summary

        try:
            # Appended, as GitHub expects: other steps' summaries share the file.
            with open(self.summary_file, "a", encoding="utf-8") as out:  # type: ignore[arg-type]
                out.write(render_summary(result, self.for_summary))
        except OSError as exc:
            self.stream.write(
                annotation("warning", f"cslint: cannot write the job summary: {exc.strerror or exc}") + "\n"
            )
