"""What every detector kind shares, and the registry rule files pick kinds from.

A detector kind is code; a rule file picks one with ``kind:`` and configures it with data.
Each kind declares the JSON-Schema of its keys (checked when rules load, with ``file:line``
errors) and whether it looks at one turn or at the whole conversation.

Importing this package must stay cheap (``cslint rules`` and ``--help`` do not need spaCy):
kinds import spaCy only inside the methods that compile or run them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Iterable

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from cslint.engine.matchbank import MatcherBank
    from cslint.model import Conversation, Turn

CharSpan = tuple[int, int]

#: Keys every detector accepts, whatever its kind.
COMMON_PROPERTIES: dict[str, Any] = {
    "kind": {"type": "string"},
    "message": {"type": "string", "minLength": 1},
    "at": {"enum": ["anywhere", "sentence-start", "turn-start", "whole-turn"]},
    # Flag a turn only when this detector matches at least N times in it ("piled-up filler").
    "min_count": {"type": "integer", "minimum": 1},
    # Look only at turns of at most N words (a phrase that dominates a short reply).
    "max_words": {"type": "integer", "minimum": 1},
}


@dataclass
class CompileContext:
    """What a detector needs to compile itself: the pipeline, the shared matchers, and
    a key prefix unique to this detector so its matches can be read back."""

    nlp: Any
    bank: "MatcherBank"
    key: str
    rule_id: str


@dataclass
class TurnView:
    """One turn, analysed: its spaCy doc and the matches of every registered phrase/pattern."""

    index: int
    turn: "Turn"
    doc: "Doc"
    matches: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    _content: tuple[int, int] | None = None

    @property
    def text(self) -> str:
        return self.turn.text

    def word_count(self) -> int:
        """Words of the turn's content: no @mentions, signature or punctuation."""
        first, last = self.content_bounds()
        return sum(1 for token in self.doc[first:last] if not (token.is_punct or token.is_space))

    def content_bounds(self) -> tuple[int, int]:
        """Token range [first, last) of the turn's content: without leading @mentions,
        surrounding punctuation/space and a trailing signature such as ``^MW`` or ``-Kim``."""
        if self._content is None:
            self._content = content_bounds(self.doc)
        return self._content


def _is_filler(token: Any) -> bool:
    text = token.text
    return (
        token.is_space
        or token.is_punct
        or text.startswith("@")
        or (len(text) <= 4 and text[:1] in "^*-~" and text[1:].isalpha())
    )


def content_bounds(doc: "Doc") -> tuple[int, int]:
    first, last = 0, len(doc)
    while first < last and _is_filler(doc[first]):
        first += 1
    while last > first and _is_filler(doc[last - 1]):
        last -= 1
    # A signature written as two tokens ("^" "MW", "-" "Kim") at the very end.
    if last - first >= 2:
        mark, name = doc[last - 2], doc[last - 1]
        if mark.text in {"^", "-", "~", "*"} and not mark.whitespace_ and len(name) <= 4 and (name.is_title or name.is_upper):
            last -= 2
            while last > first and _is_filler(doc[last - 1]):
                last -= 1
    return first, last


class Detector:
    """Base class of all detector kinds."""

    kind: ClassVar[str]
    #: JSON-Schema properties of this kind's own keys, and which are required.
    properties: ClassVar[dict[str, Any]] = {}
    required: ClassVar[tuple[str, ...]] = ()
    #: Turn-level detectors see one turn at a time; conversation-level ones see all turns.
    conversational: ClassVar[bool] = False
    #: Whether this kind needs lemmas from the pipeline.
    needs_lemmas: ClassVar[bool] = False

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        self.spec = spec
        self.key = ctx.key
        self.message: str | None = spec.get("message")
        self.at: str = spec.get("at", "anywhere")
        self.min_count: int = spec.get("min_count", 1)
        self.max_words: int | None = spec.get("max_words")

    @classmethod
    def uses_lemmas(cls, spec: dict[str, Any]) -> bool:
        return cls.needs_lemmas

    # Turn-level kinds implement this.
    def find(self, view: TurnView) -> Iterable[CharSpan]:
        raise NotImplementedError

    def find_in_turn(self, view: TurnView) -> list[CharSpan]:
        """``find`` with the options every turn-level kind shares: ``max_words`` and
        ``min_count``. The linter calls this, never ``find`` directly."""
        if self.max_words is not None and view.word_count() > self.max_words:
            return []
        spans = list(self.find(view))
        if len(set(spans)) < self.min_count:
            return []
        return spans

    # Conversation-level kinds implement this: yield (turn index, start, end).
    def find_in_conversation(
        self, conversation: "Conversation", views: list[TurnView | None], in_scope: list[bool]
    ) -> Iterable[tuple[int, int, int]]:
        raise NotImplementedError

    def keep_position(self, view: TurnView, start_token: int, end_token: int) -> bool:
        """Apply the ``at:`` option to a token span."""
        if self.at == "anywhere":
            return True
        first, last = view.content_bounds()
        if self.at == "turn-start":
            return start_token <= first
        if self.at == "whole-turn":
            return start_token <= first and end_token >= last
        # sentence-start: the span starts its sentence, ignoring leading punctuation/mentions.
        doc = view.doc
        i = start_token
        while i > 0 and not doc[i].is_sent_start and _is_filler(doc[i - 1]):
            i -= 1
        return i == 0 or bool(doc[i].is_sent_start) or i <= first

    def token_spans_to_chars(self, view: TurnView, spans: Iterable[tuple[int, int]]) -> list[CharSpan]:
        doc = view.doc
        out = []
        for start, end in spans:
            if end <= start or not self.keep_position(view, start, end):
                continue
            out.append((doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)))
        return out


DETECTOR_KINDS: dict[str, type[Detector]] = {}


def register(cls: type[Detector]) -> type[Detector]:
    DETECTOR_KINDS[cls.kind] = cls
    return cls
