"""``--format github``: GitHub Actions workflow commands, which show each finding as an
annotation on the pull request's diff::

    ::warning file=replies/refund.md,line=3,col=5,title=cslint runaround::Sends the customer off...

Values are escaped as the Actions runner expects: in the message ``%``, ``\\r`` and ``\\n``;
in properties also ``:`` and ``,``.
"""

from __future__ import annotations

import os

from cslint.model import Conversation, Finding, Severity
from cslint.reporters.base import Reporter, register
from cslint.results import CheckResults
from cslint.textsafety import printable

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


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
    description = "GitHub Actions annotations (::warning file=...,line=...::message)"

    def on_conversation(self, conversation: Conversation, findings: list[Finding]) -> None:
        for f in findings:
            message = f"{f.message}\n“{f.text}” (conversation {f.conversation}, turn {f.turn})\nFix: {f.fix}"
            self.stream.write(
                annotation(
                    COMMANDS[f.severity],
                    message,
                    file=repo_path(f.path),
                    line=f.line,
                    col=f.column,
                    title=f"cslint {f.rule}",
                )
                + "\n"
            )

    def finish(self, result: CheckResults) -> None:
        for error in result.errors:
            self.stream.write(
                annotation(
                    "error", error.message, file=repo_path(error.path), line=error.line, title="cslint input error"
                )
                + "\n"
            )
