"""The data every part of cslint shares: conversations, turns, findings, severities."""

from __future__ import annotations

import bisect
import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class Severity(enum.IntEnum):
    """Ordered so that comparisons read naturally: ``finding.severity >= Severity.WARNING``."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls[value.strip().upper()]
        except KeyError:
            names = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {value!r} (expected one of: {names})") from None

    @property
    def label(self) -> str:
        return self.name.lower()


SEVERITY_NAMES = tuple(s.label for s in Severity)

#: Canonical speaker roles. Readers map synonyms onto these.
SPEAKERS = ("agent", "customer", "bot", "system")

SPEAKER_SYNONYMS = {
    "agent": "agent",
    "assistant": "agent",
    "support": "agent",
    "staff": "agent",
    "admin": "agent",
    "representative": "agent",
    "rep": "agent",
    "operator": "agent",
    "advisor": "agent",
    "company": "agent",
    "brand": "agent",
    "customer": "customer",
    "user": "customer",
    "client": "customer",
    "requester": "customer",
    "end-user": "customer",
    "end_user": "customer",
    "enduser": "customer",
    "contact": "customer",
    "lead": "customer",
    "visitor": "customer",
    "caller": "customer",
    "bot": "bot",
    "chatbot": "bot",
    "automation": "bot",
    "system": "system",
}


def normalize_speaker(raw: Any) -> str | None:
    """Map a speaker label from an input file to a canonical role, or None if unknown."""
    if not isinstance(raw, str):
        return None
    return SPEAKER_SYNONYMS.get(raw.strip().lower())


@dataclass(frozen=True)
class Location:
    """A 1-based line and column in a source file."""

    line: int
    column: int


class SourceMap:
    """Maps character offsets in a turn's text back to ``line:column`` in its file.

    ``segments`` is a list of ``(text_offset, line, column)`` tuples sorted by offset: the
    text from ``text_offset`` on continues at that line and column, one column per character,
    until the next segment. Readers that know more (escapes in JSON strings) may pass a
    ``resolver`` instead, which is only called when a finding needs a location.
    """

    __slots__ = ("_segments", "_resolver", "_starts")

    def __init__(
        self,
        segments: list[tuple[int, int, int]] | None = None,
        resolver: Callable[[int], Location] | None = None,
    ) -> None:
        self._segments = segments or [(0, 1, 1)]
        self._resolver = resolver
        self._starts: list[int] | None = None

    @classmethod
    def for_lines(cls, text: str, first_line: int, first_column: int = 1) -> SourceMap:
        """A map for text copied verbatim from consecutive lines of a file."""
        segments = [(0, first_line, first_column)]
        offset = 0
        for i, part in enumerate(text.split("\n")[:-1]):
            offset += len(part) + 1
            segments.append((offset, first_line + i + 1, 1))
        return cls(segments)

    def locate(self, offset: int) -> Location:
        if self._resolver is not None:
            return self._resolver(offset)
        # Binary search: a turn of many lines with many findings (or suppression markers)
        # must not cost a scan of every line per lookup.
        if self._starts is None:
            self._starts = [seg[0] for seg in self._segments]
        index = max(bisect.bisect_right(self._starts, offset) - 1, 0)
        start, line, column = self._segments[index]
        return Location(line, column + (offset - start))


#: ``Turn.meta`` key of a turn given as the conversation so far for a draft (``--context``):
#: never linted, but it counts for the rules' turn positions (a draft written after the
#: agent's first reply is not a first reply).
CONTEXT_META = "context"


@dataclass
class Turn:
    speaker: str
    text: str
    name: str | None = None
    time: str | None = None
    #: Turns that are context only (internal notes, bots, system events) are never linted.
    lintable: bool = True
    source: SourceMap = field(default_factory=SourceMap)
    meta: dict[str, Any] = field(default_factory=dict)
    #: The index (in its conversation) of the turn this one answers, when the source records
    #: it (a reply-threaded export such as tweets with ``in_response_to``, where a thread's
    #: branches interleave in time); None: the turns before it, in order.
    reply_to: int | None = None


@dataclass
class Conversation:
    id: str
    path: str
    turns: list[Turn]
    channel: str | None = None
    title: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class Finding:
    rule: str
    severity: Severity
    path: str
    conversation: str
    turn: int
    speaker: str
    line: int
    column: int
    start: int
    end: int
    text: str
    message: str
    fix: str
    #: The whole turn text, for reporters that show the passage in context.
    turn_text: str = ""
    agent: str | None = None
    title: str | None = None
    #: A learned detector's score (0-1); None for a pattern's finding (certain as written).
    confidence: float | None = None

    @property
    def matched(self) -> str:
        return self.turn_text[self.start : self.end] if self.turn_text else ""

    def sort_key(self) -> tuple:
        """Order within a conversation: by turn, then position (conversations keep input order)."""
        return (self.turn, self.start, self.end, self.rule)

    def to_dict(self) -> dict[str, Any]:
        """The JSON output contract (README, "JSON output"; schemas/findings.schema.json)."""
        data: dict[str, Any] = {
            "rule": self.rule,
            "severity": self.severity.label,
            "path": self.path,
            "conversation": self.conversation,
            "turn": self.turn,
            "speaker": self.speaker,
            "line": self.line,
            "column": self.column,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "message": self.message,
            "fix": self.fix,
        }
        if self.agent:
            data["agent"] = self.agent
        if self.title:
            data["title"] = self.title
        if self.confidence is not None:
            data["confidence"] = self.confidence
        return data


@dataclass
class InputError:
    """An input that could not be read (fully). The run goes on with the other inputs."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"path": self.path, "message": self.message}
        if self.line:
            data["line"] = self.line
        return data
