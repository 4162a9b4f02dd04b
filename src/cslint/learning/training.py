"""Train a model from labelled conversations.

Each labelled agent turn gives one example per sentence. For a label the turn carries, the
sentences its ``evidence`` quotes are positive and its other sentences are left out for that
label (they may or may not show it); without evidence, every sentence is positive with a
weight of 1/sentences (one of them shows it). For labels the turn does not carry, every
sentence is negative. A turn's score for a label is its best sentence's score.

Thresholds are chosen per label by cross-validation inside the training data (folds grouped
by conversation, fixed by the conversation ids): the lowest threshold whose out-of-fold
precision reaches ``min_precision``, i.e. the most recall at that precision; a label that
never reaches it gets the threshold 1.0 (the model stays silent for it).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from cslint.learning import linear
from cslint.learning.data import Key, Label
from cslint.learning.features import Sentence, turn_sentences
from cslint.learning.modelfile import LinearModel, channel_family
from cslint.model import Conversation

#: Labels with fewer positive turns than this are not learned (nothing to generalise from).
MIN_POSITIVES = 5
#: A feature must occur in at least this many training sentences to get a weight.
MIN_FEATURE_COUNT = 2
THRESHOLD_FOLDS = 3
#: Never fire below this score, whatever the out-of-fold precision says.
LOWEST_THRESHOLD = 0.3


@dataclass
class Options:
    min_precision: float = 0.85
    l2: float = 1.0
    iterations: int = 150


@dataclass
class TurnExamples:
    key: Key
    sentences: list[Sentence]
    label: Label
    #: No customer message before this turn.
    standalone: bool = False


def labelled_turns(conversations: Iterable[Conversation], gold: dict[Key, Label]) -> list[TurnExamples]:
    """The sentences of every labelled turn, in a fixed order (by conversation id, turn)."""
    out = []
    for conv in sorted(conversations, key=lambda c: str(c.id)):
        speakers = [t.speaker for t in conv.turns]
        texts = [t.text for t in conv.turns]
        for index in range(len(conv.turns)):
            key = (str(conv.id), index)
            if key in gold:
                standalone = "customer" not in speakers[:index]
                out.append(TurnExamples(key, turn_sentences(speakers, texts, index), gold[key], standalone))
    return out


def _quoted(text_of_turn: str, sentence: Sentence, quotes: tuple[str, ...]) -> bool:
    piece = " ".join(text_of_turn[sentence.start : sentence.end].lower().split())
    for quote in quotes:
        q = " ".join(quote.lower().split())
        if q and (q in piece or piece in q):
            return True
    return False


def training_rows(
    turns: list[TurnExamples], labels: list[str], texts: dict[Key, str]
) -> tuple[list[tuple[int, ...]], np.ndarray, np.ndarray]:
    """Feature rows, targets and weights (0 = left out) for every sentence and label."""
    rows: list[tuple[int, ...]] = []
    targets, weights = [], []
    for turn in turns:
        text = texts[turn.key]
        quoted = [_quoted(text, s, turn.label.evidence) for s in turn.sentences]
        has_quote = any(quoted)
        for sentence, in_quote in zip(turn.sentences, quoted):
            target, weight = [], []
            for label in labels:
                if label not in turn.label.labels:
                    target.append(0.0)
                    weight.append(1.0)
                elif has_quote:
                    target.append(1.0)
                    weight.append(1.0 if in_quote else 0.0)
                else:
                    target.append(1.0)
                    weight.append(1.0 / len(turn.sentences))
            rows.append(sentence.features)
            targets.append(target)
            weights.append(weight)
    return rows, np.array(targets).reshape(-1, len(labels)), np.array(weights).reshape(-1, len(labels))


def fit_weights(
    turns: list[TurnExamples], labels: list[str], texts: dict[Key, str], options: Options
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Feature ids (sorted), weights (features, labels) and biases (labels)."""
    rows, targets, weights = training_rows(turns, labels, texts)
    counts: dict[int, int] = {}
    for row in rows:
        for feature in row:
            counts[feature] = counts.get(feature, 0) + 1
    vocabulary = np.array(sorted(f for f, n in counts.items() if n >= MIN_FEATURE_COUNT), dtype=np.int64)
    position = {int(f): i for i, f in enumerate(vocabulary)}
    bias_column = len(vocabulary)
    indexed = [sorted(position[f] for f in row if f in position) + [bias_column] for row in rows]
    matrix = linear.SparseRows.build(indexed, len(vocabulary) + 1)
    fitted = linear.fit(matrix, targets, weights, l2=options.l2, iterations=options.iterations)
    return vocabulary.astype(np.uint32), fitted[:-1], fitted[-1]


def _fold_of(conversation: str, folds: int) -> int:
    return zlib.crc32(conversation.encode("utf-8")) % folds


def turn_scores(model: LinearModel, turns: list[TurnExamples]) -> np.ndarray:
    """Each turn's best sentence score per label, shape (turns, labels)."""
    out = np.zeros((len(turns), len(model.labels)))
    for i, turn in enumerate(turns):
        if turn.sentences:
            out[i] = model.score_sentences(turn.sentences).max(axis=0)
    return out


def choose_threshold(scores: np.ndarray, truth: np.ndarray, min_precision: float) -> tuple[float, dict]:
    """The lowest threshold at which precision over ``scores`` reaches ``min_precision``."""
    order = np.argsort(-scores, kind="stable")
    hits = np.cumsum(truth[order])
    flagged = np.arange(1, len(order) + 1)
    precision = hits / flagged
    best = None
    for i in range(len(order)):
        if scores[order[i]] < LOWEST_THRESHOLD:
            break
        # A cut between equal scores is not a threshold anyone can set.
        if i + 1 < len(order) and scores[order[i + 1]] == scores[order[i]]:
            continue
        if precision[i] >= min_precision and hits[i] >= 2:
            best = i
    if best is None:
        return 1.0, {"precision": None, "recall": 0.0}
    positives = max(int(truth.sum()), 1)
    return float(scores[order[best]]), {
        "precision": round(float(precision[best]), 4),
        "recall": round(float(hits[best] / positives), 4),
    }


def train(
    conversations: list[Conversation],
    gold: dict[Key, Label],
    options: Options | None = None,
    every_label: bool = False,
) -> LinearModel:
    """A model of the labels with enough examples. ``every_label``: the model stands in for
    the built-in one (cross-validation): it also answers (silently: threshold 1.0) for the
    labels with too few examples and for labels it lacks, so that no rule falls back on a
    model that saw the held-back turns, and the rules' own thresholds apply to it."""
    options = options or Options()
    turns = labelled_turns(conversations, gold)
    texts = {(str(c.id), i): t.text for c in conversations for i, t in enumerate(c.turns)}
    positives: dict[str, int] = {}
    for turn in turns:
        for label in turn.label.labels:
            positives[label] = positives.get(label, 0) + 1
    labels = sorted(label for label, n in positives.items() if n >= MIN_POSITIVES)
    if not labels:
        raise ValueError(f"no label has {MIN_POSITIVES} or more labelled turns to learn from")
    # Out-of-fold turn scores, for the thresholds.
    oof = np.zeros((len(turns), len(labels)))
    folds = np.array([_fold_of(t.key[0], THRESHOLD_FOLDS) for t in turns])
    for fold in range(THRESHOLD_FOLDS):
        inside = [t for t, f in zip(turns, folds) if f != fold]
        if not inside or len(inside) == len(turns):
            continue
        ids, weights, bias = fit_weights(inside, labels, texts, options)
        partial = LinearModel(labels, ids, weights, bias, {})
        held = [i for i, f in enumerate(folds) if f == fold]
        oof[held] = turn_scores(partial, [turns[i] for i in held])
    truth = np.array([[label in t.label.labels for label in labels] for t in turns], dtype=float)
    thresholds, figures = {}, {}
    for j, label in enumerate(labels):
        thresholds[label], figures[label] = choose_threshold(oof[:, j], truth[:, j], options.min_precision)
        figures[label]["positives"] = positives[label]
    ids, weights, bias = fit_weights(turns, labels, texts, options)
    labelled_ids = {t.key[0] for t in turns}
    meta = {
        "trained_on": {
            "turns": len(turns),
            "conversations": len({t.key[0] for t in turns}),
            # Turns with no customer message before them (canned replies, drafts): a model that
            # never saw any has not learned how such text reads, and keeps silent on it.
            "standalone_turns": sum(1 for t in turns if t.standalone),
            # The channel families it learned from (see modelfile.channel_family): it keeps
            # silent on conversations of other channels.
            "channels": sorted({channel_family(c.channel) for c in conversations if str(c.id) in labelled_ids}),
        },
        "options": {"min_precision": options.min_precision, "l2": options.l2, "iterations": options.iterations},
        "threshold_folds": THRESHOLD_FOLDS,
        "out_of_fold": figures,
    }
    if every_label:
        silent = sorted({label for turn in turns for label in turn.label.labels} - set(labels))
        for label in silent:
            thresholds[label] = 1.0
            figures[label] = {"precision": None, "recall": 0.0, "positives": positives[label]}
        labels = labels + silent
        weights = np.hstack([weights, np.zeros((len(ids), len(silent)))])
        bias = np.concatenate([bias, np.full(len(silent), -20.0)])
        meta["exclusive"] = True
    return LinearModel(labels, ids, weights, bias, {k: round(v, 6) for k, v in thresholds.items()}, meta)
