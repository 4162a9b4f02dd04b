"""Which turns read a registration: so that a turn pays only for the matchers something reads there.

The linter knows, when it compiles a rule, which turns can read what a detector registers: a
turn-level detector reads its matches only on the rule's in-scope turns, while a kind that sees
the whole conversation (said-before, already-given, terms, replies, ...) may read them on any
turn. It registers through a ``ReaderRegistry`` that tags every phrase list and pattern set with
that reader; at run time a turn asks the service only for the registrations of the rules whose
scope covers it (``MatchingService.selection``), plus those any turn may read. In a chat
transcript that takes the token-pattern and phrase matchers off most customer turns, which
the built-in rules read only through regular expressions and conversation-level checks.

Regular expressions are tagged the same way: a turn's one RE2 pass (run when a kind first
asks) covers its rules' expressions and those any turn may read (``regex_selection``): with the
built-in rules a customer turn scans 10 of ~150. Should a kind ask about an expression outside
a turn's selection, the turn scans for all of them instead (``TurnView``), so a tag can only
cost time, never a match.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from cslint.engine.matching.handles import Handle, RegexHandle, Registry, TokenHandle, Trigger

#: The reader of a registration any turn may read (a conversation-level kind's).
ANY_TURN = None
#: A rule's id (its in-scope turns read the registration), or ANY_TURN.
Reader = str | None
#: The keys of the registrations a turn needs matched; None: all of them.
Selection = frozenset[str] | None


class TaggingService(Registry, Protocol):
    """The part of the matching service a ``ReaderRegistry`` needs besides registering."""

    def read_by(self, key: str, reader: Reader) -> None: ...

    def read_regexes_by(self, ids: Iterable[int], reader: Reader) -> None: ...


class ReaderRegistry:
    """The service's registry for one reader: registers as the service does, and tags each
    phrase list and pattern set with the reader."""

    def __init__(self, service: TaggingService, reader: Reader) -> None:
        self._service = service
        self.reader = reader

    def phrases(self, phrases: list[str], match: str = "text") -> TokenHandle:
        return self._tagged(self._service.phrases(phrases, match))

    def patterns(self, patterns: list[list[dict[str, Any]]]) -> TokenHandle:
        return self._tagged(self._service.patterns(patterns))

    def regexes(self, patterns: list[str], ignore_case: bool = True) -> RegexHandle:
        handle = self._service.regexes(patterns, ignore_case)
        self._service.read_regexes_by(handle.ids, self.reader)
        return handle

    def trigger(self, handles: Iterable[Handle]) -> Trigger:
        return self._service.trigger(handles)

    def _tagged(self, handle: TokenHandle) -> TokenHandle:
        self._service.read_by(handle.key, self.reader)
        return handle
