"""Write a file so that readers see the old content or the new, never half of either.

The text goes to a temporary file in the target's folder, which is then renamed over the
target (``os.replace`` is atomic on POSIX and Windows when both are on one file system). An
existing target keeps its permission bits; a new file gets the usual ``0666 & ~umask``.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def atomic_writer(
    path: str | os.PathLike, encoding: str = "utf-8", newline: str | None = "", errors: str = "backslashreplace"
) -> Iterator[IO[str]]:
    """``with atomic_writer(p) as out: out.write(...)``; nothing is replaced if the block fails.

    ``newline=""`` writes line ends exactly as given (no platform translation), so a file
    read with its own line ends and written back stays byte-identical outside the edits.
    ``errors="backslashreplace"``: a character the encoding cannot hold (a lone surrogate from
    a file name that is not UTF-8) is written as ``\udcff``, a valid escape in JSON, instead of
    failing the write.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    handle = tempfile.NamedTemporaryFile(
        "w",
        encoding=encoding,
        errors=errors,
        newline=newline,
        dir=folder,
        prefix=f".{target.name}.",
        suffix=".tmp",
        delete=False,
    )
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(handle.name, _mode_for(target))
        os.replace(handle.name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(handle.name)
        raise


def write_atomic(path: str | os.PathLike, text: str, encoding: str = "utf-8") -> None:
    with atomic_writer(path, encoding=encoding) as out:
        out.write(text)
