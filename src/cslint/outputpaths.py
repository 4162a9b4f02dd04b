"""Checks on the files a run will write, made before anything runs: an output must never be
one of the run's own inputs (``-o report.jsonl report.jsonl`` would replace the transcript by
the report), and two outputs must not be the same file."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Mapping


def _identity(path: str) -> tuple[int, int] | None:
    """(device, inode) of the regular file ``path`` leads to, or None (missing, or not a
    regular file: writing to /dev/null or a FIFO replaces nothing)."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return (info.st_dev, info.st_ino) if stat.S_ISREG(info.st_mode) else None


def output_problem(outputs: Mapping[str, str | None], inputs: Iterable[str | None]) -> str | None:
    """A one-line reason not to run, or None. ``outputs``: option name -> path (None when not
    given); ``inputs``: every file the run reads (lint inputs, baseline, config)."""
    given = {option: path for option, path in outputs.items() if path is not None}
    for option, path in given.items():
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            return f"{path}: cannot write output ({option}): no such folder {folder}"
    read: dict[tuple[int, int], str] = {}
    for source in inputs:
        if source is not None and source != "-":
            identity = _identity(source)
            if identity is not None:
                read.setdefault(identity, source)
    written: dict[tuple[int, int] | str, str] = {}
    for option, path in given.items():
        identity = _identity(path)
        if identity is not None and identity in read:
            return f"{path}: {option} would overwrite the input {read[identity]}; choose another file"
        if identity is None and os.path.exists(path):
            continue  # /dev/null, a FIFO: written through, nothing is replaced
        key: tuple[int, int] | str = identity if identity is not None else os.path.realpath(path)
        if key in written:
            return f"{path}: {option} and {written[key]} name the same file"
        written[key] = option
    return None
