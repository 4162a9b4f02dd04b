"""Cut a run's inputs into tasks: small files batched together, large JSONL files cut into
byte ranges that start and end at line boundaries, so one huge export keeps every worker busy.

Planning needs only each file's size (and its first bytes, for a large JSONL file): the exact
line boundaries are found by the worker that reads a range, which moves each nominal cut to
just after the next newline. Two neighbouring ranges agree on their common cut because both
compute it the same way, so every line is read exactly once.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from cslint.readers.base import ReadOptions, Source
from cslint.readers.remote import file_size, is_url, open_location

#: Bytes per task by default: big enough that scheduling (a few ms a task) is noise, small
#: enough that a file of a few hundred MB is shared by tens of workers.
DEFAULT_PARTITION_BYTES = 8 * 2**20
#: Small files batched into one task, at most.
MAX_FILES_PER_TASK = 64
#: What is read at a time while looking for the newline after a cut.
_SCAN_BLOCK = 64 * 1024


class LocatedSource(Source):
    """A source named as the user gave it (``path``, shown in findings) but read from
    ``location``: an absolute path or an fsspec URL, as the workers see it."""

    def __init__(self, path: str, location: str) -> None:
        super().__init__(path)
        self.location = location

    def open(self) -> BinaryIO:
        return open_location(self.location)

    def size(self) -> int:
        return file_size(self.location)


def location_of(path: str) -> str:
    """Where workers find ``path``: URLs as they are, local paths made absolute (a worker's
    current folder is not the client's)."""
    return path if is_url(path) else os.path.abspath(path)


@dataclass(frozen=True)
class Piece:
    """A whole file, or the lines of a JSONL file between two nominal byte offsets."""

    #: The path as the user gave it: what findings and errors show.
    display: str
    location: str
    #: Nominal byte range (``end`` None: the whole file, read by its reader as usual).
    start: int = 0
    end: int | None = None
    #: Which part of its file this is, of how many.
    part: int = 0
    parts: int = 1
    #: Standard input's bytes (read by the client; they travel with the task).
    data: bytes | None = None

    @property
    def is_range(self) -> bool:
        return self.end is not None

    def source(self) -> Source:
        if self.data is not None:
            return Source(self.display, self.data)
        return LocatedSource(self.display, self.location)


@dataclass(frozen=True)
class Task:
    """One unit of cluster work: pieces of files of the same config group, in input order."""

    index: int
    group: int
    pieces: tuple[Piece, ...]


def splits_by_lines(source: Source, options: ReadOptions) -> bool:
    """Whether ``source`` is read line by line as UTF-8 JSONL, so that any line-aligned byte
    range of it can be read on its own. Files that are not (UTF-16, binary, another encoding)
    are one task, read by their reader as in one process."""
    if options.encoding not in (None, "utf-8", "utf8"):
        return False
    fmt = options.input_format or {".jsonl": "jsonl", ".ndjson": "jsonl"}.get(source.suffix)
    if fmt != "jsonl":
        return False
    try:
        with source.open() as handle:
            head = handle.read(8192)
    except OSError:
        return False  # its reader reports the problem
    return not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and b"\x00" not in head


def plan_tasks(
    sources: Iterable[tuple[Source, int]],
    options_of: Callable[[int], ReadOptions],
    partition_bytes: int = DEFAULT_PARTITION_BYTES,
) -> Iterator[Task]:
    """Tasks for ``(source, config group index)`` pairs, lazily and in input order."""
    index = 0
    batch: list[Piece] = []
    batch_group = -1
    batch_bytes = 0

    def flush() -> Iterator[Task]:
        nonlocal index, batch, batch_bytes
        if batch:
            yield Task(index, batch_group, tuple(batch))
            index += 1
        batch, batch_bytes = [], 0

    for source, group in sources:
        if source.data is not None:  # standard input
            if group != batch_group:
                yield from flush()
                batch_group = group
            batch.append(Piece(source.path, source.path, data=source.data))
            batch_bytes += len(source.data)
            continue
        location = location_of(source.path)
        try:
            size = file_size(location)
        except OSError:
            size = 0  # the worker's reader reports it, as one process would
        located = LocatedSource(source.path, location)
        if size > partition_bytes and splits_by_lines(located, options_of(group)):
            yield from flush()
            parts = -(-size // partition_bytes)
            for part in range(parts):
                start, end = part * partition_bytes, min(size, (part + 1) * partition_bytes)
                yield Task(index, group, (Piece(source.path, location, start, end, part, parts),))
                index += 1
            continue
        if group != batch_group or batch_bytes + size > partition_bytes or len(batch) >= MAX_FILES_PER_TASK:
            yield from flush()
            batch_group = group
        batch.append(Piece(source.path, location))
        batch_bytes += size
    yield from flush()


# -- reading a range (on a worker) ------------------------------------------------------------


def line_start_at(handle: BinaryIO, offset: int) -> int:
    """The first line start at or after ``offset``: ``offset`` itself if a line starts there,
    else just after the next newline (or the end of the file)."""
    if offset == 0:
        return 0
    handle.seek(offset - 1)
    position = offset - 1
    while True:
        block = handle.read(_SCAN_BLOCK)
        if not block:
            return position
        newline = block.find(b"\n")
        if newline >= 0:
            return position + newline + 1
        position += len(block)


def read_range(piece: Piece) -> bytes:
    """The whole lines whose first byte lies in the piece's nominal range."""
    assert piece.end is not None
    with piece.source().open() as handle:
        start = line_start_at(handle, piece.start)
        end = line_start_at(handle, piece.end)
        if end <= start:
            return b""
        handle.seek(start)
        return handle.read(end - start)


def count_lines(piece: Piece) -> int:
    """Newlines in the piece: how far the next piece's line numbers are moved on."""
    return read_range(piece).count(b"\n")


def numbered_lines(data: bytes, first_line: int) -> Iterator[tuple[int, bytes]]:
    """The lines of a range as the JSONL reader numbers them (a final newline ends the last
    line; it does not start another)."""
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return enumerate(lines, start=first_line)
