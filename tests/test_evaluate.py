"""scripts/evaluate.py: per-rule precision/recall of cslint against labelled turns."""

import importlib.util
import io
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "eval"


@pytest.fixture(scope="module")
def evaluate():
    spec = importlib.util.spec_from_file_location("cslint_evaluate", ROOT / "scripts" / "evaluate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


def run(evaluate, *extra):
    out = io.StringIO()
    argv = [
        str(FIXTURES / "conversations.jsonl"),
        str(FIXTURES / "labels.jsonl"),
        "--rules",
        str(FIXTURES / "rules"),
        "--select",
        "blame",
        *extra,
    ]
    status = evaluate.main(argv, out=out)
    return status, out.getvalue()


def test_scores_match_the_labelled_turns(evaluate):
    status, text = run(evaluate, "--json")
    assert status == 0
    scores = json.loads(text)
    blame = scores["rules"]["blame"]
    # e-1 t1 and e-2 t3 flagged and labelled; e-2 t1 flagged but clean; e-3 t1 labelled, missed.
    assert (blame["tp"], blame["fp"], blame["fn"]) == (2, 1, 1)
    assert blame["precision"] == pytest.approx(2 / 3)
    assert blame["recall"] == pytest.approx(2 / 3)
    # A label of a rule that did not run is a miss, and counts in the micro average.
    assert scores["rules"]["coldness"] == {"tp": 0, "fp": 0, "fn": 1, "precision": None, "recall": 0.0, "f1": None}
    micro = scores["micro"]
    assert (micro["tp"], micro["fp"], micro["fn"], micro["turns"]) == (2, 1, 2, 5)
    assert micro["precision"] == pytest.approx(2 / 3)
    assert micro["recall"] == pytest.approx(0.5)
    # e-3 t3 is flagged but not labelled: counted, not scored.
    assert micro["findings_outside_labelled_turns"] == 1
    assert set(scores["rules"]) == set(evaluate.CONTRACT_IDS)


def test_table_and_show_print_false_positives_and_misses(evaluate):
    status, text = run(evaluate, "--show", "5")
    assert status == 0
    lines = text.splitlines()
    assert lines[0].split() == ["rule", "TP", "FP", "FN", "prec", "recall", "F1"]
    assert "blame 2 1 1 0.667 0.667 0.667" in [" ".join(line.split()) for line in lines]
    assert "[blame] false positive: e-2 turn 1" in text
    assert "“user error”" in text
    assert "[blame] missed: e-3 turn 1" in text
    assert "typed the house number wrong" in text
    # Rules that did not run are not listed as misses one by one.
    assert "[coldness] missed" not in text


def test_score_counts_only_labelled_turns(evaluate):
    gold = {("c", 1): {"apathy"}, ("c", 3): set()}
    predicted = {("c", 1): {"apathy"}, ("c", 3): {"apathy", "blame"}, ("c", 5): {"blame"}}
    evaluation = evaluate.score(gold, predicted)
    assert (evaluation.rules["apathy"].tp, evaluation.rules["apathy"].fp) == (1, 1)
    assert (evaluation.rules["blame"].tp, evaluation.rules["blame"].fp, evaluation.rules["blame"].fn) == (0, 1, 0)
    assert evaluation.rules["blame"].precision == 0.0
    assert evaluation.rules["blame"].recall is None


def test_bad_label_line_is_one_clear_error(evaluate, tmp_path, capsys):
    labels = tmp_path / "labels.jsonl"
    labels.write_text('{"conversation": "e-1", "turn": 1, "labels": []}\n{"conversation": "e-1"}\n')
    status = evaluate.main([str(FIXTURES / "conversations.jsonl"), str(labels)], out=io.StringIO())
    assert status == 2
    err = capsys.readouterr().err
    assert f"{labels}:2:" in err and "Traceback" not in err


def test_unreadable_conversations_are_reported(evaluate, tmp_path, capsys):
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "x", "turns": [\n')
    status = evaluate.main([str(broken), str(FIXTURES / "labels.jsonl")], out=io.StringIO())
    assert status == 2
    assert "broken.jsonl" in capsys.readouterr().err
