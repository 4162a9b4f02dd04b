"""``kind: model`` — a learned signal: sentences scored by a model trained from labelled
conversations (``cslint train``), flagged when the score reaches a threshold.

.. code-block:: yaml

    - kind: model
      label: runaround       # the model's label (default: the rule id)
      threshold: 0.8         # default: the threshold the model chose by cross-validation

The built-in rules use the model shipped with cslint; ``--models DIR`` (config ``models``)
puts a team's own model first for every label it has. The finding's span is the sentence
with the highest score, and the finding carries that score as its ``confidence``. This is an
adapter: features, training and the model file live in ``cslint.learning``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cslint.engine.detectors.base import CompileContext, Detector, TurnView, register
from cslint.errors import RuleError
from cslint.model import Conversation

BUILTIN_MODEL = Path(__file__).resolve().parents[2] / "models" / "builtin"


def _folders(ctx: CompileContext) -> list[str]:
    """The model folders to ask, in order: the team's (``--models``), then the built-in one."""
    folders = [str(BUILTIN_MODEL)]
    team = ctx.models
    if team:
        if not (Path(team) / "model.json").is_file():
            raise RuleError(f"models: {team}: no model.json there (build one with 'cslint train')")
        folders.insert(0, str(team))
    return folders


def _resolve(
    folders: list[str], label: str, threshold: float | None, use_own_threshold: bool
) -> tuple[Any, int, float]:
    """(model, label column, threshold) from the first folder whose model has ``label``, read
    on first use (a run whose turns never reach a learned detector never reads a model file);
    (None, -1, 1.0) when none has it."""
    from cslint.learning.modelfile import ModelFileError, load_once

    for i, folder in enumerate(folders):
        try:
            model = load_once(folder)
        except ModelFileError as exc:
            raise RuleError(str(exc)) from None
        column = model.column(label)
        if column is None and model.meta.get("exclusive"):
            break  # a model that must stand alone (cross-validation): silent for labels it lacks
        if column is not None:
            # A rule's threshold is tuned for the built-in model; a team's model brings its own.
            # A model that stands in for the built-in one (cross-validation) takes the rule's.
            is_team = i == 0 and len(folders) > 1 and not model.meta.get("exclusive")
            if threshold is None or (is_team and use_own_threshold):
                threshold = model.thresholds.get(label, 1.0)
            return model, column, float(threshold)
    return None, -1, 1.0


def turn_score(model: Any, column: int, conversation: Conversation, index: int) -> tuple[Any, float] | None:
    """The best sentence of the turn at ``index`` and its score, or None when the model has
    no opinion (no sentence, or a standalone turn of a kind it never learned)."""
    if not model.knows_channel(conversation.channel):
        return None  # e.g. an e-mail, and the model learned from Twitter threads
    speakers = [t.speaker for t in conversation.turns]
    if "customer" not in speakers[:index] and not model.knows_standalone:
        return None  # a canned reply or a draft, and the model only learned replies to customers
    texts = [t.text for t in conversation.turns]
    sentences, scores = model.scores_for(conversation, speakers, texts, index)
    if not sentences:
        return None
    best = int(scores[:, column].argmax())
    return sentences[best], float(scores[best, column])


@register
class ModelDetector(Detector):
    kind = "model"
    conversational = True
    properties = {
        "label": {"type": "string", "minLength": 1},
        "threshold": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
    }

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        self.label: str = spec.get("label", ctx.rule_id)
        self.threshold: float | None = spec.get("threshold")
        self.folders = _folders(ctx)
        self._chosen: tuple[Any, int, float] | None = None

    def _model(self) -> tuple[Any, int, float] | None:
        if self._chosen is None:
            self._chosen = _resolve(self.folders, self.label, self.threshold, use_own_threshold=True)
        return None if self._chosen[0] is None else self._chosen

    def find_in_conversation(
        self, conversation: Conversation, views: list[TurnView | None], in_scope: list[bool]
    ) -> Iterable[tuple]:
        if not any(in_scope):
            return
        chosen = self._model()
        if chosen is None:
            return
        model, column, threshold = chosen
        texts = [t.text for t in conversation.turns]
        for index, flag in enumerate(in_scope):
            if not flag:
                continue
            if self.min_words is not None or self.max_words is not None:
                view = views[index]
                words = view.word_count() if view is not None else len(texts[index].split())
                if (self.min_words and words < self.min_words) or (self.max_words and words > self.max_words):
                    continue
            scored = turn_score(model, column, conversation, index)
            if scored is not None and scored[1] >= threshold:
                sentence, confidence = scored
                yield index, sentence.start, sentence.end, None, round(confidence, 3)


@register
class ModelBelow(Detector):
    """``unless: [{kind: model-below, threshold: 0.2}]`` — cancel a pattern's match when the
    model scores the turn below the threshold for the rule's label: the words matched, but
    nothing else in the turn or the conversation looks like the anti-pattern (a learned veto
    for patterns that over-fire). Turns the model has no opinion on are left alone."""

    kind = "model-below"
    contextual = True
    properties = {
        "label": {"type": "string", "minLength": 1},
        "threshold": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
    }
    required = ("threshold",)

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        self.label: str = spec.get("label", ctx.rule_id)
        self.threshold: float = spec["threshold"]
        self.folders = _folders(ctx)
        self._chosen: tuple[Any, int, float] | None = None

    def find(self, view: TurnView) -> Iterable[tuple[int, int]]:  # never used as a detector
        return []

    def cancels(self, conversation: Conversation, ti: int, matched: str) -> bool:
        if self._chosen is None:
            # The veto's threshold is the rule's, whichever model answers.
            self._chosen = _resolve(self.folders, self.label, self.threshold, use_own_threshold=False)
        model, column, threshold = self._chosen
        if model is None:
            return False
        scored = turn_score(model, column, conversation, ti)
        return scored is not None and scored[1] < threshold
