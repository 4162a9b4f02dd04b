"""scripts/label_sample.py: a seeded random draw of whole conversations for a reviewer to label,
scored afterwards with ``cslint evaluate``."""

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def label_sample():
    spec = importlib.util.spec_from_file_location("cslint_label_sample", ROOT / "scripts" / "label_sample.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _write(folder: Path, name: str, conversations) -> None:
    folder.mkdir(exist_ok=True)
    with (folder / name).open("w", encoding="utf-8") as out:
        for cid, turns in conversations:
            out.write(json.dumps({"id": cid, "turns": [{"speaker": s, "text": t} for s, t in turns]}) + "\n")


@pytest.fixture
def corpora(tmp_path):
    """'chats': 20 conversations of one customer and one agent turn, plus one with no customer
    and one with 8 agent turns (neither may be drawn); 'mail': 20 more, whose ids repeat
    three of the chats' ids."""
    chats = [
        (f"c{i}", [("customer", f"My parcel {i} is late."), ("agent", f"Please visit our website, {i}.")])
        for i in range(20)
    ]
    chats.append(("lonely", [("agent", "Hello?")]))
    chats.append(("long", [("customer", "Hi")] + [("agent", f"Update {i}.") for i in range(8)]))
    _write(tmp_path / "chats", "chats.jsonl", chats)
    mail = [
        (f"m{i}" if i >= 3 else f"c{i}", [("customer", "Where is my refund?"), ("agent", "It is on its way.")])
        for i in range(20)
    ]
    _write(tmp_path / "mail", "mail.jsonl", mail)
    return tmp_path


def _draw(label_sample, corpora, out, *extra):
    argv = [str(corpora / "chats"), str(corpora / "mail"), "--turns", "10", "--out", str(out), *extra]
    return label_sample.main(argv)


def test_draws_an_equal_share_per_corpus_and_writes_the_sheet(label_sample, corpora, tmp_path, capsys):
    assert _draw(label_sample, corpora, tmp_path / "s", "--seed", "4") == 0
    sample = [json.loads(line) for line in (tmp_path / "s" / "sample.jsonl").read_text().splitlines()]
    template = [json.loads(line) for line in (tmp_path / "s" / "labels-template.jsonl").read_text().splitlines()]
    sheet = (tmp_path / "s" / "sheet.md").read_text()
    assert len(sample) == 10 and len(template) == 10
    texts = [c["turns"][0]["text"] for c in sample]
    assert sum("parcel" in t for t in texts) == 5 and sum("refund" in t for t in texts) == 5
    assert not {"lonely", "long"} & {c["id"] for c in sample}
    for line in template:
        assert line["labels"] == [] and line["turn"] == 1
        assert f">>> AGENT TURN {line['conversation']} #1\n" in sheet
    assert len({c["id"] for c in sample}) == 10  # ids two corpora share are told apart
    assert "10 agent turns to label" in capsys.readouterr().out


def test_the_same_seed_draws_the_same_sample_and_another_seed_another(label_sample, corpora, tmp_path):
    for name, seed in (("a", "1"), ("b", "1"), ("c", "2")):
        assert _draw(label_sample, corpora, tmp_path / name, "--seed", seed) == 0
    read = lambda name: (tmp_path / name / "sample.jsonl").read_text()  # noqa: E731
    assert read("a") == read("b")
    assert read("a") != read("c")


def test_skip_ids_keeps_a_second_sample_disjoint(label_sample, corpora, tmp_path):
    assert _draw(label_sample, corpora, tmp_path / "first", "--seed", "1") == 0
    assert (
        _draw(
            label_sample,
            corpora,
            tmp_path / "second",
            "--seed",
            "1",
            "--skip-ids",
            str(tmp_path / "first" / "sample.jsonl"),
        )
        == 0
    )
    ids = lambda name: {json.loads(l)["id"] for l in (tmp_path / name / "sample.jsonl").read_text().splitlines()}  # noqa: E731,E741
    assert ids("first") and ids("second") and not ids("first") & ids("second")


def test_the_filled_in_template_is_scored_by_cslint_evaluate(label_sample, corpora, tmp_path, run_cli):
    out = tmp_path / "s"
    assert _draw(label_sample, corpora, out, "--seed", "4") == 0
    sample = {json.loads(l)["id"]: json.loads(l) for l in (out / "sample.jsonl").read_text().splitlines()}  # noqa: E741
    labels = []
    for line in (out / "labels-template.jsonl").read_text().splitlines():
        row = json.loads(line)
        if "website" in sample[row["conversation"]]["turns"][row["turn"]]["text"]:
            row["labels"] = ["runaround"]
        labels.append(json.dumps(row))
    (out / "labels.jsonl").write_text("\n".join(labels) + "\n")
    result = run_cli("evaluate", out / "labels.jsonl", out / "sample.jsonl", "--select", "runaround", "-f", "json")
    assert result.exit_code == 0, result.output
    runaround = json.loads(result.output)["rules"]["runaround"]
    # Every chat reply sends the customer to the website; the five drawn are labelled and found.
    assert (runaround["tp"], runaround["fp"], runaround["fn"]) == (5, 0, 0)


def test_unreadable_input_is_one_line_and_the_draw_goes_on(label_sample, corpora, tmp_path, capsys):
    (corpora / "chats" / "broken.jsonl").write_text('{"id": "x", "turns": [\n')
    assert _draw(label_sample, corpora, tmp_path / "s") == 0
    err = capsys.readouterr().err
    assert "broken.jsonl" in err and "Traceback" not in err


def test_missing_corpus_and_empty_draw_exit_2(label_sample, tmp_path, capsys):
    assert label_sample.main([str(tmp_path / "nowhere"), "--turns", "5", "--out", str(tmp_path / "o")]) == 2
    assert "nowhere: no such file or folder" in capsys.readouterr().err
    _write(tmp_path / "agents", "a.jsonl", [("a1", [("agent", "Hi there.")])])
    assert label_sample.main([str(tmp_path / "agents"), "--turns", "5", "--out", str(tmp_path / "o")]) == 2
    assert "no conversation" in capsys.readouterr().err


def test_replies_draws_macros_with_no_customer_turn_and_shows_their_title(label_sample, tmp_path):
    macros = tmp_path / "macros"
    macros.mkdir()
    rows = [
        {
            "id": f"m{i}",
            "title": f"Refund request {i}",
            "turns": [{"speaker": "agent", "text": "Hi, your refund is on its way."}],
        }
        for i in range(3)
    ]
    (macros / "macros.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "s"
    argv = [str(macros), "--turns", "3", "--out", str(out)]
    assert label_sample.main(argv) == 2  # no customer turn: nothing to draw without --replies
    assert label_sample.main([*argv, "--replies"]) == 0
    sheet = (out / "sheet.md").read_text()
    assert sheet.count(">>> AGENT TURN m") == 3 and "Title: Refund request 1" in sheet
    assert all(json.loads(line)["turn"] == 0 for line in (out / "labels-template.jsonl").read_text().splitlines())


def test_a_draw_never_writes_over_an_earlier_one(label_sample, corpora, tmp_path, capsys):
    out = tmp_path / "s"
    assert _draw(label_sample, corpora, out, "--seed", "1") == 0
    before = (out / "sample.jsonl").read_text()
    assert _draw(label_sample, corpora, out, "--seed", "2") == 2
    assert "sample.jsonl: already there" in capsys.readouterr().err
    assert (out / "sample.jsonl").read_text() == before
