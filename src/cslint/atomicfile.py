"""Every file cslint writes (``--output``, ``--write-baseline``, ``fix --write``) is written here,
so one module decides what writing to a path means:

* a symbolic link is followed: its target is written, the link stays a link;
* a regular file is replaced atomically: the text goes to a temporary file in the target's
  folder, created only now (at write time, not for the whole run), which is then renamed over
  the target, so readers see the old content or the new, never half of either. The target's
  permission bits are kept, and so is its owner (a root run fixing a user's file leaves it
  the user's);
* a regular file that cannot be replaced without changing it — several hard links, or an
  owner we cannot give the new file — is rewritten in place, so every link sees the new text
  and the owner stays;
* anything else (``/dev/null``, ``/dev/stdout``, a FIFO, a terminal) is opened and written,
  never replaced;
* ``expect``: the file must still be as it was when read (``fix --write``), else
  FileChangedError and nothing is written.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from cslint.errors import CslintError

#: A report of up to this many characters is kept in memory until it is written; beyond, in
#: an anonymous temporary file (unlinked at once, so no signal can leave it behind).
SPOOL_CHARS = 16 * 1024 * 1024


class FileChangedError(CslintError):
    """The file changed between reading it and writing it back."""


@dataclass(frozen=True)
class FileState:
    """What tells us a file is still the one we read: identity, size and modification time."""

    device: int
    inode: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: str | os.PathLike) -> FileState:
        info = os.stat(path)
        return cls(info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def write_target(path: str | os.PathLike) -> Path:
    """The file that writing to ``path`` changes: the final target of a symbolic link."""
    return Path(os.path.realpath(path))


def _new_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _can_own_like(info: os.stat_result) -> bool:
    """Whether a new file can be given ``info``'s owner and group (root can; a user can only
    keep their own uid and one of their groups)."""
    if not hasattr(os, "geteuid"):
        return True
    if os.geteuid() == 0:
        return True
    return info.st_uid == os.geteuid() and (info.st_gid == os.getegid() or info.st_gid in os.getgroups())


def _check_unchanged(target: Path, expect: FileState | None, shown: str) -> None:
    if expect is None:
        return
    try:
        now = FileState.of(target)
    except OSError:
        now = None
    if now != expect:
        raise FileChangedError("changed since cslint read it; not written (run again)", shown)


@contextlib.contextmanager
def atomic_writer(
    path: str | os.PathLike,
    encoding: str = "utf-8",
    newline: str | None = "",
    errors: str = "backslashreplace",
    expect: FileState | None = None,
) -> Iterator[IO[str]]:
    """``with atomic_writer(p) as out: out.write(...)``; nothing is changed if the block fails.

    ``newline=""`` writes line ends exactly as given (no platform translation), so a file
    read with its own line ends and written back stays byte-identical outside the edits.
    ``errors="backslashreplace"``: a character the encoding cannot hold (a lone surrogate from
    a file name that is not UTF-8) is written as ``\\udcff``, a valid escape in JSON, instead of
    failing the write.
    """
    try:
        info: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        # Opened by the name given: /dev/stdout is a link /proc resolves to a pipe or terminal.
        with open(path, "w", encoding=encoding, errors=errors, newline=newline) as out:
            yield out
        return
    target = write_target(path)
    if info is not None and (info.st_nlink > 1 or not _can_own_like(info)):
        buffer = io.StringIO(newline=newline)
        yield buffer
        data = buffer.getvalue().encode(encoding, errors)
        _check_unchanged(target, expect, str(path))
        _rewrite_in_place(target, data)
        return
    with _replacement(target, info, encoding, errors, newline) as out:
        yield out
        _check_unchanged(target, expect, str(path))


@contextlib.contextmanager
def _replacement(
    target: Path, info: os.stat_result | None, encoding: str, errors: str, newline: str | None
) -> Iterator[IO[str]]:
    """A temporary file next to ``target`` that replaces it when the block ends without error."""
    handle = tempfile.NamedTemporaryFile(
        "w",
        encoding=encoding,
        errors=errors,
        newline=newline,
        dir=target.parent,
        prefix=f".{target.name}.",
        suffix=".tmp",
        delete=False,
    )
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if info is None:
            os.chmod(handle.name, _new_file_mode())
        else:
            if hasattr(os, "chown") and (info.st_uid, info.st_gid) != _owner(handle.name):
                os.chown(handle.name, info.st_uid, info.st_gid)
            os.chmod(handle.name, info.st_mode & 0o7777)
        os.replace(handle.name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(handle.name)
        raise


def _owner(path: str) -> tuple[int, int]:
    info = os.stat(path)
    return info.st_uid, info.st_gid


def _rewrite_in_place(target: Path, data: bytes) -> None:
    with open(target, "r+b") as out:
        out.write(data)
        out.truncate()
        out.flush()
        os.fsync(out.fileno())


def write_atomic(path: str | os.PathLike, text: str, encoding: str = "utf-8") -> None:
    with atomic_writer(path, encoding=encoding) as out:
        out.write(text)


class DeferredOutput:
    """A report written during the run and put in place at the end: ``stream`` collects it
    (in memory, or an anonymous temporary file when large), ``commit()`` writes it with
    ``atomic_writer``. Until then nothing exists on disk under the target's name or next to it."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = path
        self.stream: IO[str] = tempfile.SpooledTemporaryFile(
            max_size=SPOOL_CHARS, mode="w+", encoding="utf-8", errors="backslashreplace", newline=""
        )

    def commit(self) -> None:
        self.stream.seek(0)
        with atomic_writer(self.path) as out:
            shutil.copyfileobj(self.stream, out)
        self.stream.close()

    def discard(self) -> None:
        self.stream.close()
