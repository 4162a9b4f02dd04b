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

The same scoring, with cross-validation, is ``cslint evaluate``; this script keeps its
argument order (conversations first) for existing callers.
"""

from __future__ import annotations

import argparse
import json
import sys

from cslint.learning.evaluation import (  # noqa: F401  (CONTRACT_IDS and score: for callers of this script)
    CONTRACT_IDS,
    EvaluationError,
    build_linter,
    render_examples,
    render_table,
    score,
)
from cslint.learning.evaluation import lint as lint_with

Key = tuple[str, int]


def read_labels(path: str) -> dict[Key, set[str]]:
    from cslint.learning.data import DataError
    from cslint.learning.data import read_labels as read

    try:
        return {key: set(label.labels) for key, label in read(path).items()}
    except DataError as exc:
        raise EvaluationError(str(exc)) from None


def lint(conversations_path: str, gold: dict[Key, set[str]], rule_dirs: list[str], select: list[str]):
    """Run cslint's library on the conversations and collect findings per labelled turn."""
    from cslint.learning.data import DataError, read_conversations

    linter = build_linter(rule_dirs, select)
    try:
        conversations = read_conversations(conversations_path)
    except DataError as exc:
        raise EvaluationError(str(exc)) from None
    return lint_with(linter, conversations, gold)


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
