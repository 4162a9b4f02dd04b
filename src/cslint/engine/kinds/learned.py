"""Learned kinds: sentences scored by a model trained from labelled conversations
(``cslint train``).

.. code-block:: yaml

    options:
      model_threshold: 0.9     # flag from this score on; a team overrides it in configuration
    detect:
      - kind: model
        label: runaround       # the model's label (default: the rule id)
    unless:
      - kind: model-below      # cancel a pattern's match the model scores below 0.3
        threshold: 0.3

``kind: model`` flags a turn whose best sentence scores at least the threshold: the rule
option ``model_threshold``, else ``threshold`` on the detector, else the one the model chose by
cross-validation. The finding's span is that sentence and it carries the score as its
``confidence``. ``kind: model-below`` (only under ``unless``) is a learned veto: it cancels a
match when the model scores the turn below ``threshold`` (else the rule option
``model_veto_threshold``). The built-in rules use the model shipped with cslint; ``--models DIR``
(config ``models``) puts a team's own model first for every label it has. Turns a model has no
opinion on (a channel or a kind of turn it never learned) are left alone by both kinds.

These kinds are adapters: features, training and the model file live in ``cslint.learning``;
the models are read through the linter's ``ModelStore`` (``ctx.models``), once per linter.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any, ClassVar

from cslint.engine.kinds.base import CompileContext, Hit, Kind
from cslint.engine.kinds.context import ConversationCondition
from cslint.engine.views import ConversationView
from cslint.engine.views.turn import content_span
from cslint.errors import RuleError

#: A score between 0 (exclusive) and 1.
_SCORE: Mapping[str, Any] = MappingProxyType({"type": "number", "exclusiveMinimum": 0, "maximum": 1})
_LABEL: Mapping[str, Any] = MappingProxyType({"type": "string", "minLength": 1})


def judges(model: Any, channel: str | None, speakers_before: list[str]) -> bool:
    """Whether ``model`` has an opinion on a turn of ``channel`` after ``speakers_before``
    (pass all of a conversation's speakers to ask about any of its turns)."""
    if not model.knows_channel(channel):
        return False  # e.g. an e-mail, and the model learned from Twitter threads
    # A canned reply or a draft, and the model only learned replies to customers:
    return model.knows_standalone or "customer" in speakers_before


def turn_score(
    resolved: Any, conversation: ConversationView, index: int, speakers: list[str] | None = None
) -> tuple[Any, float] | None:
    """The best sentence of the turn at ``index`` and its score, or None when the model has
    no opinion (no sentence, or a turn of a kind it never learned). ``speakers``: the
    conversation's, when the caller scores several of its turns."""
    model, column = resolved.model, resolved.column
    conv = conversation.conversation
    if speakers is None:
        speakers = [t.speaker for t in conv.turns]
    if not judges(model, conv.channel, speakers[:index]):
        return None
    texts = [t.text for t in conv.turns]
    sentences, scores = model.scores_for(conv, speakers, texts, index)
    if not sentences:
        return None
    best = int(scores[:, column].argmax())
    return sentences[best], float(scores[best, column])


class _Learned:
    """What both learned kinds share: the label, the threshold and the lazily chosen model."""

    def __init__(self, spec: dict[str, Any], ctx: CompileContext, threshold: float | None, own: bool) -> None:
        if ctx.models is None:
            raise RuleError("learned kinds need the linter's model store")
        self.label: str = spec.get("label", ctx.rule_id)
        self.threshold = threshold
        self.store = ctx.models
        self.use_own_threshold = own
        self._resolved: Any = None
        self._looked = False
        from cslint.learning.modelfile import ModelFileError

        try:
            self.store.check_team_model()
        except ModelFileError as exc:
            raise RuleError(str(exc)) from None

    def preload(self) -> None:
        """The model, and the sentiment lexicon its features read from customer turns."""
        from cslint.learning import frustration

        self.resolved()
        frustration.lexicon()

    def resolved(self) -> Any:
        from cslint.learning.modelfile import ModelFileError

        if not self._looked:
            try:
                self._resolved = self.store.resolve(self.label, self.threshold, self.use_own_threshold)
            except ModelFileError as exc:
                raise RuleError(str(exc)) from None
            self._looked = True
        return self._resolved


class ModelKind(Kind):
    kind = "model"
    conversational = True
    properties: ClassVar[Mapping[str, Any]] = MappingProxyType({"label": _LABEL, "threshold": _SCORE})
    option_properties: ClassVar[Mapping[str, Any]] = MappingProxyType({"model_threshold": _SCORE})

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        threshold = ctx.options.get("model_threshold", spec.get("threshold"))
        self.learned = _Learned(spec, ctx, threshold, own=True)

    def message_fields(self) -> dict[str, object]:
        return {**super().message_fields(), "threshold": self.learned.threshold}

    def preload(self) -> None:
        self.learned.preload()

    def find_in_conversation(self, conversation: ConversationView, in_scope: list[bool]) -> Iterator[Hit]:
        if not any(in_scope):
            return
        resolved = self.learned.resolved()
        if resolved is None:
            return
        conv = conversation.conversation
        speakers = [t.speaker for t in conv.turns]
        if not judges(resolved.model, conv.channel, speakers):
            return  # the model has no opinion on any turn of it
        views = conversation.turns
        texts = [t.text for t in conv.turns]
        for index, flag in enumerate(in_scope):
            if not flag or not self._length_ok(views[index], texts[index]):
                continue
            scored = turn_score(resolved, conversation, index, speakers)
            if scored is not None and scored[1] >= resolved.threshold:
                sentence, confidence = scored
                start, end = _within_content(views[index], texts[index], sentence.start, sentence.end)
                yield Hit(index, start, end, None, round(confidence, 3))

    def _length_ok(self, view: Any, text: str) -> bool:
        """``min_words`` / ``max_words`` for a turn (counted by whitespace when not analysed)."""
        if self.min_words is None and self.max_words is None:
            return True
        words = view.word_count() if view is not None else len(text.split())
        return not ((self.min_words and words < self.min_words) or (self.max_words and words > self.max_words))


def _within_content(view: Any, text: str, start: int, end: int) -> tuple[int, int]:
    """The model's sentence without what the turn's content leaves out: the leading @mentions
    and a trailing signature ("@werisein2015 Please submit a request … *TB" is "Please submit a
    request …"). Its closing punctuation stays; so does a sentence that is all filler."""
    if view is None:
        return start, end
    low, high = content_span(view)
    clipped_start = max(start, low)
    clipped_end = end if not any(c.isalnum() for c in text[high:end]) else max(high, clipped_start)
    if clipped_start >= clipped_end:
        return start, end
    return clipped_start, clipped_end


class ModelBelow(ConversationCondition):
    """Cancel a pattern's match when the model scores the turn below the threshold for the
    rule's label: the words matched, but nothing else in the turn or the conversation looks
    like the anti-pattern (a learned veto for patterns that over-fire)."""

    kind = "model-below"
    properties: ClassVar[Mapping[str, Any]] = MappingProxyType({"label": _LABEL, "threshold": _SCORE})
    option_properties: ClassVar[Mapping[str, Any]] = MappingProxyType({"model_veto_threshold": _SCORE})

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        threshold = ctx.options.get("model_veto_threshold", spec.get("threshold"))
        if threshold is None:
            raise RuleError("model-below needs a threshold: 'threshold', or the rule option 'model_veto_threshold'")
        # The veto's threshold is the rule's, whichever model answers.
        self.learned = _Learned(spec, ctx, float(threshold), own=False)

    def preload(self) -> None:
        self.learned.preload()

    def cancels(self, conversation: ConversationView, ti: int, matched: str) -> bool:
        resolved = self.learned.resolved()
        if resolved is None:
            return False
        scored = turn_score(resolved, conversation, ti)
        return scored is not None and scored[1] < resolved.threshold


#: The learned kinds.
LEARNED_KINDS: tuple[type[Kind], ...] = (ModelKind, ModelBelow)
