"""Standard output that may go away mid-run (``cslint check ... | head -1``)."""

from __future__ import annotations

import contextlib
import os
from typing import IO, Any


class DetachableStream:
    """Wraps a text stream; once its reader has gone (BrokenPipeError), further output is
    dropped instead of ending the run, so the files the run still has to write (``--output``,
    ``--write-baseline``) are written. ``closed_early`` tells whether that happened."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self.closed_early = False

    def write(self, text: str) -> int:
        if not self.closed_early:
            try:
                self._stream.write(text)
            except BrokenPipeError:
                self._detach()
        return len(text)

    def flush(self) -> None:
        if not self.closed_early:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._detach()

    def _detach(self) -> None:
        self.closed_early = True
        # What Python's documentation advises: point the descriptor at /dev/null, so the flush
        # at exit does not fail again on the closed pipe.
        with contextlib.suppress(OSError, ValueError, AttributeError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
