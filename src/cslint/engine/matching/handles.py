"""What a kind holds after registering something with the matching service: opaque handles it
reads its matches with (through the turn view), and the trigger the linter pre-filters with.
Cheap to import: no spaCy."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class TokenHandle:
    """A registered phrase list or set of token patterns: its matches are token spans."""

    key: str


@dataclass(frozen=True)
class RegexHandle:
    """Registered regular expressions: their matches are character spans of the turn's text."""

    ids: tuple[int, ...]
    compiled: tuple[Any, ...]


Handle = TokenHandle | RegexHandle


@dataclass(frozen=True)
class Trigger:
    """What must occur in a turn for any of some handles to match there (see ``trigger``)."""

    keys: frozenset[str]
    regex_ids: frozenset[int]
    #: Both in one set (keys are strings, ids integers: they never collide), so that a turn
    #: answers "does any of it occur?" with one set test (``TurnView.occurs``).
    items: frozenset[str | int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", self.keys | self.regex_ids)


class InvalidPattern(Exception):
    """A token pattern spaCy or RE2 refuses: which one (0-based) and why, for the rule author."""

    def __init__(self, index: int, message: str) -> None:
        super().__init__(message)
        self.index = index
        self.message = message


class Registry(Protocol):
    """What a kind may ask of the matching service when it compiles: register its words and
    get handles back, and say which handles a turn needs for it to find anything."""

    def phrases(self, phrases: list[str], match: str = "text") -> TokenHandle: ...

    def patterns(self, patterns: list[list[dict[str, Any]]]) -> TokenHandle: ...

    def regexes(self, patterns: list[str], ignore_case: bool = True) -> RegexHandle: ...

    def trigger(self, handles: Iterable[Handle]) -> Trigger: ...
