"""SIGTERM and SIGHUP (``kill``, a CI job cancelled, a closed terminal) end a run the way Ctrl-C
does: as an exception in the main thread, so every ``finally`` runs — worker processes are
stopped and a file being written is left as it was, with no temporary file behind."""

from __future__ import annotations

import signal

#: The signals handled, by name (SIGHUP does not exist on Windows).
HANDLED = ("SIGTERM", "SIGHUP")


class TerminatedBySignal(BaseException):
    """Raised in the main thread by a handled signal; ``exit_status`` is 128 + its number."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.name = signal.Signals(number).name
        self.exit_status = 128 + number


def _raise(number: int, _frame: object) -> None:
    raise TerminatedBySignal(number)


def exit_cleanly_on_signals() -> None:
    """Install the handlers (main thread only; a no-op elsewhere)."""
    for name in HANDLED:
        number = getattr(signal, name, None)
        if number is None:
            continue
        try:
            signal.signal(number, _raise)
        except ValueError:  # not the main thread (an embedding application): leave it alone
            return
