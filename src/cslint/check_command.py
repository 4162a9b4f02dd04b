"""``cslint check``: run the lint session, feed the reporters, apply the baseline, and
decide the exit status."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import IO

from cslint.atomicfile import DeferredOutput
from cslint.boundedio import ReadLimitError, read_at_most
from cslint.engine.linter import NOT_ENGLISH
from cslint.errors import CslintError
from cslint.exitstatus import ExitStatus
from cslint.model import Conversation, Finding, InputError
from cslint.outputpaths import output_problem
from cslint.reporters.base import Reporter, ReportOptions
from cslint.results import CheckResults
from cslint.scorecard import ScoreBook
from cslint.session import LintRequest, LintSession
from cslint.skipnotes import skip_notes
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
    #: Print per-rule finding counts instead of the findings (as ruff and flake8 do).
    statistics: bool = False
    #: Print speed and analysis-cache figures, and where the lint time went, to standard error.
    timings: bool = False
    #: Exit 0 even when findings reach --fail-on (errors still exit 2).
    exit_zero: bool = False
    #: "normal"; "quiet": the findings only (no summary, no notes); "silent": nothing but errors.
    verbosity: str = "normal"
    #: Apply the safe fixes first (as ``cslint fix --write``), then report what is left.
    fix: bool = False
    #: 0 = one worker per core (see LintSession).
    jobs: int = 0
    #: Also write a per-conversation score sheet (CSV) to this file.
    scores: str | None = None
    #: Presentation choices for the reporters (text: fixes once / summary only).
    report_options: ReportOptions = field(default_factory=ReportOptions)

    def reserved_paths(self) -> tuple[str, ...]:
        return tuple(p for p in (self.output, self.baseline, self.write_baseline) if p and p != "-")

    #: With a scheduler (setting ``scheduler``): input bytes per cluster task (None: default).
    partition_bytes: int | None = None


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

    def finish(self, result: CheckResults) -> None:
        for r in self.reporters:
            r.finish(result)


def time_breakdown(session: LintSession, slowest: int = 5) -> str:
    """Where the lint time went (summed over workers): shared analysis, and the slowest rules."""
    from collections import Counter

    from cslint.engine.linter import TIME_MATCHERS, TIME_PIPELINE, TIME_TURN_FACTS

    timings: Counter = Counter()
    for linter in session.linters:
        timings.update(linter.timings)
    total = sum(timings.values())
    if not total:
        return "timings: no lint time recorded"
    shared = {TIME_PIPELINE: "spaCy pipeline", TIME_MATCHERS: "matchers", TIME_TURN_FACTS: "turn facts"}
    rules = sorted(((t, name) for name, t in timings.items() if name not in shared), reverse=True)
    parts = [f"{label} {timings[key]:.2f}s ({timings[key] / total:.0%})" for key, label in shared.items()]
    parts.append(f"rules {sum(t for t, _ in rules):.2f}s ({sum(t for t, _ in rules) / total:.0%})")
    top = ", ".join(f"{name} {t:.2f}s" for t, name in rules[:slowest])
    return f"timings: lint time {total:.2f}s: {', '.join(parts)}; slowest rules: {top}"


def _err(message: str) -> None:
    """One printable line on standard error (see ``cli._err``)."""
    print(one_line(message), file=sys.stderr)


def run_check(request: CheckRequest, stdout: IO[str] | None = None, err: Callable[[str], None] = _err) -> ExitStatus:
    """Lint, report, and return the exit status."""
    from cslint.baseline import BaselineWriter, load_baseline

    stdout = stdout or sys.stdout
    if request.fix:
        _apply_fixes(request, err)
    try:
        session = LintSession(request, err, stdin=read_stdin)
        baseline = load_baseline(request.baseline) if request.baseline else None
        if session.settings.scheduler:
            from cslint.distributed import dask_executor

            session.executor = dask_executor(session.settings.scheduler, request.partition_bytes)
    except CslintError as exc:
        err(f"error: {exc}")
        return ExitStatus.ERROR
    reads = [s.path for s in session.inputs.sources] + [request.config_file]
    problem = output_problem(
        {"--output": request.output, "--scores": request.scores, "--write-baseline": request.write_baseline}, reads
    ) or output_problem({"--output": request.output}, [request.baseline])  # --write-baseline may refresh it
    if problem:
        err(f"error: {problem}")
        return ExitStatus.ERROR
    if request.output or request.scores or request.write_baseline:
        # A closed standard output (`| head -1`) must not cost the files still to be written.
        stdout = DetachableStream(stdout)  # type: ignore[assignment]
    writer = BaselineWriter(request.write_baseline) if request.write_baseline else None
    settings = session.settings
    if request.timings:
        for group in session.groups:
            group.linter.profile = True

    try:
        with contextlib.ExitStack() as stack:
            # Reports are collected during the run and put in place at the end: nothing is on
            # disk under (or next to) their names before then.
            deferred = DeferredOutput(request.output) if request.output else None
            scores_out = DeferredOutput(request.scores) if request.scores else None
            for pending in (deferred, scores_out):
                if pending is not None:
                    stack.callback(pending.discard)
            reporter = _reporters(request, stdout, deferred, scores_out)
            result = CheckResults(
                rules_run=len({c.id for g in session.groups for c in g.linter.compiled}),
                skipped_unknown=session.inputs.skipped_unknown,
                skipped_hidden=session.inputs.skipped_hidden,
                skipped_gitignored=session.inputs.skipped_gitignored,
                own_files=sum(1 for _, kind in session.inputs.own_files if kind != "config"),
                excluded=session.excluded,
                rules=list({c.id: c.rule for g in session.groups for c in g.linter.compiled}.values()),
                keep_findings=not getattr(reporter, "streams", False),
                scores=ScoreBook(settings.scorecard),
            )

            def report_error(error: InputError) -> None:
                result.errors.append(error)
                err(f"error: {error}")

            hidden = 0
            words = 0
            started = time.perf_counter()
            progress = stack.enter_context(_progress(session, reporter))
            for linted in session.lint(report_error):
                findings = linted.findings
                result.conversations += 1
                result.turns += len(linted.conversation.turns)
                if request.timings:
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
                result.scores.add(linted.conversation, shown)
                result.suppressed.extend(s for s in linted.suppressed if s.finding.severity >= settings.min_severity)
                reporter.on_conversation(linted.conversation, shown)
            result.files = session.files
            result.skipped_not_english = sum(g.linter.counts[NOT_ENGLISH] for g in session.groups)
            if progress is not None:
                progress.stop()
            reporter.finish(result)
            for pending in (deferred, scores_out):
                if pending is not None:
                    pending.commit()
            elapsed = time.perf_counter() - started
    except BrokenPipeError:
        raise  # the reader of standard output went away (cli.main)
    except CslintError as exc:  # the run cannot go on (a worker died, the cluster failed): no report
        err(f"error: {exc}")
        return ExitStatus.ERROR
    except OSError as exc:
        # Writing --output or --scores failed (disk full, ...): the atomic writer kept the old file.
        targets = [path for path in (request.output, request.scores) if path is not None]
        if not targets:
            raise
        err(f"error: {' or '.join(targets)}: cannot write output: {exc.strerror or exc}")
        return ExitStatus.ERROR

    if request.timings:
        cache = session.cache_stats()
        err(
            f"timings: {result.conversations} conversations, {result.turns} turns, {words} words in {elapsed:.2f}s"
            f" ({words / elapsed if elapsed else 0:,.0f} words/s) with {session.jobs} job(s);"
            f" analysis cache hit rate {cache.hit_rate:.1%} ({cache.hits} of {cache.lookups} turn texts)"
        )
        err(time_breakdown(session))
    for linter in session.linters:
        for notice in linter.notices:
            err(f"note: {notice}")
    if reporter.for_humans and request.verbosity == "normal":
        for note in skip_notes(session.inputs, session.excluded, result.skipped_not_english):
            err(f"note: {note}")
        unexplained = [s for s in result.suppressed if not s.reason]
        if unexplained:
            first = unexplained[0].finding
            err(
                f"warning: {len(unexplained)} suppression(s) without a reason, e.g. {first.path}:{first.line}"
                f" ({first.rule}); say why after '--': cslint-disable-next-line {first.rule} -- why"
            )
    failing = result.fails(settings.fail_on)
    if hidden and failing and not result.errors and not any(s >= settings.fail_on for s in result.by_severity()):
        err(
            f"note: {hidden} finding(s) below --min-severity {settings.min_severity.label} are not shown but reach --fail-on {settings.fail_on.label}"
        )
    if writer is not None:
        try:
            count = writer.write()
        except CslintError as exc:
            err(f"error: {exc}")
            return ExitStatus.ERROR
        err(f"wrote {count} finding(s) to baseline {request.write_baseline}")
        # The findings just recorded are accepted: only errors fail this run.
        failing = False
    if baseline is not None and baseline.fixed and reporter.for_humans:
        err(
            f"note: {baseline.fixed} baseline entr{'y' if baseline.fixed == 1 else 'ies'} no longer found; refresh it with --write-baseline"
        )
    # --exit-zero: findings never fail the run; errors still do.
    return ExitStatus.decide(
        errors=bool(result.errors or session.rule_errors), findings=failing and not request.exit_zero
    )


def _apply_fixes(request: CheckRequest, err: Callable[[str], None]) -> None:
    """``check --fix``: the safe fixes of ``cslint fix --write``, before the check reports
    what is left (its errors are reported again by the check itself)."""
    import io

    from cslint.fixing import run_fix

    if "-" in request.paths:
        err("note: --fix leaves standard input alone (there is no file to write)")
        return
    problems: list[str] = []
    run_fix(request, True, io.StringIO(), problems.append)
    for line in problems:
        if not line.startswith("error:") and request.verbosity != "silent":
            err(line)


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


def _reporters(
    request: CheckRequest, stdout: IO[str], deferred: DeferredOutput | None, scores_out: DeferredOutput | None
) -> Reporter:
    """The --format reporter to stdout; or with --output, to the file (put in place at the end)
    and the one-line summary to stdout (``--statistics`` and ``--silent`` replace what stdout
    shows); and the --scores sheet."""
    from cslint.reporters import REPORTERS
    from cslint.reporters.statistics import StatisticsReporter
    from cslint.reporters.text import TextReporter

    color = COLOR[request.color]
    options = request.report_options
    terminal: Reporter | None = None
    if request.verbosity == "silent":
        terminal = _Silent(stdout)
    elif request.statistics:
        # With --output the file holds the --format report; the per-rule counts are text.
        as_json = request.output_format == "json" and request.output is None
        terminal = StatisticsReporter(stdout, color=color, as_json=as_json)
    reporters: list[Reporter]
    if deferred is None:
        if terminal is not None:
            reporters = [terminal]
        elif request.output_format == "text":
            summary = "none" if request.verbosity == "quiet" else "full"
            reporters = [TextReporter(stdout, color=color, options=replace(options, summary=summary))]
        else:
            reporters = [REPORTERS[request.output_format](stdout, color=color, options=options)]
    else:
        reporters = [REPORTERS[request.output_format](deferred.stream, color=False, options=options)]
        if terminal is not None or request.verbosity != "quiet":
            # The report is in the file: the terminal gets the one summary line.
            reporters.append(terminal or TextReporter(stdout, color=color, options=replace(options, summary="line")))
    if scores_out is not None:
        from cslint.reporters.csvout import ScoresCsvReporter

        reporters.append(ScoresCsvReporter(scores_out.stream))
    return reporters[0] if len(reporters) == 1 else Fanout(reporters)


class _Silent(Reporter):
    """``--silent``: no report at all (the exit status says it; errors still go to stderr)."""

    name = "silent"
    streams = True


def read_stdin() -> bytes:
    """Standard input, up to the limit of a whole input (``yes | cslint check -`` never ends)."""
    from cslint.readers.base import MAX_WHOLE_FILE_BYTES

    try:
        return read_at_most(sys.stdin.buffer, MAX_WHOLE_FILE_BYTES)
    except ReadLimitError as exc:
        raise CslintError(f"<stdin>: standard input is {exc}; save it to a file and lint that") from None
