"""Errors that reach the user as one clear line (never a traceback)."""

from __future__ import annotations

#: A message longer than this (one quoting a megabyte-long value) keeps its start and end.
MAX_MESSAGE_CHARS = 600


def shown(value: object, limit: int = 80) -> str:
    """``repr(value)``, shortened to about ``limit`` characters, for quoting input in a message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 12] + "…" + text[-10:]


def _bounded(message: str) -> str:
    if len(message) <= MAX_MESSAGE_CHARS:
        return message
    return message[: MAX_MESSAGE_CHARS - 200] + " … " + message[-190:]


class CslintError(Exception):
    """Base class: ``str(err)`` is the one line shown to the user."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        message = _bounded(message)
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        if self.path and self.line:
            return f"{self.path}:{self.line}: {self.message}"
        if self.path:
            return f"{self.path}: {self.message}"
        return self.message


class RuleError(CslintError):
    """A rule file is invalid: bad YAML, unknown key, bad severity, invalid pattern.

    ``subpath`` lets a detector point inside its own spec (e.g. ``("patterns", 2)``) when it
    does not know the file; the loader turns that into a line number.
    """

    def __init__(self, message: str, path: str | None = None, line: int | None = None, subpath: tuple = ()) -> None:
        super().__init__(message, path, line)
        self.subpath = subpath


class ConfigError(CslintError):
    """A configuration file or option is invalid."""


class ReaderError(CslintError):
    """An input file could not be read or parsed."""
