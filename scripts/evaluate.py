#!/usr/bin/env python3
"""Measure rule quality against a labelled set of conversations.

Usage:
  python scripts/evaluate.py CONVERSATIONS.jsonl LABELS.jsonl [--rules DIR] [--select RULES]
                             [--show N] [--json]

CONVERSATIONS is any input cslint reads (native JSON/JSONL, chat logs, ...). LABELS has one
JSON object per labelled agent turn: {"conversation": ID, "turn": INDEX, "labels": [...]}.

Counting (the same as the evaluation set's own scorer): a labelled turn counts as flagged for
a rule when at least one finding of that rule has the same conversation id and turn index.
Only labelled turns are scored; findings on other turns are counted but not scored. Scores
are given for the contract rule ids and micro-averaged over them.

Exit status: 0 when scored, 2 when an input, a label file or a rule could not be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

#: The rule ids the evaluation sets are labelled with (a contract with the labelled sets).
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

Key = tuple[str, int]


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
        for score in self.rules.values():
            total.tp += score.tp
            total.fp += score.fp
            total.fn += score.fn
        return total

    def as_dict(self) -> dict:
        micro = self.micro.as_dict()
        micro.update(turns=self.turns, findings_outside_labelled_turns=self.outside)
        # No prediction and no label at all: report 0.0, as the evaluation scorer does.
        for name in ("precision", "recall", "f1"):
            micro[name] = micro[name] or 0.0
        return {"rules": {rule: s.as_dict() for rule, s in self.rules.items()}, "micro": micro}


def read_labels(path: str) -> dict[Key, set[str]]:
    gold: dict[Key, set[str]] = {}
    try:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                    gold[(str(row["conversation"]), int(row["turn"]))] = set(row["labels"])
                except (ValueError, KeyError, TypeError) as exc:
                    raise EvaluationError(
                        f"{path}:{number}: not a label row ({exc}); expected "
                        '{"conversation": ID, "turn": N, "labels": [...]}'
                    ) from None
    except OSError as exc:
        raise EvaluationError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return gold


def score(
    gold: dict[Key, set[str]], predicted: dict[Key, set[str]], outside: int = 0, rule_ids: Iterable[str] = CONTRACT_IDS
) -> Evaluation:
    """Per-rule confusion counts over the labelled turns."""
    rules = {}
    for rule in rule_ids:
        s = RuleScore()
        for key, labels in gold.items():
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
    return Evaluation(rules, len(gold), outside)


@dataclass
class LintRun:
    predicted: dict[Key, set[str]]
    #: (conversation, turn) -> turn text, for --show
    texts: dict[Key, str]
    #: (conversation, turn, rule) -> flagged passages, for --show
    passages: dict[tuple[str, int, str], list[str]]
    outside: int
    #: the ids of the rules that ran (--show skips rules that did not run: all misses)
    rule_ids: set[str] = field(default_factory=set)


def lint(conversations_path: str, gold: dict[Key, set[str]], rule_dirs: list[str], select: list[str]) -> LintRun:
    """Run cslint's library on the conversations and collect findings per labelled turn."""
    from cslint.engine.linter import Linter
    from cslint.errors import CslintError
    from cslint.model import InputError
    from cslint.readers import ReadOptions, collect_inputs, read_source
    from cslint.ruleset import load_rules, select_rules

    loaded = load_rules(rule_dirs)
    if loaded.errors:
        raise EvaluationError("\n".join(str(e) for e in loaded.errors))
    try:
        rules = select_rules(loaded.rules, select)
    except CslintError as exc:
        raise EvaluationError(str(exc)) from None
    linter = Linter(rules)
    if linter.errors:
        raise EvaluationError("\n".join(str(e) for e in linter.errors))

    inputs = collect_inputs([conversations_path])
    problems = [str(e) for e in inputs.errors]

    def conversations():
        options = ReadOptions()
        for source in inputs.sources:
            for item in read_source(source, options):
                if isinstance(item, InputError):
                    problems.append(str(item))
                else:
                    yield item

    run = LintRun(defaultdict(set), {}, defaultdict(list), 0, {c.id for c in linter.compiled})
    for conversation, findings in linter.lint(conversations()):
        for index, turn in enumerate(conversation.turns):
            run.texts[(str(conversation.id), index)] = turn.text
        for finding in findings:
            key = (str(finding.conversation), int(finding.turn))
            if key in gold:
                run.predicted[key].add(finding.rule)
                run.passages[(key[0], key[1], finding.rule)].append(finding.text)
            else:
                run.outside += 1
    if problems:
        raise EvaluationError("\n".join(problems))
    return run


def _fmt(value: float | None) -> str:
    return "   -  " if value is None else f"{value:6.3f}"


def render_table(evaluation: Evaluation, out) -> None:
    print(f"{'rule':15} {'TP':>4} {'FP':>4} {'FN':>4} {'prec':>6} {'recall':>6} {'F1':>6}", file=out)
    for rule, s in evaluation.rules.items():
        print(f"{rule:15} {s.tp:4} {s.fp:4} {s.fn:4} {_fmt(s.precision)} {_fmt(s.recall)} {_fmt(s.f1)}", file=out)
    m = evaluation.micro
    print(
        f"{'micro':15} {m.tp:4} {m.fp:4} {m.fn:4} {_fmt(m.precision or 0.0)} {_fmt(m.recall or 0.0)} {_fmt(m.f1 or 0.0)}",
        file=out,
    )
    print(f"labelled agent turns: {evaluation.turns}; findings on other turns: {evaluation.outside}", file=out)


def render_examples(evaluation: Evaluation, run: LintRun, limit: int, out) -> None:
    """False positives (with the flagged words) and misses, up to ``limit`` of each per rule."""
    for rule, s in evaluation.rules.items():
        if rule not in run.rule_ids:
            continue
        for kind, keys in (("false positive", s.false_positives), ("missed", s.misses)):
            for key in keys[:limit]:
                print(f"\n[{rule}] {kind}: {key[0]} turn {key[1]}", file=out)
                flagged = run.passages.get((key[0], key[1], rule))
                if flagged:
                    print("  flagged: " + " | ".join(f"“{p}”" for p in flagged), file=out)
                print(
                    "  " + run.texts.get(key, "(turn not found in the conversations)").replace("\n", "\n  "), file=out
                )


def _split(values: list[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def main(argv: list[str] | None = None, out=None) -> int:
    out = out or sys.stdout
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], epilog="Counting matches the evaluation set's score.py."
    )
    parser.add_argument("conversations", help="the conversations to lint (any format cslint reads)")
    parser.add_argument("labels", help="JSONL of labelled agent turns")
    parser.add_argument(
        "--rules",
        action="append",
        default=[],
        metavar="DIR",
        help="add a folder of custom rules (repeatable); a rule with a built-in id replaces it",
    )
    parser.add_argument(
        "--select",
        action="append",
        default=[],
        metavar="RULES",
        help="run only these rule ids or categories (comma-separated)",
    )
    parser.add_argument(
        "--show",
        type=int,
        default=0,
        metavar="N",
        help="print up to N false positives and N misses per rule, with the turn text",
    )
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args(argv)

    try:
        gold = read_labels(args.labels)
        run = lint(args.conversations, gold, args.rules, _split(args.select))
    except EvaluationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    evaluation = score(gold, run.predicted, run.outside)
    if args.json:
        json.dump(evaluation.as_dict(), out, indent=2)
        print(file=out)
    else:
        render_table(evaluation, out)
    if args.show and not args.json:
        render_examples(evaluation, run, args.show, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
