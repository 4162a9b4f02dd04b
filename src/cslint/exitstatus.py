"""The exit status of every cslint command, decided in one place (README, "Exit status")."""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    #: Nothing at or above ``--fail-on`` (or, for ``fix``/``test``: nothing to report).
    CLEAN = 0
    #: A finding at or above ``--fail-on`` (``fix``: fixes to apply; ``test``: a failed example).
    FINDINGS = 1
    #: A usage, configuration or rule error, or an input that could not be read.
    ERROR = 2
    #: Ctrl-C.
    INTERRUPTED = 130

    @classmethod
    def decide(cls, *, errors: bool, findings: bool) -> ExitStatus:
        """An error takes precedence over findings: a run that could not read everything (or
        load every rule) cannot claim to be clean."""
        if errors:
            return cls.ERROR
        return cls.FINDINGS if findings else cls.CLEAN
