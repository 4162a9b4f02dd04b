#!/usr/bin/env python3
"""Train the model the built-in rules' ``kind: model`` detectors use.

Usage:
  python scripts/train_builtin_models.py --eval-dir EVAL [--output src/cslint/models/builtin]

EVAL is the folder of the labelled evaluation sets: the model learns from the chat sets
``dev`` and ``train`` together (``dev.jsonl`` + ``dev-labels.jsonl``, ``train.jsonl`` +
``train-labels.jsonl``). Training is deterministic (L-BFGS from zero weights, thresholds
chosen on folds fixed by the conversation ids): the same data always gives the same files.
The figures to quote are cross-validated: ``cslint evaluate LABELS CONVERSATIONS --folds 5``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cslint.learning import training
from cslint.learning.data import DataError, check_coverage, read_conversations, read_labels

ROOT = Path(__file__).resolve().parents[1]
SETS = ("dev", "train")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval-dir", required=True, type=Path, help="folder of the labelled evaluation sets")
    parser.add_argument("--output", type=Path, default=ROOT / "src" / "cslint" / "models" / "builtin")
    parser.add_argument("--min-precision", type=float, default=training.Options().min_precision)
    args = parser.parse_args(argv)
    conversations, gold = [], {}
    try:
        for name in SETS:
            found = read_conversations(str(args.eval_dir / f"{name}.jsonl"))
            labels = read_labels(str(args.eval_dir / f"{name}-labels.jsonl"))
            check_coverage(labels, found, str(args.eval_dir / f"{name}-labels.jsonl"))
            conversations += found
            gold.update(labels)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    model = training.train(conversations, gold, training.Options(min_precision=args.min_precision))
    model.meta["trained_on"]["sets"] = [f"{name} (TweetSumm)" for name in SETS]
    model.save(args.output)
    for label in model.labels:
        print(f"{label:15} threshold {model.thresholds[label]:.3f}  out-of-fold {model.meta['out_of_fold'][label]}")
    print(f"wrote {args.output} ({len(model.feature_ids):,} features)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
