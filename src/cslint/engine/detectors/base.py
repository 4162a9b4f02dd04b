"""What every detector kind shares, and the registry rule files pick kinds from.

A detector kind is code; a rule file picks one with ``kind:`` and configures it with data.
Each kind declares the JSON-Schema of its keys (checked when rules load, with ``file:line``
errors) and whether it looks at one turn or at the whole conversation.

Importing this package must stay cheap (``cslint rules`` and ``--help`` do not need spaCy):
kinds import spaCy only inside the methods that compile or run them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from cslint.engine.matchbank import MatcherBank
    from cslint.model import Conversation, Turn

CharSpan = tuple[int, int]

#: Longer phrase or term lists are refused (compiling 90,000 phrases took 6 s at every run):
#: a vocabulary that large is data, not a rule.
MAX_PHRASES = 10_000


def phrase_count_problem(spec: dict[str, Any], key: str) -> tuple[str, tuple] | None:
    items = spec.get(key) or []
    if len(items) > MAX_PHRASES:
        return f"{key}: {len(items):,} entries; at most {MAX_PHRASES:,} are allowed", (key,)
    return None


#: Keys every detector accepts, whatever its kind.
COMMON_PROPERTIES: dict[str, Any] = {
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
}


@dataclass
class CompileContext:
    """What a detector needs to compile itself: the pipeline, the shared matchers, and
    a key prefix unique to this detector so its matches can be read back."""

    nlp: Any
    bank: MatcherBank
    key: str
    rule_id: str
    #: The rule's ``options`` (with any overrides from configuration).
    options: dict[str, Any] = field(default_factory=dict)
    #: Team vocabulary from configuration (``cslint.vocabulary.Vocabulary``: accept / reject).
    vocabulary: Any = None
    #: A team's model folder (``--models``), asked before the built-in model by ``kind: model``.
    models: str | None = None

    def nested(self, name: str) -> CompileContext:
        return CompileContext(
            self.nlp, self.bank, f"{self.key}/{name}", self.rule_id, self.options, self.vocabulary, self.models
        )


@dataclass
class TurnView:
    """One turn, analysed: its spaCy doc and the matches of every registered phrase/pattern."""

    index: int
    turn: Turn
    doc: Doc
    matches: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    _content: tuple[int, int] | None = None
    _sentence_starts: list[int] | None = None
    _english: bool | None = None
    _regex_hits: set[int] | None = None
    _rows: list[list[int]] | None = None
    _counts: tuple[list[int], list[int]] | None = None

    @property
    def text(self) -> str:
        return self.turn.text

    def is_english(self) -> bool:
        """Whether the turn reads as English: the built-in rules are English phrase lists, and
        on German or Portuguese text they would only produce noise (e.g. "no next step").
        English prose is at least ~20% stop words; other languages share few of them. Short
        turns (under 8 words) are taken to be English."""
        if self._english is None:
            # IS_STOP is the lexeme's "lower case in spaCy's English stop words".
            words = [row[STOP_COLUMN] for row in self.token_rows() if row[0]]
            self._english = len(words) < 8 or sum(words) / len(words) >= 0.15
        return self._english

    def token_rows(self) -> list[list[int]]:
        """Per token, ``[IS_ALPHA, LIKE_NUM, IS_PUNCT, IS_SPACE, IS_STOP]`` as 0 or 1, read from
        the doc as one array once (not a Python ``Token`` per token and per question)."""
        if self._rows is None:
            self._rows = self.doc.to_array(_row_attrs()).tolist() if len(self.doc) else []
        return self._rows

    def _running_counts(self) -> tuple[list[int], list[int]]:
        """Words (alphabetic or number-like) and content tokens (neither punctuation nor
        space) before each token index."""
        if self._counts is None:
            words, content = [0], [0]
            for alpha, num, punct, space, _ in self.token_rows():
                words.append(words[-1] + (alpha or num))
                content.append(content[-1] + (not (punct or space)))
            self._counts = (words, content)
        return self._counts

    def words_between(self, start: int, end: int) -> int:
        """Alphabetic or number-like tokens in the token range [start, end)."""
        words = self._running_counts()[0]
        return words[end] - words[start]

    def sentence_starts(self) -> list[int]:
        """Character offsets where the turn's sentences start (computed once)."""
        if self._sentence_starts is None:
            self._sentence_starts = [sent.start_char for sent in self.doc.sents]
        return self._sentence_starts

    def regexes_matching(self, regexes: Any) -> set[int]:
        """Ids of the patterns of ``regexes`` (the linter's ``RegexSet``) that occur in the
        turn's text (computed once per turn)."""
        if self._regex_hits is None:
            self._regex_hits = regexes.matching(self.text)
        return self._regex_hits

    def word_count(self) -> int:
        """Words of the turn's content: no @mentions, signature or punctuation."""
        first, last = self.content_bounds()
        content = self._running_counts()[1]
        return content[last] - content[first]

    def content_bounds(self) -> tuple[int, int]:
        """Token range [first, last) of the turn's content: without leading @mentions,
        surrounding punctuation/space and a trailing signature such as ``^MW`` or ``-Kim``."""
        if self._content is None:
            self._content = content_bounds(self.doc)
        return self._content


#: Column of IS_STOP in ``TurnView.token_rows``.
STOP_COLUMN = 4


@functools.lru_cache(maxsize=1)
def _row_attrs() -> list[int]:
    from spacy.attrs import IS_ALPHA, IS_PUNCT, IS_SPACE, IS_STOP, LIKE_NUM

    return [IS_ALPHA, LIKE_NUM, IS_PUNCT, IS_SPACE, IS_STOP]


def _is_filler(token: Any) -> bool:
    text = token.text
    return (
        token.is_space
        or token.is_punct
        or text.startswith("@")
        # a signature: "^MW", "-AA", "~Manuel", "*HJB"
        or (text[:1] in "^*~" and 2 <= len(text) <= 13 and text[1:].isalpha())
        or (len(text) <= 4 and text[:1] == "-" and text[1:].isalpha())
    )


#: Words that open a sign-off line ("Regards, Dinesh", "Thanks - Ed").
SIGN_OFFS = {"regards", "rgds", "best", "cheers", "thanks", "thank", "sincerely", "kind", "warm", "many", "ty", "thx"}


def _is_name(token: Any) -> bool:
    return token.is_alpha and (token.is_title or token.is_upper) and len(token) <= 12


def content_bounds(doc: Doc) -> tuple[int, int]:
    first, last = 0, len(doc)
    while first < last and _is_filler(doc[first]):
        first += 1
    while last > first and _is_filler(doc[last - 1]):
        last -= 1
    for _ in range(2):
        cut = _signature_start(doc, first, last)
        if cut is None:
            break
        last = cut
        while last > first and _is_filler(doc[last - 1]):
            last -= 1
    return first, last


def _signature_start(doc: Doc, first: int, last: int) -> int | None:
    """Where a trailing signature starts, if the content ends with one: "^MW" written as two
    tokens, "- Ed" / "-Kim", or a short last line such as "Regards, Dinesh" or "Steven"."""
    if last - first < 2:
        return None
    # "- Ed", "^ MW", "~ Jo Ann": a dash or caret, then one or two names.
    for names in (1, 2):
        mark = last - names - 1
        if (
            mark > first
            and doc[mark].text in {"^", "-", "~", "*", "–", "—"}
            and all(_is_name(doc[i]) for i in range(mark + 1, last))
        ):
            return mark
    # A short final line: a sign-off and/or a name.
    for start in range(last - 1, max(first, last - 6), -1):
        previous = doc[start - 1]
        if (previous.is_space and "\n" in previous.text) or "\n" in previous.whitespace_:
            line = [t for t in doc[start:last] if not t.is_punct and not t.is_space]
            if line and (line[0].lower_ in SIGN_OFFS or all(_is_name(t) for t in line)) and len(line) <= 4:
                return start
            break
    # "Regards, Dinesh." on the same line as the message.
    for start in range(max(first + 1, last - 5), last):
        if doc[start].lower_ in {"regards", "rgds", "sincerely"} and all(
            _is_name(t) or t.is_punct for t in doc[start + 1 : last]
        ):
            return start
    return None


class Detector:
    """Base class of all detector kinds."""

    kind: ClassVar[str]
    #: JSON-Schema properties of this kind's own keys, and which are required.
    properties: ClassVar[dict[str, Any]] = {}
    required: ClassVar[tuple[str, ...]] = ()
    #: JSON-Schema properties of the rule ``options`` this kind reads (set in the rule file,
    #: overridden per team by the config's ``rule_options``): both are checked against it, so
    #: a wrong type is an error at load time, not a crash in the middle of a run.
    option_properties: ClassVar[dict[str, Any]] = {}
    #: Turn-level detectors see one turn at a time; conversation-level ones see all turns.
    conversational: ClassVar[bool] = False
    #: Whether this kind needs lemmas from the pipeline.
    needs_lemmas: ClassVar[bool] = False
    #: Exception-only kinds that judge a match with the whole conversation in view
    #: (see ``detectors/context.py``); they may appear only under ``unless``.
    contextual: ClassVar[bool] = False

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        self.spec = spec
        self.key = ctx.key
        self.message: str | None = spec.get("message")
        self.at: str = spec.get("at", "anywhere")
        self.turn: str = spec.get("turn", "any")
        self.turn_count: int = spec.get("turn_count", 1)
        self.min_count: int = spec.get("min_count", 1)
        self.max_words: int | None = spec.get("max_words")
        self.min_words: int | None = spec.get("min_words")
        self.apply_unless: bool = spec.get("apply_unless", True)

    @classmethod
    def validate_options(cls, options: dict[str, Any]) -> tuple[str, tuple] | None:
        """A problem with ``options`` beyond their schema: (message, key path), or None."""
        return None

    @classmethod
    def uses_lemmas(cls, spec: dict[str, Any]) -> bool:
        return cls.needs_lemmas or any(
            DETECTOR_KINDS[sub["kind"]].uses_lemmas(sub)
            for _, sub in cls.nested_specs(spec)
            if sub.get("kind") in DETECTOR_KINDS
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

    def may_find(self, view: TurnView) -> bool:
        """False when ``find`` surely finds nothing in the turn, known cheaply: a kind that
        reads the shared matchers' results says whether any of its phrases, patterns or
        regular expressions occur, so the many detectors that cannot fire cost nothing."""
        return True

    def triggers(self) -> tuple[frozenset[str], frozenset[int]] | None:
        """The shared matchers' keys and regex ids of which one must occur in a turn for this
        detector to find anything there (what ``may_find`` tests), or None if it may find
        something without (an absence, a measure, a conversation-level check)."""
        return None

    def find_in_turn(self, view: TurnView) -> list[CharSpan]:
        """``find`` with the options every turn-level kind shares: ``max_words``,
        ``min_words`` and ``min_count``. The linter calls this, never ``find`` directly."""
        if not self.may_find(view):
            return []
        if self.max_words is not None and view.word_count() > self.max_words:
            return []
        if self.min_words is not None and view.word_count() < self.min_words:
            return []
        spans = list(self.find(view))
        if len(set(spans)) < self.min_count:
            return []
        return spans

    # Conversation-level kinds implement this: yield (turn index, start, end), optionally
    # followed by a message of the hit's own and a confidence (0-1, learned detectors).
    def find_in_conversation(
        self, conversation: Conversation, views: list[TurnView | None], in_scope: list[bool]
    ) -> Iterable[tuple]:
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


def kinds_in(specs: Iterable[dict[str, Any]]) -> list[type[Detector]]:
    """The detector kinds of ``specs`` and of the detectors nested in them (unknown kinds are
    passed over: the rule's own validation reports them)."""
    found: list[type[Detector]] = []
    for spec in specs:
        cls = DETECTOR_KINDS.get(spec.get("kind")) if isinstance(spec, dict) else None
        if cls is None:
            continue
        if cls not in found:
            found.append(cls)
        found += [k for k in kinds_in(sub for _, sub in cls.nested_specs(spec)) if k not in found]
    return found


def option_properties(specs: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The rule options the detector ``specs`` read, with their schemas."""
    found: dict[str, Any] = {}
    for cls in kinds_in(specs):
        found.update(cls.option_properties)
    return found


def detector_schema(kind: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON-Schema of one detector spec of ``kind``."""
    cls = DETECTOR_KINDS[kind]
    return {
        "type": "object",
        "properties": {**COMMON_PROPERTIES, **cls.properties, **(extra or {})},
        "required": ["kind", *cls.required],
        "additionalProperties": False,
    }


#: Schema of a list of nested (turn-level) detector specs inside a conversation-level kind.
NESTED_LIST = {"type": "array", "minItems": 1, "items": {"type": "object"}}


def nested_lists(spec: dict[str, Any], *keys: str) -> list[tuple[tuple, dict[str, Any]]]:
    """The nested detector specs under ``keys`` of ``spec``, with their paths: the usual
    ``nested_specs`` of a kind whose keys each hold a list of detectors."""
    return [((key, i), sub) for key in keys for i, sub in enumerate(spec.get(key) or [])]


def compile_nested(specs: list[dict[str, Any]], ctx: CompileContext, name: str) -> list[Detector]:
    return [DETECTOR_KINDS[spec["kind"]](spec, ctx.nested(f"{name}{i}")) for i, spec in enumerate(specs)]


def any_match(detectors: list[Detector], view: TurnView) -> list[CharSpan]:
    spans: list[CharSpan] = []
    for detector in detectors:
        spans.extend(detector.find_in_turn(view))
    return spans


def sentence_span(view: TurnView, which: str = "first") -> CharSpan:
    """The first or last sentence of the turn's content (for findings about a whole turn)."""
    first, last = view.content_bounds()
    if first >= last:
        return (0, len(view.text))
    doc = view.doc
    sentences = [s for s in doc.sents if s.end > first and s.start < last]
    sent = sentences[0] if which == "first" else sentences[-1]
    start = max(sent.start, first)
    end = min(sent.end, last)
    # Keep the sentence's own closing punctuation ("Thanks for waiting.").
    while end < sent.end and doc[end].is_punct and not doc[end].is_space and doc[end].text not in "^-~*":
        end += 1
    while end > start and doc[end - 1].is_space:
        end -= 1
    return (doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text))


def content_span(view: TurnView) -> CharSpan:
    first, last = view.content_bounds()
    if first >= last:
        return (0, len(view.text))
    doc = view.doc
    return (doc[first].idx, doc[last - 1].idx + len(doc[last - 1].text))


def register(cls: type[Detector]) -> type[Detector]:
    DETECTOR_KINDS[cls.kind] = cls
    return cls
