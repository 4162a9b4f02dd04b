"""Score cslint against labelled turns, plainly or cross-validated.

Counting (the same as the evaluation sets' own scorer): a labelled turn counts as flagged for
a rule when at least one finding of that rule has the same conversation id and turn index.
Only labelled turns are scored; findings on other turns are counted but not scored.

Cross-validation splits the conversations into K folds at random (``seed``). For each fold, a
model is trained on the labelled turns of the other folds and the rules run with it (instead
of the built-in model, which saw every labelled turn) on the held-back fold. Patterns have no
training: for a rule made only of patterns each fold is a plain score of its conversations.
"""

from __future__ import annotations

import math
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cslint.learning.data import Key, Label
from cslint.model import Conversation

#: The rule ids the evaluation sets are labelled with (DESIGN.md §1, a contract).
CONTRACT_IDS = (
    "apathy",
    "brush-off",
    "coldness",
    "condescension",
    "jargon",
    "robotism",
    "rulebook",
    "runaround",
    "blame",
    "empty-apology",
    "asks-again",
)


class EvaluationError(Exception):
    """An input that cannot be evaluated; the message names the file (and line)."""


@dataclass
class RuleScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    false_positives: list[Key] = field(default_factory=list)
    misses: list[Key] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: RuleScore) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.false_positives.extend(other.false_positives)
        self.misses.extend(other.misses)

    def as_dict(self) -> dict:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass
class Evaluation:
    rules: dict[str, RuleScore]
    turns: int
    outside: int

    @property
    def micro(self) -> RuleScore:
        total = RuleScore()
        for s in self.rules.values():
            total.add(s)
        return total

    def as_dict(self) -> dict:
        micro = self.micro.as_dict()
        micro.update(turns=self.turns, findings_outside_labelled_turns=self.outside)
        # No prediction and no label at all: report 0.0, as the evaluation scorer does.
        for name in ("precision", "recall", "f1"):
            micro[name] = micro[name] or 0.0
        return {"rules": {rule: s.as_dict() for rule, s in self.rules.items()}, "micro": micro}


def score(
    gold: dict[Key, set[str]] | dict[Key, Label],
    predicted: dict[Key, set[str]],
    outside: int = 0,
    rule_ids: Iterable[str] = CONTRACT_IDS,
) -> Evaluation:
    """Per-rule confusion counts over the labelled turns."""
    wanted = {key: (v.labels if isinstance(v, Label) else v) for key, v in gold.items()}
    rules = {}
    for rule in rule_ids:
        s = RuleScore()
        for key, labels in wanted.items():
            hit, want = rule in predicted.get(key, ()), rule in labels
            if hit and want:
                s.tp += 1
            elif hit:
                s.fp += 1
                s.false_positives.append(key)
            elif want:
                s.fn += 1
                s.misses.append(key)
        rules[rule] = s
    return Evaluation(rules, len(wanted), outside)


@dataclass
class LintRun:
    predicted: dict[Key, set[str]]
    #: (conversation, turn) -> turn text, for showing examples
    texts: dict[Key, str]
    #: (conversation, turn, rule) -> flagged passages
    passages: dict[tuple[str, int, str], list[str]]
    outside: int
    #: the ids of the rules that ran (examples skip rules that did not run: all misses)
    rule_ids: set[str] = field(default_factory=set)

    def absorb(self, other: LintRun) -> None:
        """Add another run's turns and findings (the folds of a cross-validation, which
        share no conversation)."""
        for key, rules in other.predicted.items():
            self.predicted[key].update(rules)
        self.texts.update(other.texts)
        for where, passages in other.passages.items():
            self.passages[where].extend(passages)
        self.outside += other.outside
        self.rule_ids |= other.rule_ids


def empty_run() -> LintRun:
    return LintRun(defaultdict(set), {}, defaultdict(list), 0)


def build_linter(rule_dirs: Sequence[str], select: Sequence[str], models: str | None = None) -> Any:
    from cslint.engine.linter import Linter
    from cslint.errors import CslintError
    from cslint.ruleset import load_rules, select_rules

    loaded = load_rules(list(rule_dirs))
    if loaded.errors:
        raise EvaluationError("\n".join(str(e) for e in loaded.errors))
    try:
        rules = select_rules(loaded.rules, select)
    except CslintError as exc:
        raise EvaluationError(str(exc)) from None
    try:
        linter = Linter(rules, models=models)
    except CslintError as exc:
        raise EvaluationError(str(exc)) from None
    if linter.errors:
        raise EvaluationError("\n".join(str(e) for e in linter.errors))
    return linter


def lint(linter: Any, conversations: Iterable[Conversation], gold: dict[Key, Any]) -> LintRun:
    """Run ``linter`` on the conversations and collect findings per labelled turn."""
    run = empty_run()
    run.rule_ids = {c.id for c in linter.compiled}
    for conversation, findings in linter.lint(conversations):
        for index, turn in enumerate(conversation.turns):
            run.texts[(str(conversation.id), index)] = turn.text
        for finding in findings:
            key = (str(finding.conversation), int(finding.turn))
            if key in gold:
                run.predicted[key].add(finding.rule)
                run.passages[(key[0], key[1], finding.rule)].append(finding.text)
            else:
                run.outside += 1
    return run


@dataclass
class CrossValidation:
    folds: list[Evaluation]
    #: What the folds were grouped by (``grouping.GROUPINGS``).
    group_by: str = "conversation"
    #: Every held-back fold's findings and texts together: each turn as the model that never
    #: saw it judged it, for ``--show``.
    held_back: LintRun = field(default_factory=empty_run)

    def pooled(self) -> Evaluation:
        """Counts summed over the held-back folds (every labelled turn scored once)."""
        rules: dict[str, RuleScore] = {}
        for evaluation in self.folds:
            for rule, s in evaluation.rules.items():
                rules.setdefault(rule, RuleScore()).add(s)
        return Evaluation(rules, sum(e.turns for e in self.folds), sum(e.outside for e in self.folds))

    def spread(self, rule: str | None, metric: str) -> tuple[float | None, float | None]:
        """Mean and standard deviation of ``metric`` over the folds where it is defined
        (``rule`` None: the micro average)."""
        values = [getattr(e.micro if rule is None else e.rules[rule], metric) for e in self.folds]
        defined = [v for v in values if v is not None]
        if not defined:
            return None, None
        mean = sum(defined) / len(defined)
        return mean, math.sqrt(sum((v - mean) ** 2 for v in defined) / len(defined))

    def as_dict(self) -> dict:
        pooled = self.pooled().as_dict()
        out: dict[str, Any] = {
            "folds": len(self.folds),
            "group_by": self.group_by,
            "pooled": pooled,
            "by_fold": [e.as_dict() for e in self.folds],
        }
        summary: dict[str, Any] = {}
        for rule in [*self.folds[0].rules, None]:
            entry = {}
            for metric in ("precision", "recall", "f1"):
                mean, sd = self.spread(rule, metric)
                entry[metric] = {"mean": mean, "sd": sd}
            summary[rule or "micro"] = entry
        out["mean_sd"] = summary
        return out


def cross_validate(
    conversations: list[Conversation],
    gold: dict[Key, Label],
    rule_dirs: Sequence[str],
    select: Sequence[str],
    folds: int,
    seed: int,
    train_options: Any = None,
    progress: Any = None,
    group_by: str = "conversation",
) -> CrossValidation:
    from cslint.learning import training
    from cslint.learning.grouping import assign_folds

    fold_of = assign_folds(conversations, folds, seed, group_by)
    results = []
    held_back = empty_run()
    for fold in range(folds):
        inside = [c for c in conversations if fold_of[str(c.id)] != fold]
        held = [c for c in conversations if fold_of[str(c.id)] == fold]
        inside_gold = {k: v for k, v in gold.items() if fold_of.get(k[0], -1) != fold}
        held_gold = {k: v for k, v in gold.items() if fold_of.get(k[0], -1) == fold}
        if progress:
            progress(f"fold {fold + 1}/{folds}: training on {len(inside_gold)} turns, scoring {len(held_gold)}")
        model = training.train(inside, inside_gold, train_options, every_label=True)
        with tempfile.TemporaryDirectory(prefix="cslint-fold-") as folder:
            model.save(folder)
            linter = build_linter(rule_dirs, select, models=folder)
            run = lint(linter, held, held_gold)
        results.append(score(held_gold, run.predicted, run.outside))
        held_back.absorb(run)
    return CrossValidation(results, group_by, held_back)


def _fmt(value: float | None) -> str:
    return "   -  " if value is None else f"{value:6.3f}"


def render_table(evaluation: Evaluation, out: Any) -> None:
    print(f"{'rule':15} {'TP':>4} {'FP':>4} {'FN':>4} {'prec':>6} {'recall':>6} {'F1':>6}", file=out)
    for rule, s in evaluation.rules.items():
        print(f"{rule:15} {s.tp:4} {s.fp:4} {s.fn:4} {_fmt(s.precision)} {_fmt(s.recall)} {_fmt(s.f1)}", file=out)
    m = evaluation.micro
    print(
        f"{'micro':15} {m.tp:4} {m.fp:4} {m.fn:4} {_fmt(m.precision or 0.0)} {_fmt(m.recall or 0.0)} {_fmt(m.f1 or 0.0)}",
        file=out,
    )
    print(f"labelled agent turns: {evaluation.turns}; findings on other turns: {evaluation.outside}", file=out)


def _mean_sd(cv: CrossValidation, rule: str | None, metric: str) -> str:
    mean, sd = cv.spread(rule, metric)
    return "      -      " if mean is None or sd is None else f"{mean:5.3f} ± {sd:5.3f}"


def render_cross_validation(cv: CrossValidation, out: Any) -> None:
    """Per rule: mean ± standard deviation over the folds, and the pooled counts."""
    print(f"{len(cv.folds)}-fold cross-validation, folds grouped by {cv.group_by}", file=out)
    print(
        f"{'rule':15} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>13} {'recall':>13} {'F1':>13}",
        file=out,
    )
    pooled = cv.pooled()
    for rule, s in [*pooled.rules.items(), ("micro", pooled.micro)]:
        key = None if rule == "micro" else rule
        cells = " ".join(f"{_mean_sd(cv, key, m):>13}" for m in ("precision", "recall", "f1"))
        print(f"{rule:15} {s.tp:4} {s.fp:4} {s.fn:4} {cells}", file=out)
    print(
        f"labelled agent turns: {pooled.turns}; findings on other turns: {pooled.outside}; "
        "TP/FP/FN summed over the held-back folds",
        file=out,
    )


def examples(evaluation: Evaluation, run: LintRun, limit: int) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Per rule that ran, up to ``limit`` false positives (with the flagged words) and misses:
    ``{rule: {"false_positives": [...], "misses": [...]}}``, each ``{"conversation", "turn",
    "text"}`` plus ``"flagged"`` for a false positive."""
    shown: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for rule, s in evaluation.rules.items():
        if rule not in run.rule_ids:
            continue
        entry: dict[str, list[dict[str, Any]]] = {"false_positives": [], "misses": []}
        for name, keys in (("false_positives", s.false_positives), ("misses", s.misses)):
            for key in keys[:limit]:
                example: dict[str, Any] = {"conversation": key[0], "turn": key[1], "text": run.texts.get(key)}
                if name == "false_positives":
                    example["flagged"] = run.passages.get((key[0], key[1], rule), [])
                entry[name].append(example)
        shown[rule] = entry
    return shown


def render_examples(evaluation: Evaluation, run: LintRun, limit: int, out: Any) -> None:
    """False positives (with the flagged words) and misses, up to ``limit`` of each per rule."""
    for rule, entry in examples(evaluation, run, limit).items():
        for name, kind in (("false_positives", "false positive"), ("misses", "missed")):
            for example in entry[name]:
                print(f"\n[{rule}] {kind}: {example['conversation']} turn {example['turn']}", file=out)
                if example.get("flagged"):
                    print("  flagged: " + " | ".join(f"“{p}”" for p in example["flagged"]), file=out)
                text = example["text"] if example["text"] is not None else "(turn not found in the conversations)"
                print("  " + text.replace("\n", "\n  "), file=out)
