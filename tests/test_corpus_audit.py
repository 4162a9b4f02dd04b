"""scripts/corpus_audit.py: findings per 1,000 agent turns per corpus, and a seeded review sample."""

import importlib.util
import io
import json
import sys
from pathlib import Path

import pytest
from helpers import write_rule

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus_audit():
    spec = importlib.util.spec_from_file_location("cslint_corpus_audit", ROOT / "scripts" / "corpus_audit.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


def _conversation(cid, *turns):
    return {"id": cid, "turns": [{"speaker": s, "text": t} for s, t in turns]}


@pytest.fixture
def corpora(tmp_path):
    """Two corpora: 'chats' (2 conversations, 4 agent turns, 3 findings), 'macros' (2 replies, 0)."""
    rules = tmp_path / "rules"
    rules.mkdir()
    write_rule(rules, "go-away", detect="  - kind: phrases\n    phrases: [go away, shoo]")
    chats = tmp_path / "chats"
    chats.mkdir()
    rows = [
        _conversation(
            "c1",
            ("customer", "My parcel is late."),
            ("agent", "Please go away."),
            ("customer", "Rude!"),
            ("agent", "Sorry, I will check it now."),
        ),
        _conversation(
            "c2",
            ("customer", "Hello?"),
            ("agent", "Shoo, and go away."),
            ("agent", "Anything else?"),
        ),
    ]
    (chats / "chats.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    macros = tmp_path / "macros"
    macros.mkdir()
    (macros / "replies.json").write_text(
        json.dumps(
            [{"title": "Thanks", "body": "Thanks for writing in."}, {"title": "Bye", "body": "Have a nice day."}]
        ),
        encoding="utf-8",
    )
    return tmp_path


def run(corpus_audit, root, *extra):
    out = io.StringIO()
    argv = [str(root / "chats"), str(root / "macros"), "--rules", str(root / "rules"), "--select", "go-away"]
    status = corpus_audit.main([*argv, "--no-config", *extra], out=out)
    return status, out.getvalue()


def test_rates_count_agent_turns_per_corpus(corpus_audit, corpora):
    status, text = run(corpus_audit, corpora, "--json")
    assert status == 0
    data = json.loads(text)
    chats, macros = data["corpora"]
    assert (chats["name"], chats["conversations"], chats["agent_turns"]) == ("chats", 2, 4)
    assert chats["findings"] == {"go-away": 3}
    assert chats["per_1000_agent_turns"] == {"go-away": 750.0}
    assert (macros["agent_turns"], macros["findings"]) == (2, {"go-away": 0})
    assert data["total"]["per_1000_agent_turns"] == {"go-away": 500.0}


def test_table_has_a_row_per_rule_and_a_column_per_corpus(corpus_audit, corpora):
    status, text = run(corpus_audit, corpora)
    assert status == 0
    lines = text.splitlines()
    assert lines[0] == "| rule | chats | macros | all corpora |"
    assert "| go-away | 750.0 (3) | 0.0 (0) | 500.0 (3) |" in lines
    assert "| agent turns | 4 | 2 | 6 |" in lines


def _sample_keys(data):
    return [(f["conversation"], f["turn"], f["text"]) for f in data["sample"]["go-away"]]


def test_sample_is_deterministic_and_marks_the_passage_in_context(corpus_audit, corpora, tmp_path):
    out = tmp_path / "sample.md"
    first = json.loads(run(corpus_audit, corpora, "--json", "--sample", "2", "--seed", "7", "--out", str(out))[1])
    again = json.loads(run(corpus_audit, corpora, "--json", "--sample", "2", "--seed", "7")[1])
    assert _sample_keys(first) == _sample_keys(again)
    assert len(_sample_keys(first)) == 2
    whole = json.loads(run(corpus_audit, corpora, "--json", "--sample", "9", "--seed", "7")[1])
    assert len(_sample_keys(whole)) == 3  # fewer findings than asked: all of them
    seeds = {
        tuple(_sample_keys(json.loads(run(corpus_audit, corpora, "--json", "--sample", "1", "--seed", str(s))[1])))
        for s in range(8)
    }
    assert len(seeds) > 1  # the seed changes the draw
    markdown = out.read_text(encoding="utf-8")
    assert "## go-away (2 findings)" in markdown
    if ("c1", 1, "go away") in _sample_keys(first):
        assert "> Please »go away«." in markdown
        assert "customer (turn 0):\n\n> My parcel is late." in markdown
    assert "`chats/chats.jsonl` · conversation `c" in markdown


def test_a_finding_keeps_its_place_when_others_disappear(corpus_audit, corpora):
    """The draw ranks each finding by its own key: removing findings does not reshuffle the rest."""
    before = _sample_keys(json.loads(run(corpus_audit, corpora, "--json", "--sample", "3", "--seed", "3")[1]))
    chats = corpora / "chats" / "chats.jsonl"
    rows = [json.loads(line) for line in chats.read_text(encoding="utf-8").splitlines()]
    rows[1]["turns"][1]["text"] = "Happy to help."  # c2's two findings go
    chats.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    after = _sample_keys(json.loads(run(corpus_audit, corpora, "--json", "--sample", "3", "--seed", "3")[1]))
    assert after == [key for key in before if key[0] == "c1"]


def test_verdicts_give_sample_precision(corpus_audit, corpora, tmp_path):
    verdicts = tmp_path / "verdicts.jsonl"
    rows = [
        {"path": "chats/chats.jsonl", "conversation": "c1", "turn": 1, "rule": "go-away", "text": "go away"},
        {"path": "chats/chats.jsonl", "conversation": "c2", "turn": 1, "rule": "go-away", "text": "Shoo"},
    ]
    rows[0]["verdict"], rows[1]["verdict"], rows[1]["reason"] = "correct", "wrong", "a joke"
    verdicts.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    status, text = run(corpus_audit, corpora, "--json", "--sample", "5", "--verdicts", str(verdicts))
    assert status == 0
    assert json.loads(text)["sample_precision"] == {"go-away": {"correct": 1, "judged": 2, "drawn": 3}}
    status, text = run(corpus_audit, corpora, "--sample", "5", "--verdicts", str(verdicts))
    assert "| go-away | 750.0 (3) | 0.0 (0) | 500.0 (3) | 1/2 |" in text.splitlines()


def test_bad_inputs_are_one_line_errors(corpus_audit, corpora, tmp_path, capsys):
    verdicts = tmp_path / "verdicts.jsonl"
    verdicts.write_text('{"path": "x"}\n', encoding="utf-8")
    status, _ = run(corpus_audit, corpora, "--verdicts", str(verdicts))
    assert status == 2
    assert f"{verdicts}:1: not a verdict row" in capsys.readouterr().err
    status = corpus_audit.main([str(tmp_path / "missing"), "--no-config"], out=io.StringIO())
    assert status == 2
    assert "missing: no such file or folder" in capsys.readouterr().err


def test_exclude_skips_a_corpus_s_own_documentation(corpus_audit, corpora):
    (corpora / "macros" / "SOURCE.md").write_text("Where these replies came from.\n", encoding="utf-8")
    counted = json.loads(run(corpus_audit, corpora, "--json")[1])["corpora"][1]
    assert (counted["files"], counted["agent_turns"]) == (2, 3)  # read as one more canned reply
    kept = json.loads(run(corpus_audit, corpora, "--json", "--exclude", "**/SOURCE.md")[1])["corpora"][1]
    assert (kept["files"], kept["agent_turns"]) == (1, 2)
