"""What a Dask worker runs: one task's pieces read, linted, and settled (per-path policy and
suppressions) exactly as one process would, returned as plain picklable events.

The run's config groups (rules already loaded, settings, vocabulary) reach the workers once,
in a worker plugin, so custom rules travel with the work; each worker builds a group's linter
the first time a task needs it. A worker that joins later (or replaces a dead one) gets the
plugin too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from distributed import WorkerPlugin, get_worker

from cslint.config.policy import RulePolicy
from cslint.engine.cache import CacheStats
from cslint.errors import CslintError
from cslint.execution import InputOrder
from cslint.model import Conversation, InputError, Turn
from cslint.readers import READERS, ReadOptions
from cslint.readers.discover import clean_result
from cslint.readers.native import RepeatedErrors, decode_line
from cslint.session import ConfigGroup, Linted, read_conversations, settle
from cslint.suppression import Suppressor

from .partition import Piece, Task, numbered_lines, read_range


class VersionMismatch(CslintError):
    pass


def installed_version() -> str:
    from cslint import __version__

    return str(__version__)


@dataclass
class GroupSpec:
    """A config group as it travels: everything but the built linter."""

    linter_args: dict[str, Any]
    policy: RulePolicy
    suppressor: Suppressor
    read_options: ReadOptions

    @classmethod
    def of(cls, group: ConfigGroup) -> GroupSpec:
        linter = group.linter
        return cls(
            linter_args={
                "rules": linter.rules,
                "severity_overrides": linter.severity_overrides,
                "vocabulary": linter.vocabulary,
                "cache_entries": linter.cache_entries,
                "profile": linter.profile,
            },
            policy=group.policy,
            suppressor=group.suppressor,
            read_options=group.read_options,
        )


class CslintPlugin(WorkerPlugin):
    """Holds one run's config groups on each worker, and the linters built from them."""

    def __init__(self, name: str, version: str, specs: list[GroupSpec]) -> None:
        self.name = name
        self.version = version
        self.specs = specs
        self._linters: dict[int, Any] = {}

    def linter(self, group: int) -> Any:
        if group not in self._linters:
            from cslint.engine.linter import Linter

            self._linters[group] = Linter(**self.specs[group].linter_args)
        return self._linters[group]


@dataclass
class TaskResult:
    """A task's outcome, in the order one process would have produced it."""

    #: ("linted", Linted) | ("error", InputError) | ("read-error", InputError) | ("piece-end", PieceEnd)
    events: list[tuple[str, Any]] = field(default_factory=list)
    cache: CacheStats = field(default_factory=CacheStats)
    timings: Counter = field(default_factory=Counter)
    notices: list[str] = field(default_factory=list)


@dataclass
class PieceEnd:
    """The end of a piece; for a byte range, what its file's summary needs."""

    piece: Piece
    #: Whether a conversation was read (a file of none is reported as empty).
    any_conversation: bool = False
    #: Repeated line errors left out: {message: (count, first line)}.
    hidden: dict[str, tuple[int, int]] = field(default_factory=dict)


def lint_task(plugin_name: str, task: Task, first_line: int = 1) -> TaskResult:
    """Run on a worker: read, lint and settle the task's pieces."""
    plugin = get_worker().plugins[plugin_name]
    assert isinstance(plugin, CslintPlugin)
    if plugin.version != installed_version():
        raise VersionMismatch(
            f"a Dask worker has cslint {installed_version()}, this client {plugin.version}: install the same version on both"
        )
    spec = plugin.specs[task.group]
    linter = plugin.linter(task.group)
    result = TaskResult()
    before = CacheStats(linter.cache.stats.lookups, linter.cache.stats.hits)
    linter.timings.clear()
    notices_before = len(linter.notices)

    def error(item: InputError) -> None:
        result.events.append(("error", item))

    # The same order of events as one process (see InputOrder), piece by piece.
    order: InputOrder[tuple[str, Any]] = InputOrder(result.events.append)
    for piece in task.pieces:
        end = PieceEnd(piece)
        if piece.is_range:
            conversations = _range_conversations(piece, spec.read_options, first_line, end, order.hold)
        else:
            conversations = read_conversations(piece.source(), spec.read_options, lambda e: order.hold(("error", e)))
        for conversation, findings in linter.lint(order.counted(conversations)):
            end.any_conversation = True
            order.before_settling()
            linted = settle(spec.policy, spec.suppressor, conversation, findings, error)
            result.events.append(("linted", portable(linted)))
        order.flush()
        result.events.append(("piece-end", end))
    after = linter.cache.stats
    result.cache = CacheStats(after.lookups - before.lookups, after.hits - before.hits)
    result.timings = Counter(linter.timings)
    result.notices = linter.notices[notices_before:]
    return result


def _range_conversations(
    piece: Piece,
    options: ReadOptions,
    first_line: int,
    end: PieceEnd,
    emit: Callable[[tuple[str, Any]], None],
) -> Iterator[Conversation]:
    """The conversations of a byte range of a JSONL file, its errors passed on as
    ``read-error`` events (the client merges the repeated-error counts of the whole file)."""
    repeated = RepeatedErrors()
    source = piece.source()
    try:
        data = read_range(piece)
    except OSError as exc:
        emit(("read-error", InputError(piece.display, f"cannot read: {exc.strerror or exc}")))
        return
    lines = (decode_line(number, raw, piece.display) for number, raw in numbered_lines(data, first_line))
    reader = READERS["jsonl"]
    assert hasattr(reader, "read_numbered_lines")
    try:
        for item in reader.read_numbered_lines(source, options, lines):
            if isinstance(item, InputError):
                cleaned_error = clean_result(item)
                assert isinstance(cleaned_error, InputError)
                if repeated.show(cleaned_error):
                    emit(("read-error", cleaned_error))
            else:
                cleaned = clean_result(item)
                assert isinstance(cleaned, Conversation)
                yield cleaned
    except Exception as exc:  # a reader bug must not cost the other files
        emit(
            (
                "error",
                InputError(
                    piece.display, f"internal error while reading ({type(exc).__name__}: {exc}); please report it"
                ),
            )
        )
    end.hidden = repeated.hidden()


def portable(linted: Linted) -> Linted:
    """The conversation as reporters need it: no source maps (their closures do not pickle;
    findings already carry line and column) and no metadata."""
    conversation = linted.conversation
    turns = [Turn(t.speaker, t.text, t.name, t.time, t.lintable, reply_to=t.reply_to) for t in conversation.turns]
    return Linted(
        Conversation(conversation.id, conversation.path, turns, conversation.channel, conversation.title),
        linted.findings,
        linted.suppressed,
    )
