"""Who carries out a lint session's work: the executor interface, and the local executor.

An executor takes the session's sources (each with its config group) and yields every
conversation with the findings that count for it, in input order, sending input errors to
the callback as they happen. Whatever runs the linter, the output is the same; only where
the work happens differs (this machine's processes here, a Dask cluster in
``cslint.distributed``).
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from cslint.model import Conversation, InputError

T = TypeVar("T")

if TYPE_CHECKING:
    from cslint.session import Linted, LintSession


class Executor(Protocol):
    def run(self, session: LintSession, errors: Callable[[InputError], None]) -> Iterator[Linted]:
        """Every linted conversation of ``session.inputs.sources``, in input order."""
        ...


class InputOrder(Generic[T]):
    """Emits what reading finds (input errors) in input order relative to the conversations,
    however far ahead of the linter the reading runs: an item found after the n-th
    conversation was read is held until n conversations have been settled. So the errors come
    in the same order whether the work is batched in one process, chunked over --jobs, or cut
    into cluster tasks."""

    def __init__(self, emit: Callable[[T], None]) -> None:
        self.emit = emit
        self._read = 0
        self._settled = 0
        self._held: deque[tuple[int, T]] = deque()

    def hold(self, item: T) -> None:
        self._held.append((self._read, item))

    def counted(self, conversations: Iterable[Conversation]) -> Iterator[Conversation]:
        for conversation in conversations:
            self._read += 1
            yield conversation

    def before_settling(self) -> None:
        """Emit what was found before the conversation about to be settled was read."""
        while self._held and self._held[0][0] <= self._settled:
            self.emit(self._held.popleft()[1])
        self._settled += 1

    def flush(self) -> None:
        while self._held:
            self.emit(self._held.popleft()[1])


class ProcessExecutor:
    """In this process, or spread over ``session.jobs`` processes of this machine."""

    def run(self, session: LintSession, errors: Callable[[InputError], None]) -> Iterator[Linted]:
        from cslint.engine.parallel import lint_parallel
        from cslint.session import settle

        order = InputOrder(errors)
        # Consecutive files with the same config are linted as one stream (batched analysis).
        for group, run in itertools.groupby(session.inputs.sources, key=session.group_for):
            assert group is not None  # sources of broken config groups were left out
            conversations = order.counted(session.read_conversations(list(run), group, order.hold))
            for conversation, findings in lint_parallel(group.linter, conversations, session.jobs):
                order.before_settling()
                yield settle(group.policy, group.suppressor, conversation, findings, errors)
        order.flush()
