"""What every kind shares: the base class, the options every kind accepts, the compile context
and the ``Hit`` a conversation-level kind yields.

A kind is code; a rule file picks one with ``kind:`` and configures it with data. Each kind
declares the JSON-Schema of its keys (checked when rules load, with ``file:line`` errors) and
whether it looks at one turn or at the whole conversation. Kinds register what they look for
with the matching service (``ctx.service``) and read their matches from the turn view with the
handle they got back: they know nothing of how matching is done.

Importing this package must stay cheap (``cslint rules`` and ``--help`` do not need spaCy):
kinds import spaCy only inside the methods that compile or run them.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, ClassVar, NamedTuple

from cslint.engine.matching import Handle, Registry, Trigger
from cslint.engine.views import CharSpan, ConversationView, TurnView, is_filler

#: Longer phrase or term lists are refused (compiling 90,000 phrases took 6 s at every run):
#: a vocabulary that large is data, not a rule.
MAX_PHRASES = 10_000

#: ``{name}`` in a detector's message: a value of the kind (see ``Kind.message_fields``).
MESSAGE_FIELD = re.compile(r"\{(\w+)\}")

#: A problem found when a rule loads: (message, path of keys inside the detector spec).
Problem = tuple[str, tuple]


class Hit(NamedTuple):
    """A conversation-level kind's finding: the turn, the character span, and its own message
    (None: the detector's or the rule's)."""

    turn: int
    start: int
    end: int
    message: str | None = None
    #: A learned kind's score (0-1); None for a match (certain as written).
    confidence: float | None = None


def phrase_count_problem(spec: dict[str, Any], key: str) -> Problem | None:
    items = spec.get(key) or []
    if len(items) > MAX_PHRASES:
        return f"{key}: {len(items):,} entries; at most {MAX_PHRASES:,} are allowed", (key,)
    return None


#: Keys every detector accepts, whatever its kind.
COMMON_PROPERTIES: Mapping[str, Any] = MappingProxyType(
    {
        "kind": {"type": "string"},
        "message": {"type": "string", "minLength": 1},
        "at": {"enum": ["anywhere", "sentence-start", "turn-start", "whole-turn"]},
        # Which of the rule's in-scope turns this detector looks at: the first or last N, or any.
        "turn": {"enum": ["any", "first", "last"]},
        "turn_count": {"type": "integer", "minimum": 1},
        # Flag a turn only when this detector matches at least N times in it ("piled-up filler").
        "min_count": {"type": "integer", "minimum": 1},
        # Look only at turns of at most N words (a phrase that dominates a short reply).
        "max_words": {"type": "integer", "minimum": 1},
        # false: the rule's `unless` exceptions do not cancel this detector's matches (e.g. a
        # count of hand-offs, where each hand-off may be polite and owned).
        "apply_unless": {"type": "boolean"},
        # Look only at turns of at least N words (e.g. a link "for more details" after an answer).
        "min_words": {"type": "integer", "minimum": 1},
        # Flag only from the N-th turn of the conversation in which this detector matches, at
        # its first match there (the third hand-off in one conversation).
        "min_turns": {"type": "integer", "minimum": 2},
    }
)

#: Schema of a list of nested (turn-level) detector specs inside a conversation-level kind.
NESTED_LIST: Mapping[str, Any] = MappingProxyType({"type": "array", "minItems": 1, "items": {"type": "object"}})


@dataclass
class CompileContext:
    """What a detector needs to compile itself: the pipeline, the linter's matching service,
    the rule's options, the team vocabulary and the kinds (to compile nested detectors)."""

    nlp: Any
    service: Registry
    rule_id: str
    kinds: Mapping[str, type[Kind]]
    #: The rule's ``options`` (with any overrides from configuration).
    options: dict[str, Any] = field(default_factory=dict)
    #: Team vocabulary from configuration (``cslint.vocabulary.Vocabulary``: accept / reject).
    vocabulary: Any = None
    #: The linter's models (``cslint.learning.store.ModelStore``), for the learned kinds.
    models: Any = None
    #: The registry for what only the rule's in-scope turns read (``service`` may be read on
    #: any turn of the conversation): see ``compile``. None: ``service``.
    rule_turns_service: Registry | None = None

    def compile(self, specs: list[dict[str, Any]], on_rule_turns: bool = False) -> list[Kind]:
        """Nested detectors (``of``, ``to``, ``lacks``, ...), compiled with this context.
        ``on_rule_turns``: the kind runs them only on the rule's in-scope turns, so the other
        turns need not match what they register (a customer turn skips an agent's patterns)."""
        ctx = self
        if on_rule_turns and self.rule_turns_service is not None:
            ctx = dataclasses.replace(self, service=self.rule_turns_service)
        return [self.kinds[spec["kind"]](spec, ctx) for spec in specs]


class Kind:
    """Base class of all kinds."""

    kind: ClassVar[str]
    #: JSON-Schema properties of this kind's own keys, and which are required.
    properties: ClassVar[Mapping[str, Any]] = MappingProxyType({})
    required: ClassVar[tuple[str, ...]] = ()
    #: JSON-Schema properties of the rule ``options`` this kind reads (set in the rule file,
    #: overridden per team by the config's ``rule_options``): both are checked against it, so
    #: a wrong type is an error at load time, not a crash in the middle of a run.
    option_properties: ClassVar[Mapping[str, Any]] = MappingProxyType({})
    #: Turn-level kinds see one turn at a time; conversation-level ones see all turns.
    conversational: ClassVar[bool] = False
    #: Whether this kind needs lemmas from the pipeline.
    needs_lemmas: ClassVar[bool] = False
    #: Exception-only kinds that judge a match with the whole conversation in view
    #: (see ``kinds/context.py``); they may appear only under ``unless``.
    contextual: ClassVar[bool] = False

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        self.spec = spec
        self.message: str | None = spec.get("message")
        self.at: str = spec.get("at", "anywhere")
        self.turn: str = spec.get("turn", "any")
        self.turn_count: int = spec.get("turn_count", 1)
        self.min_count: int = spec.get("min_count", 1)
        self.max_words: int | None = spec.get("max_words")
        self.min_words: int | None = spec.get("min_words")
        self.apply_unless: bool = spec.get("apply_unless", True)
        self.min_turns: int = spec.get("min_turns", 1)
        #: What must occur in a turn for this detector to find anything there; None when it
        #: may find something without (an absence, a measure, a conversation-level check).
        self.trigger: Trigger | None = None
        #: A turn-level detector that also reads turns outside its rule's scope (absence's
        #: ``to:`` reads the customer's message): the linter then builds every turn's view.
        self.reads_other_turns = False
        self._service = ctx.service

    def preload(self) -> None:
        """Read now what this detector would otherwise read on first use (a word list, a
        model). The linter asks before it forks worker processes, which then share one copy
        instead of each reading its own. A kind that compiles nested detectors asks them too."""

    def message_fields(self) -> dict[str, object]:
        """The values a detector's ``message`` may name in braces (``{max}``): the kind's
        thresholds as in force (after the team's overrides), so the message never states a
        stale one."""
        return {"min_turns": self.min_turns}

    def filled_message(self) -> str | None:
        """``message`` with its ``{name}`` fields filled in; unknown names are left as written."""
        if self.message is None:
            return None
        fields = self.message_fields()
        return MESSAGE_FIELD.sub(lambda m: str(fields[m[1]]) if m[1] in fields else m[0], self.message)

    def needs(self, handles: Iterable[Handle]) -> None:
        """Declare that this detector finds nothing in a turn where none of ``handles``
        matches: the linter then skips it (and whole rules) cheaply."""
        self.trigger = self._service.trigger(handles)

    @classmethod
    def validate_spec(cls, spec: dict[str, Any]) -> Problem | str | None:
        """A problem with ``spec`` beyond its schema (checked when the rule loads), or None."""
        return None

    @classmethod
    def validate_options(cls, options: Mapping[str, Any]) -> Problem | None:
        """A problem with ``options`` beyond their schema: (message, key path), or None."""
        return None

    @classmethod
    def uses_lemmas(cls, spec: dict[str, Any], kinds: Mapping[str, type[Kind]]) -> bool:
        return cls.needs_lemmas or any(
            kinds[sub["kind"]].uses_lemmas(sub, kinds) for _, sub in cls.nested_specs(spec) if sub.get("kind") in kinds
        )

    @classmethod
    def nested_specs(cls, spec: dict[str, Any]) -> list[tuple[tuple, dict[str, Any]]]:
        """Turn-level detector specs inside this spec, with their path (for validation)."""
        return []

    def select_turns(self, in_scope: list[bool]) -> list[bool]:
        """Apply the ``turn:`` option to the rule's in-scope turns."""
        if self.turn == "any":
            return in_scope
        indices = [i for i, flag in enumerate(in_scope) if flag]
        chosen = set(indices[: self.turn_count] if self.turn == "first" else indices[-self.turn_count :])
        return [i in chosen for i in range(len(in_scope))]

    # Turn-level kinds implement this.
    def find(self, view: TurnView) -> Iterable[CharSpan]:
        raise NotImplementedError

    def find_in_turn(self, view: TurnView) -> list[CharSpan]:
        """``find`` with the options every turn-level kind shares: ``max_words``,
        ``min_words`` and ``min_count``. The linter calls this, never ``find`` directly."""
        if self.trigger is not None and not view.occurs(self.trigger):
            return []
        if self.max_words is not None and view.word_count() > self.max_words:
            return []
        if self.min_words is not None and view.word_count() < self.min_words:
            return []
        spans = list(self.find(view))
        if len(set(spans)) < self.min_count:
            return []
        return spans

    def find_in_turns(self, conversation: ConversationView, turns: list[bool]) -> Iterator[tuple[int, list[CharSpan]]]:
        """(turn index, spans) of every selected turn where a turn-level detector matches, with
        ``min_turns`` applied: one count per turn (three phrasings of one hand-off in one
        message are one hand-off), flagged from the N-th such turn on, at its first match."""
        matched_turns = 0
        for ti, view in enumerate(conversation.turns):
            if view is None or not turns[ti]:
                continue
            spans = self.find_in_turn(view)
            if not spans:
                continue
            if self.min_turns > 1:
                matched_turns += 1
                if matched_turns < self.min_turns:
                    continue
                spans = [min(spans)]
            yield ti, spans

    # Conversation-level kinds implement this. Hits land on turns of ``in_scope`` (the linter
    # keeps no other): the rule's exceptions are matched there.
    def find_in_conversation(self, conversation: ConversationView, in_scope: list[bool]) -> Iterable[Hit]:
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
        while i > 0 and not doc[i].is_sent_start and is_filler(doc[i - 1]):
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


def nested_lists(spec: dict[str, Any], *keys: str) -> list[tuple[tuple, dict[str, Any]]]:
    """The nested detector specs under ``keys`` of ``spec``, with their paths: the usual
    ``nested_specs`` of a kind whose keys each hold a list of detectors."""
    return [((key, i), sub) for key in keys for i, sub in enumerate(spec.get(key) or [])]


def any_match(detectors: list[Kind], view: TurnView) -> list[CharSpan]:
    spans: list[CharSpan] = []
    for detector in detectors:
        spans.extend(detector.find_in_turn(view))
    return spans
