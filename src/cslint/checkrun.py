"""``cslint check``: run the lint session, feed the reporters, apply the baseline, and
decide the exit status."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from cslint.atomicfile import DeferredOutput
from cslint.boundedio import ReadLimitError, read_at_most
from cslint.errors import CslintError
from cslint.model import Conversation, Finding, InputError
from cslint.outputpaths import output_problem
from cslint.reporters.base import Reporter
from cslint.run import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, RunResult
from cslint.session import LintRequest, LintSession
from cslint.streams import DetachableStream
from cslint.textsafety import one_line

COLOR = {"auto": None, "always": True, "never": False}


@dataclass
class CheckRequest(LintRequest):
    output_format: str = "text"
    #: Write the --format report to this file (atomically); the terminal shows text.
    output: str | None = None
    color: str = "auto"
    baseline: str | None = None
    write_baseline: str | None = None
    #: Print speed and analysis-cache statistics to standard error.
    statistics: bool = False
    #: 0 = one worker per core (see LintSession).
    jobs: int = 0


class Fanout(Reporter):
    """Sends every event to several reporters (the file report and the terminal)."""

    name = "fanout"

    def __init__(self, reporters: list[Reporter]) -> None:
        super().__init__(reporters[0].stream)
        self.reporters = reporters
        self.for_humans = any(r.for_humans for r in reporters)

    @property
    def streams(self) -> bool:  # type: ignore[override]
        return all(r.streams for r in self.reporters)

    def on_conversation(self, conversation: Conversation, findings: list[Finding]) -> None:
        for r in self.reporters:
            r.on_conversation(conversation, findings)

    def finish(self, result: RunResult) -> None:
        for r in self.reporters:
            r.finish(result)


def time_breakdown(session: LintSession, slowest: int = 5) -> str:
    """Where the lint time went (summed over workers): shared analysis, and the slowest rules."""
    from collections import Counter

    from cslint.engine.linter import TIME_MATCHERS, TIME_PIPELINE

    timings: Counter = Counter()
    for linter in session.linters:
        timings.update(linter.timings)
    total = sum(timings.values())
    if not total:
        return "statistics: no lint time recorded"
    shared = {TIME_PIPELINE: "spaCy pipeline", TIME_MATCHERS: "matchers"}
    rules = sorted(((t, name) for name, t in timings.items() if name not in shared), reverse=True)
    parts = [f"{label} {timings[key]:.2f}s ({timings[key] / total:.0%})" for key, label in shared.items()]
    parts.append(f"rules {sum(t for t, _ in rules):.2f}s ({sum(t for t, _ in rules) / total:.0%})")
    top = ", ".join(f"{name} {t:.2f}s" for t, name in rules[:slowest])
    return f"statistics: lint time {total:.2f}s: {', '.join(parts)}; slowest rules: {top}"


def _err(message: str) -> None:
    """One printable line on standard error (see ``cli._err``)."""
    print(one_line(message), file=sys.stderr)


def run_check(request: CheckRequest, stdout: IO[str] | None = None, err: Callable[[str], None] = _err) -> int:
    """Lint, report, and return the exit status."""
    from cslint.baseline import BaselineWriter, load_baseline

    stdout = stdout or sys.stdout
    try:
        session = LintSession(request, err, stdin=read_stdin)
        baseline = load_baseline(request.baseline) if request.baseline else None
    except CslintError as exc:
        err(f"error: {exc}")
        return EXIT_ERROR
    reads = [s.path for s in session.inputs.sources] + [request.config_file]
    problem = output_problem(
        {"--output": request.output, "--write-baseline": request.write_baseline}, reads
    ) or output_problem({"--output": request.output}, [request.baseline])  # --write-baseline may refresh it
    if problem:
        err(f"error: {problem}")
        return EXIT_ERROR
    if request.output or request.write_baseline:
        # A closed standard output (`| head -1`) must not cost the files still to be written.
        stdout = DetachableStream(stdout)  # type: ignore[assignment]
    writer = BaselineWriter(request.write_baseline) if request.write_baseline else None
    settings = session.settings
    if request.statistics:
        for group in session.groups:
            group.linter.profile = True

    try:
        with contextlib.ExitStack() as stack:
            deferred = DeferredOutput(request.output) if request.output else None
            if deferred is not None:
                stack.callback(deferred.discard)
            reporter = _reporters(request, stdout, deferred)
            result = RunResult(
                rules_run=len({c.id for g in session.groups for c in g.linter.compiled}),
                skipped_unknown=session.inputs.skipped_unknown,
                skipped_hidden=session.inputs.skipped_hidden,
                excluded=session.excluded,
                rules=list({c.id: c.rule for g in session.groups for c in g.linter.compiled}.values()),
                keep_findings=not getattr(reporter, "streams", False),
            )

            def report_error(error: InputError) -> None:
                result.errors.append(error)
                err(f"error: {error}")

            hidden = 0
            words = 0
            started = time.perf_counter()
            progress = stack.enter_context(_progress(session, reporter))
            for linted in session.run(report_error):
                findings = linted.findings
                result.conversations += 1
                result.turns += len(linted.conversation.turns)
                if request.statistics:
                    words += sum(len(t.text.split()) for t in linted.conversation.turns)
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
                result.add(shown)
                result.suppressed.extend(s for s in linted.suppressed if s.finding.severity >= settings.min_severity)
                reporter.on_conversation(linted.conversation, shown)
            result.files = session.files
            if progress is not None:
                progress.stop()
            reporter.finish(result)
            if deferred is not None:
                deferred.commit()
            elapsed = time.perf_counter() - started
    except BrokenPipeError:
        raise  # the reader of standard output went away (cli.main)
    except CslintError as exc:  # the run cannot go on (a worker process died)
        err(f"error: {exc}")
        return EXIT_ERROR
    except OSError as exc:
        # Writing --output failed (disk full, ...): the atomic writer kept the old file.
        if request.output is None:
            raise
        err(f"error: {request.output}: cannot write output: {exc.strerror or exc}")
        return EXIT_ERROR

    if request.statistics:
        cache = session.cache_stats()
        err(
            f"statistics: {result.conversations} conversations, {result.turns} turns, {words} words in {elapsed:.2f}s"
            f" ({words / elapsed if elapsed else 0:,.0f} words/s) with {session.jobs} job(s);"
            f" analysis cache hit rate {cache.hit_rate:.1%} ({cache.hits} of {cache.lookups} turn texts)"
        )
        err(time_breakdown(session))
    for linter in session.linters:
        for notice in linter.notices:
            err(f"note: {notice}")
    if session.inputs.skipped_unknown and reporter.for_humans:
        err(f"note: skipped {session.inputs.skipped_unknown} file(s) with an unsupported ending")
    if session.excluded and reporter.for_humans:
        err(f"note: {session.excluded} file(s) left out by the config's exclude patterns")
    status = result.exit_status(settings.fail_on)
    if hidden and status == EXIT_FINDINGS and not any(s >= settings.fail_on for s in result.by_severity()):
        err(
            f"note: {hidden} finding(s) below --min-severity {settings.min_severity.label} are not shown but reach --fail-on {settings.fail_on.label}"
        )
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
        err(
            f"note: {baseline.fixed} baseline entr{'y' if baseline.fixed == 1 else 'ies'} no longer found; refresh it with --write-baseline"
        )
    if session.rule_errors:
        status = EXIT_ERROR
    return status


class _Progress:
    """A transient progress bar on standard error, advanced as each file is read."""

    def __init__(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(
            TextColumn("linting"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("files"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.task = self.bar.add_task("lint", total=total)
        self.bar.start()

    def advance(self, _source) -> None:
        self.bar.advance(self.task)

    def stop(self) -> None:
        self.bar.stop()


#: Progress is shown only for runs over this many files: a draft or a few files finish at once.
PROGRESS_MIN_FILES = 20


@contextlib.contextmanager
def _progress(session: LintSession, reporter: Reporter):
    """Progress on a terminal's standard error for long runs of a human format; never in
    machine formats, never when standard error is redirected."""
    show = reporter.for_humans and sys.stderr.isatty() and len(session.inputs.sources) >= PROGRESS_MIN_FILES
    if not show:
        yield None
        return
    progress = _Progress(len(session.inputs.sources))
    session.on_file = progress.advance
    try:
        yield progress
    finally:
        progress.stop()


def _reporters(request: CheckRequest, stdout: IO[str], deferred: DeferredOutput | None) -> Reporter:
    """The --format reporter (to stdout, or to --output with text on stdout)."""
    from cslint.reporters import REPORTERS

    color = COLOR[request.color]
    if deferred is None:
        return REPORTERS[request.output_format](stdout, color=color)
    to_file = REPORTERS[request.output_format](deferred.stream, color=False)
    return Fanout([to_file, REPORTERS["text"](stdout, color=color)])


def read_stdin() -> bytes:
    """Standard input, up to the limit of a whole input (``yes | cslint check -`` never ends)."""
    from cslint.readers.base import MAX_WHOLE_FILE_BYTES

    try:
        return read_at_most(sys.stdin.buffer, MAX_WHOLE_FILE_BYTES)
    except ReadLimitError as exc:
        raise CslintError(f"<stdin>: standard input is {exc}; save it to a file and lint that") from None
