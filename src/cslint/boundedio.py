"""Reading files with a limit on the bytes actually read, never trusting ``st_size``.

``st_size`` is 0 for ``/dev/zero``, a FIFO or standard input, which never end; a file may
also grow while it is read. Every read of a whole file goes through here: it stops one byte
past the limit and says so. Files cslint reads for itself (rules, configs, baselines, cache
entries) must be regular files: a FIFO is opened without blocking and refused, never waited on.
"""

from __future__ import annotations

import os
import stat
from typing import BinaryIO

#: Read size: large enough to be fast, small enough that the limit is overshot by little.
CHUNK_BYTES = 1024 * 1024


class ReadLimitError(Exception):
    """More than ``limit`` bytes, or not a regular file; ``str()`` is the reason."""


def describe_limit(limit: int) -> str:
    return f"{limit // 2**20} MiB" if limit >= 2**20 else f"{limit} bytes"


def read_at_most(handle: BinaryIO, limit: int) -> bytes:
    """Everything ``handle`` holds, or ReadLimitError once more than ``limit`` bytes came."""
    parts: list[bytes] = []
    total = 0
    while True:
        chunk = handle.read(min(CHUNK_BYTES, limit + 1 - total))
        if not chunk:
            return b"".join(parts)
        parts.append(chunk)
        total += len(chunk)
        if total > limit:
            raise ReadLimitError(f"larger than the {describe_limit(limit)} limit")


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def read_regular_file(path: str | os.PathLike, limit: int) -> bytes:
    """The bytes of the regular file at ``path`` (symlinks followed). OSError if it cannot be
    opened; ReadLimitError if it is not a regular file or holds more than ``limit`` bytes."""
    # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(descriptor, "rb") as handle:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise ReadLimitError(f"{file_kind(mode)}, not a regular file")
        return read_at_most(handle, limit)


def read_input_file(path: str | os.PathLike, limit: int) -> bytes:
    """The bytes of an input named by the user: a regular file, or a FIFO or device named on
    purpose (``<(command)``), read until it ends or the limit is passed."""
    with open(path, "rb") as handle:
        return read_at_most(handle, limit)


def lines_at_most(handle: BinaryIO, limit: int):
    """The lines of ``handle`` (with their line ends), each read with at most ``limit`` bytes:
    ReadLimitError for a longer line (``/dev/zero`` has no line end at all)."""
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            raise ReadLimitError(f"a line larger than the {describe_limit(limit)} limit")
        yield line
