"""A trained model on disk (loaded once per linter by ``cslint.learning.store``).

A model is a folder: ``model.json`` (labels, per-label thresholds, how it was trained, the
cross-validated figures) and ``weights.npz`` (the sorted feature ids the model knows, and one
column of weights per label, float32). Loading needs numpy only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from cslint.learning.features import Sentence, turn_sentences

FORMAT = "cslint-model-1"
#: Channels that read alike, for the model's domain: public social-media replies.
CHANNEL_FAMILIES = {"twitter": "social", "facebook": "social", "instagram": "social", "social": "social"}


def channel_family(channel: str | None) -> str:
    return CHANNEL_FAMILIES.get(channel or "", channel or "(none)")


#: Labelled standalone turns (canned replies, drafts) a model must have seen to judge them.
MIN_STANDALONE = 50
META = "model.json"
WEIGHTS = "weights.npz"


class ModelFileError(Exception):
    """A model folder that cannot be read; the message names the file."""


@dataclass
class LinearModel:
    labels: list[str]
    #: Sorted feature ids (uint32) and their weights, shape (features, labels); bias per label.
    feature_ids: np.ndarray
    weights: np.ndarray
    bias: np.ndarray
    thresholds: dict[str, float]
    meta: dict[str, Any] = field(default_factory=dict)
    #: The last conversation scored and its turns' scores: every rule that asks about the same
    #: conversation shares one scoring (a run goes conversation by conversation).
    _memo: tuple[Any, dict[int, tuple[list[Sentence], np.ndarray]]] | None = field(default=None, repr=False)

    def column(self, label: str) -> int | None:
        return self.labels.index(label) if label in self.labels else None

    def score_sentences(self, sentences: list[Sentence]) -> np.ndarray:
        """Probabilities, shape (sentences, labels)."""
        scores = np.tile(self.bias, (len(sentences), 1)).astype(np.float64)
        if not sentences or not len(self.feature_ids):
            return 1.0 / (1.0 + np.exp(-scores))
        # All sentences' features in one lookup: a feature the model does not know adds nothing.
        ids = np.fromiter((f for s in sentences for f in s.features), dtype=np.uint32)
        owner = np.repeat(np.arange(len(sentences)), [len(s.features) for s in sentences])
        at = np.minimum(np.searchsorted(self.feature_ids, ids), len(self.feature_ids) - 1)
        known = self.feature_ids[at] == ids
        np.add.at(scores, owner[known], self.weights[at[known]])
        return 1.0 / (1.0 + np.exp(-scores))

    def score_turn(self, speakers: list[str], texts: list[str], index: int) -> tuple[list[Sentence], np.ndarray]:
        sentences = turn_sentences(speakers, texts, index)
        return sentences, self.score_sentences(sentences)

    def knows_channel(self, channel: str | None) -> bool:
        """Whether the model learned from conversations of this channel's family (a model
        trained on Twitter threads has not learned how an e-mail or a chat reads). A model that
        does not record its channels judges every channel."""
        learned = self.meta.get("trained_on", {}).get("channels")
        return learned is None or channel_family(channel) in learned

    @property
    def knows_standalone(self) -> bool:
        """Whether the model learned from turns with no customer message before them."""
        return int(self.meta.get("trained_on", {}).get("standalone_turns", 0)) >= MIN_STANDALONE

    def scores_for(
        self, conversation: Any, speakers: list[str], texts: list[str], index: int
    ) -> tuple[list[Sentence], np.ndarray]:
        """``score_turn``, computed once per conversation and turn whichever rule asks."""
        if self._memo is None or self._memo[0] is not conversation:
            self._memo = (conversation, {})
        scored = self._memo[1]
        if index not in scored:
            scored[index] = self.score_turn(speakers, texts, index)
        return scored[index]

    def save(self, folder: str | Path) -> None:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            folder / WEIGHTS,
            feature_ids=self.feature_ids.astype(np.uint32),
            weights=self.weights.astype(np.float32),
            bias=self.bias.astype(np.float32),
        )
        meta = {"format": FORMAT, "labels": self.labels, "thresholds": self.thresholds, **self.meta}
        (folder / META).write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def load(folder: str | Path) -> LinearModel:
    folder = Path(folder)
    meta_path = folder / META
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ModelFileError(f"{meta_path}: cannot read: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise ModelFileError(f"{meta_path}: not JSON ({exc})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ModelFileError(f'{meta_path}: not a cslint model (expected "format": "{FORMAT}")')
    weights_path = folder / WEIGHTS
    try:
        with np.load(weights_path) as data:
            feature_ids, weights, bias = data["feature_ids"], data["weights"], data["bias"]
    except (OSError, KeyError, ValueError) as exc:
        raise ModelFileError(f"{weights_path}: cannot read the weights ({exc})") from None
    labels = [str(label) for label in meta.get("labels", [])]
    if weights.shape != (len(feature_ids), len(labels)) or bias.shape != (len(labels),):
        raise ModelFileError(f"{weights_path}: weights do not match the {len(labels)} labels of {META}")
    thresholds = {str(k): float(v) for k, v in (meta.get("thresholds") or {}).items()}
    extra = {k: v for k, v in meta.items() if k not in {"format", "labels", "thresholds"}}
    return LinearModel(labels, feature_ids, weights.astype(np.float64), bias.astype(np.float64), thresholds, extra)
