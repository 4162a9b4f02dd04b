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
        self.folders = [str(BUILTIN_MODEL)]
        team = ctx.models
        if team:
            if not (Path(team) / "model.json").is_file():
                raise RuleError(f"models: {team}: no model.json there (build one with 'cslint train')")
            # The team's model is asked first; the built-in one covers the labels it lacks.
            self.folders.insert(0, str(team))
        self._chosen: tuple[Any, int, float] | None = None

    def _model(self) -> tuple[Any, int, float] | None:
        """(model, label column, threshold), loaded on first use (a run whose turns never
        reach this detector never reads a model file)."""
        if self._chosen is None:
            from cslint.learning.modelfile import ModelFileError, load_once

            for i, folder in enumerate(self.folders):
                try:
                    model = load_once(folder)
                except ModelFileError as exc:
                    raise RuleError(str(exc)) from None
                column = model.column(self.label)
                if column is None and model.meta.get("exclusive"):
                    break  # a model that must stand alone (cross-validation): silent for labels it lacks
                if column is not None:
                    own = model.thresholds.get(self.label, 1.0)
                    # A rule's threshold is tuned for the built-in model; a team's model brings its own.
                    is_team = i == 0 and len(self.folders) > 1
                    threshold = own if is_team or self.threshold is None else self.threshold
                    self._chosen = (model, column, threshold)
                    break
            if self._chosen is None:
                self._chosen = (None, -1, 1.0)
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
        speakers = [t.speaker for t in conversation.turns]
        texts = [t.text for t in conversation.turns]
        for index, flag in enumerate(in_scope):
            if not flag:
                continue
            if "customer" not in speakers[:index] and not model.knows_standalone:
                continue  # a canned reply or a draft, and the model only learned replies to customers
            if self.min_words is not None or self.max_words is not None:
                view = views[index]
                words = view.word_count() if view is not None else len(texts[index].split())
                if (self.min_words and words < self.min_words) or (self.max_words and words > self.max_words):
                    continue
            sentences, scores = model.scores_for(conversation, speakers, texts, index)
            if not sentences:
                continue
            best = int(scores[:, column].argmax())
            confidence = float(scores[best, column])
            if confidence >= threshold:
                sentence = sentences[best]
                yield index, sentence.start, sentence.end, None, round(confidence, 3)
