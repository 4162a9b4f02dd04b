"""Who carries out a lint session's work: the executor interface, and the local executor.

An executor takes the session's sources (each with its config group) and yields every
conversation with the findings that count for it, in input order, sending input errors to
the callback as they happen. Whatever runs the linter, the output is the same; only where
the work happens differs (this machine's processes here, a Dask cluster in
``cslint.distributed``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Protocol

from cslint.model import InputError

if TYPE_CHECKING:
    from cslint.session import Linted, LintSession


class Executor(Protocol):
    def run(self, session: LintSession, errors: Callable[[InputError], None]) -> Iterator[Linted]:
        """Every linted conversation of ``session.inputs.sources``, in input order."""
        ...


class ProcessExecutor:
    """In this process, or spread over ``session.jobs`` processes of this machine."""

    def run(self, session: LintSession, errors: Callable[[InputError], None]) -> Iterator[Linted]:
        from cslint.engine.parallel import lint_parallel
        from cslint.session import settle

        # Consecutive files with the same config are linted as one stream (batched analysis).
        for group, run in itertools.groupby(session.inputs.sources, key=session.group_for):
            assert group is not None  # sources of broken config groups were left out
            conversations = session.read_conversations(list(run), group, errors)
            for conversation, findings in lint_parallel(group.linter, conversations, session.jobs):
                yield settle(group.policy, group.suppressor, conversation, findings, errors)
