"""``cslint check``: run the lint session, feed the reporters, apply the baseline, and
decide the exit status."""

from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass
from typing import IO, Callable

from cslint.errors import CslintError
from cslint.model import Conversation, Finding, InputError
from cslint.reporters.base import Reporter
from cslint.run import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, RunResult
from cslint.session import LintRequest, LintSession

COLOR = {"auto": None, "always": True, "never": False}


@dataclass
class CheckRequest(LintRequest):
    output_format: str = "text"
    #: Write the --format report to this file (atomically); the terminal shows text.
    output: str | None = None
    color: str = "auto"
    baseline: str | None = None
    write_baseline: str | None = None


class Fanout(Reporter):
    """Sends every event to several reporters (the file report and the terminal)."""

    name = "fanout"

    def __init__(self, reporters: list[Reporter]) -> None:
        super().__init__(reporters[0].stream)
        self.reporters = reporters
        self.for_humans = any(r.for_humans for r in reporters)

    def on_conversation(self, conversation: Conversation, findings: list[Finding]) -> None:
        for r in self.reporters:
            r.on_conversation(conversation, findings)

    def finish(self, result: RunResult) -> None:
        for r in self.reporters:
            r.finish(result)


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def run_check(request: CheckRequest, stdout: IO[str] | None = None, err: Callable[[str], None] = _err) -> int:
    """Lint, report, and return the exit status."""
    from cslint.baseline import BaselineWriter, load_baseline

    stdout = stdout or sys.stdout
    try:
        session = LintSession(request, err, stdin=lambda: sys.stdin.buffer.read())
        baseline = load_baseline(request.baseline) if request.baseline else None
    except CslintError as exc:
        err(f"error: {exc}")
        return EXIT_ERROR
    writer = BaselineWriter(request.write_baseline) if request.write_baseline else None
    settings = session.settings

    with contextlib.ExitStack() as stack:
        reporter = _reporters(request, stdout, stack, err)
        if reporter is None:
            return EXIT_ERROR
        result = RunResult(
            rules_run=len({c.id for g in session.groups for c in g.linter.compiled}),
            skipped_unknown=session.inputs.skipped_unknown,
            skipped_hidden=session.inputs.skipped_hidden,
            excluded=session.excluded,
            rules=list({c.id: c.rule for g in session.groups for c in g.linter.compiled}.values()),
        )

        def report_error(error: InputError) -> None:
            result.errors.append(error)
            err(f"error: {error}")

        hidden = 0
        for linted in session.run(report_error):
            findings = linted.findings
            result.conversations += 1
            result.turns += len(linted.conversation.turns)
            if writer is not None:
                writer.add(findings)
            if baseline is not None:
                findings, known = baseline.split(findings)
                result.baselined += len(known)
            result.note_severities(findings)
            shown = [f for f in findings if f.severity >= settings.min_severity]
            hidden += len(findings) - len(shown)
            if shown:
                result.conversations_with_findings += 1
            result.findings.extend(shown)
            result.suppressed.extend(s for s in linted.suppressed if s.finding.severity >= settings.min_severity)
            reporter.on_conversation(linted.conversation, shown)
        result.files = session.files
        reporter.finish(result)

    if session.inputs.skipped_unknown and reporter.for_humans:
        err(f"note: skipped {session.inputs.skipped_unknown} file(s) with an unsupported ending")
    if session.excluded and reporter.for_humans:
        err(f"note: {session.excluded} file(s) left out by the config's exclude patterns")
    status = result.exit_status(settings.fail_on)
    if hidden and status == EXIT_FINDINGS and not any(f.severity >= settings.fail_on for f in result.findings):
        err(f"note: {hidden} finding(s) below --min-severity {settings.min_severity.label} are not shown but reach --fail-on {settings.fail_on.label}")
    if writer is not None:
        try:
            count = writer.write()
        except CslintError as exc:
            err(f"error: {exc}")
            return EXIT_ERROR
        err(f"wrote {count} finding(s) to baseline {request.write_baseline}")
        # The findings just recorded are accepted: only errors fail this run.
        status = EXIT_ERROR if result.errors else EXIT_CLEAN
    if baseline is not None and baseline.fixed and reporter.for_humans:
        err(f"note: {baseline.fixed} baseline entr{'y' if baseline.fixed == 1 else 'ies'} no longer found; refresh it with --write-baseline")
    if session.rule_errors:
        status = EXIT_ERROR
    return status


def _reporters(request: CheckRequest, stdout: IO[str], stack: contextlib.ExitStack, err: Callable[[str], None]) -> Reporter | None:
    """The --format reporter (to stdout, or to --output atomically with text on stdout)."""
    from cslint.atomicfile import atomic_writer
    from cslint.reporters import REPORTERS

    color = COLOR[request.color]
    if request.output is None:
        return REPORTERS[request.output_format](stdout, color=color)
    try:
        handle = stack.enter_context(atomic_writer(request.output))
    except OSError as exc:
        err(f"error: {request.output}: cannot write output: {exc.strerror or exc}")
        return None
    to_file = REPORTERS[request.output_format](handle, color=False)
    return Fanout([to_file, REPORTERS["text"](stdout, color=color)])
