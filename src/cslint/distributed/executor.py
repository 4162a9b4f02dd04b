"""Run a lint session's work on a Dask cluster and stream the results back in input order.

At most a few tasks per worker thread are in flight: the client submits the next task only
when it has consumed the oldest one, so a run of any size keeps the client's memory flat, and
the results are yielded in the order one process would produce them. A task whose worker dies
is run again elsewhere by the scheduler (and ``retries`` more times if it raises); its result
is used once, so nothing is lost or duplicated.
"""

from __future__ import annotations

import contextlib
import logging
import operator
import signal
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from cslint.errors import CslintError
from cslint.model import InputError
from cslint.readers.native import RepeatedErrors
from cslint.session import Linted, LintSession

from . import import_distributed
from .partition import DEFAULT_PARTITION_BYTES, Piece, Task, count_lines, plan_tasks
from .work import CslintPlugin, GroupSpec, PieceEnd, TaskResult, VersionMismatch, installed_version, lint_task

#: ``local:N`` starts a cluster of N worker processes on this machine.
LOCAL_PREFIX = "local:"
#: Tasks in flight per worker thread: enough to hide the round trip, few enough for flat memory.
IN_FLIGHT_PER_THREAD = 2
#: Times a task that raised is run again (a dead worker's tasks are rescheduled by the
#: scheduler itself, up to its ``allowed-failures``).
DEFAULT_RETRIES = 2
#: Seconds to wait for a remote scheduler to answer.
CONNECT_TIMEOUT = 30


@dataclass
class DaskExecutor:
    """``cslint check --scheduler ADDRESS``: ``local:N`` or a scheduler's address."""

    address: str
    partition_bytes: int = DEFAULT_PARTITION_BYTES
    retries: int = DEFAULT_RETRIES

    def run(self, session: LintSession, errors: Callable[[InputError], None]) -> Iterator[Linted]:
        import_distributed()
        with self.connect() as client:
            check_versions(client)
            groups = session.groups
            index_of = {id(group): i for i, group in enumerate(groups)}
            plugin = CslintPlugin(f"cslint-{uuid.uuid4().hex}", installed_version(), [GroupSpec.of(g) for g in groups])
            client.register_plugin(plugin, name=plugin.name)
            try:
                sources = ((s, index_of[id(session.group_for(s))]) for s in session.inputs.sources)
                tasks = plan_tasks(sources, lambda i: groups[i].read_options, self.partition_bytes)
                stream = _OrderedStream(client, plugin.name, self.retries)
                replay = _Replay(session, errors)
                for task, result in stream.results(tasks):
                    group = groups[task.group]
                    group.linter.cache.stats.add(result.cache)
                    group.linter.timings.update(result.timings)
                    group.linter.notices.extend(n for n in result.notices if n not in group.linter.notices)
                    yield from replay.events(result)
            finally:
                with contextlib.suppress(Exception):
                    client.unregister_worker_plugin(plugin.name)

    @contextlib.contextmanager
    def connect(self) -> Iterator[Any]:
        """A client of the scheduler at ``address``, or of a new local cluster."""
        distributed = import_distributed()
        if self.address.startswith(LOCAL_PREFIX):
            workers = _local_workers(self.address)
            # A cluster interrupted while its workers start cannot be closed cleanly (Dask then
            # prints tracebacks at exit): Ctrl-C waits for the start, then stops the run.
            with _interrupt_deferred() as interrupted:
                try:
                    cluster = distributed.LocalCluster(
                        n_workers=workers,
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=":0",  # any free port: never clash with another cluster
                        silence_logs=logging.ERROR,
                    )
                except Exception as exc:
                    raise CslintError(f"--scheduler {self.address}: cannot start a local cluster: {exc}") from None
            if interrupted:
                cluster.close()
                raise KeyboardInterrupt
            with cluster, distributed.Client(cluster) as client:
                yield client
            return
        try:
            client = distributed.Client(self.address, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as exc:
            raise CslintError(f"--scheduler {self.address}: cannot reach the Dask scheduler: {exc}") from None
        with client:
            yield client


@contextlib.contextmanager
def _interrupt_deferred() -> Iterator[list[bool]]:
    """Within the block Ctrl-C only sets the flag yielded (a one-item list); outside the main
    thread, where handlers cannot be set, nothing changes."""
    flag: list[bool] = []
    try:
        previous = signal.signal(signal.SIGINT, lambda *_: flag.append(True))
    except ValueError:
        yield flag
        return
    try:
        yield flag
    finally:
        signal.signal(signal.SIGINT, previous)


def _local_workers(address: str) -> int:
    count = address[len(LOCAL_PREFIX) :]
    if not count.isdigit() or int(count) < 1:
        raise CslintError(f"--scheduler {address}: expected local:N with N worker processes, such as local:4")
    return int(count)


def check_versions(client: Any) -> None:
    """Every worker must run this client's cslint: rules and results travel between them."""
    mine = installed_version()
    try:
        theirs = client.run(installed_version)
    except ModuleNotFoundError:
        raise CslintError("the Dask workers do not have cslint installed: install it where they run") from None
    if not theirs:
        raise CslintError("the Dask scheduler has no workers")
    for worker, version in sorted(theirs.items()):
        if version != mine:
            raise VersionMismatch(
                f"Dask worker {worker} has cslint {version}, this client {mine}: install the same version on both"
            )


class _Replay:
    """Turns task results back into what one process would have produced: linted
    conversations, errors, and for a file cut into ranges its end-of-file errors."""

    def __init__(self, session: LintSession, errors: Callable[[InputError], None]) -> None:
        self.session = session
        self.errors = errors
        # Of the file being replayed: its repeated read errors, and whether it had a conversation.
        self.repeated = RepeatedErrors()
        self.any_conversation = False

    def events(self, result: TaskResult) -> Iterator[Linted]:
        for kind, value in result.events:
            if kind == "linted":
                yield value
            elif kind == "error":
                self.errors(value)
            elif kind == "read-error":
                if self.repeated.show(value):
                    self.errors(value)
            else:
                assert kind == "piece-end"
                self.piece_end(value)

    def piece_end(self, end: PieceEnd) -> None:
        piece = end.piece
        if piece.is_range:
            self.repeated.add_hidden(end.hidden)
            self.any_conversation = self.any_conversation or end.any_conversation
        if piece.part + 1 < piece.parts:
            return
        if piece.is_range:
            for error in self.repeated.summary(piece.display):
                self.errors(error)
            if not self.any_conversation and not self.repeated:
                self.errors(InputError(piece.display, "empty file"))
        self.repeated = RepeatedErrors()
        self.any_conversation = False
        self.session.files += 1
        if self.session.on_file is not None:
            self.session.on_file(piece.source())


class _OrderedStream:
    """Submits tasks with a bounded number in flight and yields their results in order."""

    def __init__(self, client: Any, plugin_name: str, retries: int) -> None:
        self.client = client
        self.plugin_name = plugin_name
        self.retries = retries

    def results(self, tasks: Iterator[Task]) -> Iterator[tuple[Task, TaskResult]]:
        limit = max(2, IN_FLIGHT_PER_THREAD * sum(self.client.nthreads().values()))
        pending: deque = deque()
        # A range's first line number is the previous range's first line plus its newlines:
        # a chain of small futures, so no range waits for another to be linted.
        next_first_line: Any = 1
        try:
            for task in tasks:
                first_line: Any = 1
                piece: Piece = task.pieces[0]
                if piece.is_range:
                    first_line = 1 if piece.part == 0 else next_first_line
                    count = self.client.submit(count_lines, piece, pure=False, retries=self.retries)
                    next_first_line = self.client.submit(operator.add, first_line, count, pure=False)
                future = self.client.submit(
                    lint_task, self.plugin_name, task, first_line, pure=False, retries=self.retries
                )
                pending.append((task, future))
                while len(pending) >= limit:
                    yield self._take(pending)
            while pending:
                yield self._take(pending)
        finally:
            # Ctrl-C, an error, or a reporter that stopped early: the cluster drops the rest.
            if pending:
                with contextlib.suppress(Exception):
                    self.client.cancel([future for _, future in pending])

    def _take(self, pending: deque) -> tuple[Task, TaskResult]:
        task, future = pending.popleft()
        try:
            result = future.result()
        except CslintError:
            raise
        except Exception as exc:
            where = ", ".join(p.display for p in task.pieces[:3]) + ("..." if len(task.pieces) > 3 else "")
            raise CslintError(f"cluster task for {where} failed: {type(exc).__name__}: {exc}") from None
        finally:
            future.release()
        return task, result
