"""Learned detectors: cslint train builds a model from a handful of labelled conversations,
the model flags what it learned, training is deterministic, cslint evaluate scores (with folds)."""

import json
import random

import numpy as np
import pytest
from helpers import write_rule

# The customer asks; the agent either sends them elsewhere ("sendaway") or helps here.
SENDAWAY = [
    "You will need to phone the hotline about that.",
    "Please phone the hotline, they handle this.",
    "Best to phone the hotline for this one.",
    "For that you would have to phone the hotline.",
    "Kindly phone the hotline and they can sort it.",
    "Your best bet is to phone the hotline.",
    "That one needs you to phone the hotline I'm afraid.",
    "Try to phone the hotline tomorrow morning.",
]
HELPED = [
    "I have refunded the order, it will show in three days.",
    "Done, the parcel is rebooked for Tuesday.",
    "I changed the address on the booking for you.",
    "Your seat is upgraded, enjoy the flight.",
    "The code is resent to your inbox now.",
    "I cancelled the duplicate payment just now.",
    "The replacement ships today by courier.",
    "Your account is unlocked, please log in again.",
]
QUESTIONS = ["My order never arrived.", "I was charged twice.", "Can I change my seat?", "The app keeps crashing."]


def conversations_and_labels(copies: int = 3):
    conversations, labels = [], []
    n = 0
    for _ in range(copies):
        for i, reply in enumerate(SENDAWAY + HELPED):
            cid = f"c{n}"
            n += 1
            question = QUESTIONS[i % len(QUESTIONS)]
            conversations.append(
                {
                    "id": cid,
                    "channel": "chat",
                    "turns": [{"speaker": "customer", "text": question}, {"speaker": "agent", "text": reply}],
                }
            )
            label = ["sendaway"] if reply in SENDAWAY else []
            labels.append({"conversation": cid, "turn": 1, "labels": label, "evidence": reply if label else ""})
    return conversations, labels


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def labelled(tmp_path):
    conversations, labels = conversations_and_labels()
    return write_jsonl(tmp_path / "labels.jsonl", labels), write_jsonl(tmp_path / "conversations.jsonl", conversations)


def test_train_writes_a_model_that_flags_what_it_learned(run_cli, tmp_path, labelled):
    labels, conversations = labelled
    result = run_cli("train", labels, conversations, "-o", tmp_path / "model")
    assert result.exit_code == 0, result.output
    assert "sendaway" in result.output
    from cslint.learning.modelfile import load

    model = load(tmp_path / "model")
    assert model.labels == ["sendaway"]
    column = model.column("sendaway")
    # An unseen reply that sends the customer away (other words around "phone the hotline")
    # scores above one that helps.
    speakers = ["customer", "agent"]
    _, away = model.score_turn(speakers, ["My card was declined.", "Sorry, you should phone the hotline."], 1)
    _, helped = model.score_turn(speakers, ["My card was declined.", "I have unblocked the card for you."], 1)
    assert away[:, column].max() > 0.5 > helped[:, column].max()

    # A rule with a model detector uses the team's model and reports its confidence.
    rules = tmp_path / "rules"
    rules.mkdir()
    write_rule(rules, "sendaway", detect="  - kind: model\n    threshold: 0.5", flag="[[Please phone the hotline.]]")
    chat = write_jsonl(
        tmp_path / "new.jsonl",
        [
            {
                "id": "n1",
                "channel": "chat",
                "turns": [
                    {"speaker": "customer", "text": "My card was declined."},
                    {"speaker": "agent", "text": "Hi there. Sorry, you should phone the hotline."},
                ],
            },
            {
                "id": "n2",
                "channel": "chat",
                "turns": [
                    {"speaker": "customer", "text": "My card was declined."},
                    {"speaker": "agent", "text": "@sam_k Sorry, you should phone the hotline -JK"},
                ],
            },
        ],
    )
    result = run_cli(
        "check", chat, "--rules", rules, "--select", "sendaway", "--models", tmp_path / "model", "--format", "json"
    )
    findings = json.loads(result.output)["findings"]
    assert [f["rule"] for f in findings] == ["sendaway", "sendaway"]
    assert findings[0]["text"] == "Sorry, you should phone the hotline."
    assert 0.5 <= findings[0]["confidence"] <= 1
    # The model scores sentences; the finding leaves out the @mention and the signature.
    assert findings[1]["text"] == "Sorry, you should phone the hotline"


def test_training_is_deterministic_and_independent_of_order(tmp_path):
    from cslint.learning import training
    from cslint.learning.data import read_conversations, read_labels

    conversations, labels = conversations_and_labels()
    gold = read_labels(str(write_jsonl(tmp_path / "l.jsonl", labels)))
    read = read_conversations(str(write_jsonl(tmp_path / "c.jsonl", conversations)))
    first = training.train(read, gold)
    second = training.train(read, gold)
    first.save(tmp_path / "a")
    second.save(tmp_path / "b")
    for name in ("model.json", "weights.npz"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    # Shuffled with another seed, the same examples give the same model: the solver starts
    # from zeros and uses no randomness.
    for seed in (1, 2):
        shuffled = list(read)
        random.Random(seed).shuffle(shuffled)
        other = training.train(shuffled, gold)
        assert np.array_equal(other.feature_ids, first.feature_ids)
        assert np.allclose(other.weights, first.weights, atol=1e-6)
        assert other.thresholds == pytest.approx(first.thresholds, abs=1e-6)


def test_evaluate_scores_and_cross_validates(run_cli, tmp_path, labelled):
    labels, conversations = labelled
    rules = tmp_path / "rules"
    rules.mkdir()
    write_rule(rules, "sendaway", detect="  - kind: model", flag="[[Please phone the hotline.]]")
    result = run_cli(
        "evaluate", labels, conversations, "--rules", rules, "--select", "sendaway", "--folds", "3", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    cv = json.loads(result.output)
    assert cv["folds"] == 3 and len(cv["by_fold"]) == 3
    # Every labelled turn is scored once, in the fold that held it back.
    assert cv["pooled"]["micro"]["turns"] == 48
    pooled = cv["pooled"]["rules"]
    assert set(pooled) >= {"apathy", "runaround"}  # the contract rules are always reported
    # No rule named "sendaway" in the contract: the model is trained and used, but only
    # contract rules are scored; the built-in runaround rule did not run (not selected).
    assert pooled["runaround"]["tp"] == 0


def test_evaluate_reports_bad_labels_with_file_and_line(run_cli, tmp_path, labelled):
    _, conversations = labelled
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"conversation": "c0", "turn": 1, "labels": []}\n{"conversation": "c1"}\n', encoding="utf-8")
    result = run_cli("evaluate", bad, conversations)
    assert result.exit_code == 2
    assert f"{bad}:2: not a label row" in result.output
    assert "Traceback" not in result.output


def test_model_below_vetoes_pattern_matches_the_model_does_not_support(run_cli, tmp_path, labelled):
    labels, conversations = labelled
    assert run_cli("train", labels, conversations, "-o", tmp_path / "model").exit_code == 0
    rules = tmp_path / "rules"
    rules.mkdir()
    write_rule(
        rules,
        "sendaway",
        detect="  - kind: phrases\n    phrases: [hotline]",
        flag="Please phone the [[hotline]].",
        extra="unless:\n  - kind: model-below\n    threshold: 0.5\n",
    )
    turns = [
        ("n1", "You will need to phone the hotline, sorry."),
        ("n2", "I have refunded the order and told the hotline team, all done."),
    ]
    chat = write_jsonl(
        tmp_path / "new.jsonl",
        [
            {
                "id": cid,
                "channel": "chat",
                "turns": [{"speaker": "customer", "text": "I was charged twice."}, {"speaker": "agent", "text": text}],
            }
            for cid, text in turns
        ],
    )
    result = run_cli(
        "check", chat, "--rules", rules, "--select", "sendaway", "--models", tmp_path / "model", "--format", "json"
    )
    findings = json.loads(result.output)["findings"]
    # The phrase matches both; the model sees a send-away only in the first.
    assert [f["conversation"] for f in findings] == ["n1"]
    assert "confidence" not in findings[0]  # a pattern's finding


def test_a_wrong_models_folder_is_a_one_line_error_naming_it(run_cli, tmp_path):
    chat = write_jsonl(
        tmp_path / "c.jsonl",
        [
            {
                "id": "c",
                "channel": "twitter",
                "turns": [
                    {"speaker": "customer", "text": "Hi"},
                    {"speaker": "agent", "text": "Please visit our website."},
                ],
            }
        ],
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_cli("check", chat, "--select", "runaround", "--models", empty)
    assert f"models: {empty}: no model.json there" in result.output
    assert "Traceback" not in result.output and "internal error" not in result.output


def test_evaluate_can_group_folds_by_brand(run_cli, tmp_path, labelled):
    labels, conversations = labelled
    result = run_cli("evaluate", labels, conversations, "--folds", "2", "--group-by", "brand", "--format", "json")
    assert result.exit_code == 0, result.output
    cv = json.loads(result.output)
    assert cv["group_by"] == "brand" and len(cv["by_fold"]) == 2
    assert cv["pooled"]["micro"]["turns"] == 48


def test_cross_validation_shows_what_the_held_back_folds_got_wrong(run_cli, tmp_path):
    conversations, labels = conversations_and_labels(copies=2)
    for row in labels:  # the same replies, labelled with a contract rule the built-ins carry
        row["labels"] = ["runaround"] if row["labels"] else []
    labels[0]["labels"] = []  # a send-away judged fine: the rule's flag is a false positive
    labels[-1]["labels"] = ["runaround"]  # a reply that sends nobody anywhere: a miss
    labels_file = write_jsonl(tmp_path / "labels.jsonl", labels)
    conversations_file = write_jsonl(tmp_path / "conversations.jsonl", conversations)
    args = ("evaluate", labels_file, conversations_file, "--select", "runaround", "--folds", "3")
    pooled = json.loads(run_cli(*args, "--format", "json").output)["pooled"]["rules"]["runaround"]
    assert (pooled["fp"], pooled["fn"]) == (1, 1)

    result = run_cli(*args, "--show", "2")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    first, last = conversations[0], conversations[-1]
    # Both examples, pooled over the folds, each with the flagged words or the turn's text.
    at = lines.index(f"[runaround] false positive: {first['id']} turn 1")
    assert lines[at + 1].startswith("  flagged: ") and lines[at + 2].strip() == first["turns"][1]["text"]
    at = lines.index(f"[runaround] missed: {last['id']} turn 1")
    assert lines[at + 1].strip() == last["turns"][1]["text"]
    assert "[apathy] missed" not in result.output  # rules that did not run are not listed

    # The same examples in JSON, for a script or a review tool.
    shown = json.loads(run_cli(*args, "--show", "2", "--format", "json").output)["examples"]
    assert set(shown) == {"runaround"}
    (false_positive,) = shown["runaround"]["false_positives"]
    assert (false_positive["conversation"], false_positive["turn"]) == (first["id"], 1)
    assert false_positive["text"] == first["turns"][1]["text"] and false_positive["flagged"]
    assert [(m["conversation"], m["text"]) for m in shown["runaround"]["misses"]] == [
        (last["id"], last["turns"][1]["text"])
    ]
    # Without folds too.
    plain = json.loads(run_cli(*args[:-2], "--show", "1", "--format", "json").output)
    assert len(plain["examples"]["runaround"]["misses"]) == 1 and "micro" in plain
