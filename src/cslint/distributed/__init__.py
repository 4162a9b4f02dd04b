"""Lint on a Dask cluster (``cslint check --scheduler ADDRESS``).

The same work as ``--jobs``, carried out by another executor: files (and byte ranges of large
JSONL files) become Dask tasks, workers read and lint them with the run's rules and settings
(shipped to them, so a worker needs nothing but cslint installed), and the results come back
in input order, so every reporter, the baseline and suppressions see exactly what one process
would have produced.

``partition`` plans the tasks, ``work`` is what a worker runs, ``executor`` drives the cluster.
"""

from __future__ import annotations

from types import ModuleType

from cslint.errors import CslintError
from cslint.execution import Executor

INSTALL_HINT = 'pip install "cslint[dask]"'


def import_distributed() -> ModuleType:
    """``dask.distributed``, or a one-line error saying how to install it."""
    try:
        import distributed
        import fsspec  # noqa: F401  (workers read inputs through it)
    except ImportError:
        raise CslintError(f"--scheduler needs Dask, which is not installed: {INSTALL_HINT}") from None
    return distributed


def dask_executor(address: str, partition_bytes: int | None = None) -> Executor:
    """The executor for ``--scheduler ADDRESS``; CslintError (one line) if Dask is missing."""
    import_distributed()
    from .executor import DaskExecutor
    from .partition import DEFAULT_PARTITION_BYTES

    return DaskExecutor(address, partition_bytes or DEFAULT_PARTITION_BYTES)
