"""What ``cslint evaluate`` and ``cslint train`` do, apart from parsing their options.

Both return an exit status: 0 done, 2 when an input, a label file, a rule or a model could not
be read (one line naming the file on standard error, no traceback).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from cslint.learning.data import DataError, check_coverage, read_conversations, read_labels

if TYPE_CHECKING:
    from cslint.learning.evaluation import Evaluation, LintRun


@dataclass
class EvaluateRequest:
    labels: str
    conversations: str
    folds: int = 0
    seed: int = 0
    output_format: str = "text"
    rule_dirs: Sequence[str] = ()
    select: Sequence[str] = ()
    models: str | None = None
    show: int = 0
    group_by: str = "conversation"


def run_evaluate(request: EvaluateRequest, out: TextIO, err: Callable[[str], None]) -> int:
    from cslint.learning import evaluation, training

    try:
        gold = read_labels(request.labels)
        conversations = read_conversations(request.conversations)
        check_coverage(gold, conversations, request.labels)
        if request.folds:
            cv = evaluation.cross_validate(
                conversations,
                gold,
                request.rule_dirs,
                request.select,
                request.folds,
                request.seed,
                training.Options(),
                progress=err if request.output_format == "text" else None,
                group_by=request.group_by,
            )
            _write_scores(
                request, out, cv.as_dict, lambda o: evaluation.render_cross_validation(cv, o), cv.pooled(), cv.held_back
            )
            return 0
        linter = evaluation.build_linter(request.rule_dirs, request.select, request.models)
        run = evaluation.lint(linter, conversations, gold)
    except (DataError, evaluation.EvaluationError, ValueError) as exc:
        for line in str(exc).splitlines():
            err(f"error: {line}")
        return 2
    result = evaluation.score(gold, run.predicted, run.outside)
    _write_scores(request, out, result.as_dict, lambda o: evaluation.render_table(result, o), result, run)
    return 0


def _write_scores(
    request: EvaluateRequest,
    out: TextIO,
    as_dict: Callable[[], dict],
    render: Callable[[TextIO], None],
    scored: Evaluation,
    run: LintRun,
) -> None:
    """The scores as JSON (``as_dict``) or as a table (``render``), and with ``--show`` the
    false positives and misses of ``scored`` (an ``Evaluation``) with the turns of ``run``."""
    from cslint.learning import evaluation

    if request.output_format == "json":
        doc = as_dict()
        if request.show:
            doc["examples"] = evaluation.examples(scored, run, request.show)
        json.dump(doc, out, indent=2)
        print(file=out)
    else:
        render(out)
        if request.show:
            evaluation.render_examples(scored, run, request.show, out)


@dataclass
class TrainRequest:
    labels: str
    conversations: str
    output: str
    min_precision: float = 0.85


def run_train(request: TrainRequest, out: TextIO, err: Callable[[str], None]) -> int:
    from cslint.learning import training
    from cslint.learning.modelfile import META

    try:
        gold = read_labels(request.labels)
        conversations = read_conversations(request.conversations)
        check_coverage(gold, conversations, request.labels)
        model = training.train(conversations, gold, training.Options(min_precision=request.min_precision))
    except (DataError, ValueError) as exc:
        for line in str(exc).splitlines():
            err(f"error: {line}")
        return 2
    try:
        model.save(request.output)
    except OSError as exc:
        err(f"error: {request.output}: cannot write the model: {exc.strerror or exc}")
        return 2
    print(f"model written to {request.output} ({len(model.feature_ids):,} features)", file=out)
    print(f"{'label':15} {'positives':>9} {'threshold':>9} {'out-of-fold P':>13} {'R':>6}", file=out)
    for label in model.labels:
        figures = model.meta["out_of_fold"][label]
        precision = "-" if figures["precision"] is None else f"{figures['precision']:.3f}"
        print(
            f"{label:15} {figures['positives']:9} {model.thresholds[label]:9.3f} {precision:>13} "
            f"{figures['recall']:6.3f}",
            file=out,
        )
    print(f"use it with: cslint check --models {request.output} ... (thresholds in {META})", file=out)
    return 0


def echo_err(message: str) -> None:
    print(message, file=sys.stderr)
