"""A loaded, validated rule: what it catches, where it looks, how to fix it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cslint.model import Severity
from cslint.yamlsource import Positions


@dataclass
class Scope:
    speakers: tuple[str, ...] = ("agent",)
    #: Channels the rule looks at; an entry ``!name`` excludes a channel instead, so
    #: ``[!canned]`` means "every channel but canned", including conversations with none.
    channels: tuple[str, ...] | None = None
    #: Channels the rule never looks at (e.g. ``canned``: templates are not sent messages).
    exclude_channels: tuple[str, ...] = ()
    #: ``en``: only turns that read as English (the built-in rules' language); ``any``: all.
    language: str = "en"
    #: any | first | last: which of the in-scope turns of a conversation the rule looks at.
    position: str = "any"

    def covers_channel(self, channel: str | None) -> bool:
        """``channels`` lists the channels a rule looks at (none: all); ``exclude_channels``
        the ones it never looks at. A conversation without a channel is never excluded."""
        if channel and channel in self.exclude_channels:
            return False
        return not self.channels or (channel or "") in self.channels


@dataclass(frozen=True)
class Advice:
    """The advice a finding carries: a ``fix`` paragraph and the ``better:`` wordings whose
    phrase may appear in the flagged passage. Each detector of ``detect:`` has one: its own
    ``fix``/``better`` keys, else the rule's (see ``Rule.advice_for``)."""

    fix: str
    better: tuple[dict[str, Any], ...] = ()


@dataclass
class Rule:
    id: str
    title: str
    category: str
    severity: Severity
    message: str
    what: str
    why: str
    fix: str
    links: list[str]
    detect: list[dict[str, Any]]
    unless: list[dict[str, Any]] = field(default_factory=list)
    scope: Scope = field(default_factory=Scope)
    better: list[dict[str, Any]] = field(default_factory=list)
    examples_flag: list[Any] = field(default_factory=list)
    examples_pass: list[Any] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    enabled: bool = True
    path: str = ""
    positions: Positions = field(default_factory=Positions, repr=False, compare=False)
    #: "built-in" or the folder a custom rule came from.
    origin: str = "built-in"

    def advice_for(self, detector: int) -> Advice:
        """The advice of the ``detect:`` entry at index ``detector``: its own ``fix`` (else the
        rule's), and its own ``better`` wordings before the rule's, so a slogan and a data
        demand caught by one rule get different advice."""
        spec = self.detect[detector] if 0 <= detector < len(self.detect) else {}
        own = spec.get("fix")
        return Advice(
            fix=own.strip() if isinstance(own, str) else self.fix,
            better=(*(spec.get("better") or ()), *self.better),
        )

    def all_better(self) -> list[dict[str, Any]]:
        """Every ``better:`` wording of the rule: its own and its detectors'."""
        return [*self.better, *(b for spec in self.detect for b in spec.get("better") or ())]

    @classmethod
    def from_document(cls, data: dict[str, Any], positions: Positions, path: str, origin: str) -> Rule:
        scope = data.get("scope") or {}
        description = data["description"]
        return cls(
            id=data["id"],
            title=data["title"],
            category=data["category"],
            severity=Severity.parse(data["severity"]),
            message=data["message"],
            what=description["what"].strip(),
            why=description["why"].strip(),
            fix=description["fix"].strip(),
            links=list(data["links"]),
            detect=list(data["detect"]),
            unless=list(data.get("unless") or []),
            scope=Scope(
                speakers=tuple(scope.get("speakers", ("agent",))),
                channels=tuple(scope["channels"]) if scope.get("channels") else None,
                exclude_channels=tuple(scope.get("exclude_channels") or ()),
                language=scope.get("language", "en"),
                position=scope.get("position", "any"),
            ),
            better=list(data.get("better") or []),
            examples_flag=list(data["examples"]["flag"]),
            examples_pass=list(data["examples"]["pass"]),
            options=dict(data.get("options") or {}),
            tags=list(data.get("tags") or []),
            enabled=data.get("enabled", True),
            path=path,
            positions=positions,
            origin=origin,
        )

    def line_of(self, *path: Any) -> int | None:
        return self.positions.line(path)
