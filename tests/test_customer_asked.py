"""kind: customer-asked — a channel given to a customer who asked how to reach someone is an answer."""

import json


def _chat(tmp_path, customer, agent):
    path = tmp_path / "chat.jsonl"
    conversation = {
        "id": "x",
        "channel": "chat",
        "turns": [{"speaker": "customer", "text": customer}, {"speaker": "agent", "text": agent}],
    }
    path.write_text(json.dumps(conversation) + "\n", encoding="utf-8")
    return path


def _rules_found(run_cli, path):
    result = run_cli("check", path, "--select", "runaround,brush-off", "--format", "json")
    return [f["rule"] for f in json.loads(result.output)["findings"]]


def test_a_channel_is_an_answer_when_the_customer_asked_for_it(run_cli, tmp_path):
    reply = "Please call our support line on 0800 123 456."
    assert _rules_found(run_cli, _chat(tmp_path, "How do I contact customer service?", reply)) == []
    assert _rules_found(run_cli, _chat(tmp_path, "Can I speak to a real person please", reply)) == []
    assert _rules_found(run_cli, _chat(tmp_path, "My order is two weeks late.", reply)) == ["runaround"]
