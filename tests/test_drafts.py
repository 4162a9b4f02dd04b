"""Drafts on the command line: standard input is a reply about to be sent, optionally with the
conversation it answers (``--context``, ``--customer``), its channel (``--channel``) and the
file it stands for (``--stdin-filename``)."""

import json

import pytest

TEMPLATE_LEAK = "Hi [Customer Name], your refund of {{amount}} was issued today.\n"
VAGUE = "We'll get back to you ASAP.\n"


def rules_of(result) -> list[str]:
    return [f["rule"] for f in json.loads(result.stdout)["findings"]]


def check(run_cli, draft, *args):
    return run_cli("check", "-", "--format", "json", *args, input=draft)


def test_stdin_draft_gets_the_rules_for_sent_messages(run_cli):
    result = check(run_cli, TEMPLATE_LEAK)
    assert result.exit_code == 1
    assert rules_of(result) == ["template-leak", "template-leak"]
    assert rules_of(check(run_cli, VAGUE)) == ["no-next-step"]


def test_channel_canned_turns_them_off(run_cli):
    result = check(run_cli, TEMPLATE_LEAK, "--channel", "canned")
    assert result.exit_code == 0
    assert rules_of(result) == []
    assert rules_of(check(run_cli, VAGUE, "--channel", "canned")) == []


def test_bad_channel_is_refused(run_cli):
    result = check(run_cli, VAGUE, "--channel", "Not A Channel")
    assert result.exit_code == 2
    assert "--channel" in result.output


ASKS_AGAIN_CUSTOMER = "Hi, order #48213 hasn't arrived and it's been two weeks."
ASKS_AGAIN_DRAFT = "Sorry to hear that. Could you send me your order number please?\n"


def test_asks_again_needs_the_customers_message(run_cli):
    assert "asks-again" not in rules_of(check(run_cli, ASKS_AGAIN_DRAFT))
    with_context = check(run_cli, ASKS_AGAIN_DRAFT, "--customer", ASKS_AGAIN_CUSTOMER)
    findings = json.loads(with_context.stdout)["findings"]
    asks = [f for f in findings if f["rule"] == "asks-again"]
    assert [f["text"] for f in asks] == ["send me your order number"]
    # Positions are the draft's own: line 1 of standard input, never the context's.
    assert asks[0]["line"] == 1 and asks[0]["path"] == "<stdin>"
    assert all(f["speaker"] == "agent" for f in findings)


FRUSTRATED_CHAT = "Customer: This is ridiculous, my parcel is late AGAIN!!!\n"
COLD_DRAFT = "Please send us your tracking number.\n"


def test_frustration_in_a_context_transcript(run_cli, tmp_path):
    context = tmp_path / "so-far.log"
    context.write_text("Agent: Hello, how can I help?\n" + FRUSTRATED_CHAT, encoding="utf-8")
    assert "unacknowledged-frustration" not in rules_of(check(run_cli, COLD_DRAFT))
    result = check(run_cli, COLD_DRAFT, "--context", context)
    assert "unacknowledged-frustration" in rules_of(result)
    # The context's own turns are never linted: no finding on the agent's earlier turn.
    assert {f["turn"] for f in json.loads(result.stdout)["findings"]} == {2}


def test_plain_text_context_is_the_customers_message(run_cli, tmp_path):
    context = tmp_path / "message.txt"
    context.write_text("Does the refund include the shipping cost?\n", encoding="utf-8")
    draft = "Thanks for contacting us. Have a lovely day.\n"
    # unanswered-question is off by default: selected here.
    assert rules_of(check(run_cli, draft, "--select", "unanswered-question")) == []
    result = check(run_cli, draft, "--select", "unanswered-question", "--context", context)
    assert rules_of(result) == ["unanswered-question"]


def test_context_from_stdin_with_the_draft_in_a_file(run_cli, tmp_path):
    draft = tmp_path / "reply.txt"
    draft.write_text("We appreciate your patience.\n", encoding="utf-8")
    result = run_cli(
        "check",
        draft,
        "--format",
        "json",
        "--select",
        "unanswered-question",
        "--context",
        "-",
        input="Customer: When will the engineer arrive?\n",
    )
    findings = json.loads(result.stdout)["findings"]
    assert "unanswered-question" in [f["rule"] for f in findings]
    assert {f["path"] for f in findings} == {str(draft)}


def test_a_context_of_several_conversations_is_refused(run_cli, tmp_path):
    many = tmp_path / "chats.jsonl"
    many.write_text(
        "\n".join(json.dumps({"id": f"c{i}", "turns": [{"speaker": "customer", "text": "Hi"}]}) for i in range(2)),
        encoding="utf-8",
    )
    result = check(run_cli, COLD_DRAFT, "--context", many)
    assert result.exit_code == 2
    assert "holds more than one conversation" in result.output


@pytest.mark.parametrize(
    "args, message",
    [
        (("--context", "missing.log"), "context: missing.log: cannot read"),
        (("--customer", "  "), "--customer: the customer's message is empty"),
        (("--context", "-"), "cannot be both the draft and its context"),
    ],
)
def test_bad_context_is_one_clear_error(run_cli, args, message):
    result = check(run_cli, COLD_DRAFT, *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_stdin_filename_applies_config_and_names_the_findings(run_cli, tmp_path):
    replies = tmp_path / "replies"
    replies.mkdir()
    draft = "For exact measurements, please visit our website.\n"
    name = replies / "sizes.txt"
    plain = check(run_cli, draft, "--stdin-filename", name)
    assert [(f["rule"], f["path"]) for f in json.loads(plain.stdout)["findings"]] == [("runaround", str(name))]
    (tmp_path / ".cslint.yaml").write_text("per_path:\n  'replies/**':\n    ignore: [runaround]\n", encoding="utf-8")
    assert rules_of(check(run_cli, draft, "--stdin-filename", name)) == []
    # Not saved yet: the nearest existing folder's config still applies.
    assert rules_of(check(run_cli, draft, "--stdin-filename", replies / "new" / "unsaved.txt")) == []


def test_stdin_filename_of_a_macro_is_read_as_that_file(run_cli, tmp_path):
    # A canned response's buffer piped by an editor is a canned response, not a draft.
    result = check(run_cli, TEMPLATE_LEAK, "--stdin-filename", tmp_path / "refund.md")
    assert rules_of(result) == []


def test_fix_prints_the_fixed_draft(run_cli):
    result = run_cli("fix", "-", input="Hi Sam, sorry for any confusion, please do not hesitate to ask.\n")
    assert result.exit_code == 0
    # "any confusion" -> "the confusion" would assert that something was confusing: advice only.
    assert result.stdout == "Hi Sam, sorry for any confusion, feel free to ask.\n"
    assert "1 safe fix(es) applied" in result.stderr


def test_fix_with_context_edits_only_the_draft(run_cli):
    draft = "Your order number, please? Please don't hesitate to ask if anything is unclear.\n"
    customer = "Order #48213 never came, please don't hesitate to ask me"
    result = run_cli("fix", "-", "--customer", customer, input=draft)
    assert result.exit_code == 0
    assert result.stdout == "Your order number, please? Feel free to ask if anything is unclear.\n"


def test_fix_of_a_clean_draft_prints_it_unchanged(run_cli):
    result = run_cli("fix", "-", input="Thanks Sam, I've refunded the order just now.\n")
    assert result.exit_code == 0
    assert result.stdout == "Thanks Sam, I've refunded the order just now.\n"


def test_fix_dash_takes_no_other_path(run_cli, tmp_path):
    other = tmp_path / "a.txt"
    other.write_text("Sorry for any confusion.\n", encoding="utf-8")
    result = run_cli("fix", "-", other, input="Sorry for any confusion.\n")
    assert result.exit_code == 2
    assert other.read_text() == "Sorry for any confusion.\n"


def test_a_draft_after_the_agents_first_reply_is_not_a_first_reply(run_cli, tmp_path):
    demand = "Please send us your order number.\n"
    # Alone, or after the customer's message only, the draft is the first reply.
    assert "robotism" in rules_of(check(run_cli, demand, "--customer", "My parcel is late."))
    context = tmp_path / "so-far.log"
    context.write_text(
        "Customer: My parcel is late.\nAgent: Hello! I'm sorry it's late, I'm checking with the courier now.\n",
        encoding="utf-8",
    )
    assert "robotism" not in rules_of(check(run_cli, demand, "--context", context))


def test_apathy_in_a_draft_with_and_without_the_frustrated_message(run_cli):
    draft = "It happens. The parcel should turn up in the next few days.\n"
    assert "apathy" in rules_of(check(run_cli, draft))
    upset = "Third time I'm asking and nobody answers. This is ridiculous!!!"
    found = rules_of(check(run_cli, draft, "--customer", upset))
    assert "apathy" in found and "unacknowledged-frustration" in found


def test_a_chat_log_on_stdin_is_still_a_conversation(run_cli):
    chat = "Customer: My order #48213 never arrived.\nAgent: Could you send me your order number please?\n"
    result = check(run_cli, chat)
    findings = json.loads(result.stdout)["findings"]
    assert ("asks-again", 1, 2) in [(f["rule"], f["turn"], f["line"]) for f in findings]
