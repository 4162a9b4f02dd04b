"""The input formats: helpdesk exports, canned-response collections, CSV, e-mail, bad input.

Every fixture under tests/fixtures/ is modelled on a real export shape; each has an
anti-pattern in an agent reply (which must be found, at the right line and column) and the
same kind of phrase in text that is not the agent's own (customer text, internal notes,
quoted history, signatures), which must not be.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cslint.model import Conversation, InputError
from cslint.readers import READERS, ReadOptions, Source, read_source

FIXTURES = Path(__file__).parent / "fixtures"


def read(path: Path, **options) -> tuple[list[Conversation], list[InputError]]:
    items = list(read_source(Source(str(path)), ReadOptions(**options)))
    return [i for i in items if isinstance(i, Conversation)], [i for i in items if isinstance(i, InputError)]


def check(run_cli, *args) -> tuple[int, dict]:
    result = run_cli("check", "--format", "json", *args)
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)


def at(finding: dict) -> str:
    """The file text at a finding's line:column, as long as the flagged text."""
    line = Path(finding["path"]).read_text(encoding="latin-1").split("\n")[finding["line"] - 1]
    return line[finding["column"] - 1 : finding["column"] - 1 + len(finding["text"])]


def findings_of(run_cli, path: Path, *args) -> list[dict]:
    status, data = check(run_cli, str(path), "--select", "runaround", *args)
    assert not data["errors"], data["errors"]
    for finding in data["findings"]:
        assert at(finding) == finding["text"], finding  # line:col point at the flagged words
    return data["findings"]


# -- helpdesk exports ------------------------------------------------------------------------


def test_zendesk_ticket_roles_notes_and_trigger_comments():
    [conv], errors = read(FIXTURES / "helpdesk/zendesk_ticket.json")
    assert not errors
    assert conv.id == "35436" and conv.channel == "email" and conv.meta["subject"] == "Refund not received"
    assert [(t.speaker, t.lintable) for t in conv.turns] == [
        ("customer", True),
        ("agent", False),
        ("agent", True),
        ("bot", True),
    ]
    assert conv.turns[0].name == "Ann Customer"


@pytest.mark.parametrize(
    "fixture, turn, flagged",
    [
        ("zendesk_ticket.json", 2, "visit our website"),
        ("intercom_conversation.json", 3, "contact your bank"),
        ("freshdesk_ticket.json", 1, "fill out the form"),
        ("helpscout_threads.json", 3, "open a new ticket"),
        ("front_messages.json", 1, "check our FAQ"),
    ],
)
def test_helpdesk_agent_replies_are_flagged_at_their_position(run_cli, fixture, turn, flagged):
    # Each fixture also has the phrase in a customer message or an internal note: not flagged.
    [finding] = findings_of(run_cli, FIXTURES / "helpdesk" / fixture)
    assert (finding["turn"], finding["speaker"], finding["text"]) == (turn, "agent", flagged)


def test_intercom_parts_bots_notes_and_events():
    [conv], _ = read(FIXTURES / "helpdesk/intercom_conversation.json")
    assert [(t.speaker, t.lintable) for t in conv.turns] == [
        ("customer", True),
        ("bot", True),
        ("agent", False),
        ("agent", True),
    ]
    assert conv.turns[3].text.startswith(
        "Hi Lee,\n\nSorry about the double charge. The second charge is a hold from your bank & it"
    )
    assert conv.turns[0].time == "2024-03-01T10:00:00Z"


def test_helpscout_threads_are_put_in_time_order():
    [conv], _ = read(FIXTURES / "helpdesk/helpscout_threads.json")
    assert [t.meta["thread_type"] for t in conv.turns] == ["customer", "lineitem", "note", "message"]
    assert [t.speaker for t in conv.turns] == ["customer", "system", "agent", "agent"]
    assert [t.lintable for t in conv.turns] == [True, False, False, True]


def test_freshdesk_description_first_and_private_notes_are_context():
    [conv], _ = read(FIXTURES / "helpdesk/freshdesk_ticket.json")
    assert [(t.speaker, t.lintable) for t in conv.turns] == [
        ("customer", True),
        ("agent", True),
        ("agent", False),
        ("customer", True),
    ]
    [listed], _ = read(FIXTURES / "helpdesk/freshdesk_conversations.json")
    assert listed.id == "77" and [t.speaker for t in listed.turns] == ["customer", "agent"]


def test_clean_helpdesk_export_has_no_findings(run_cli):
    assert findings_of(run_cli, FIXTURES / "helpdesk/zendesk_tickets_clean.json") == []
    [conv], _ = read(FIXTURES / "helpdesk/zendesk_tickets_clean.json")
    assert conv.turns[1].text == "Hi Jo,\n\nI've reset your password and sent you a new link. It works for 24 hours."


def test_helpdesk_messages_drop_quoted_history():
    [conv], _ = read(FIXTURES / "helpdesk/front_messages.json")
    assert conv.turns[1].text == "Hi Pat,\n\nExports are explained in the docs, just check our FAQ.\n\nLeela"


def test_speaker_option_overrides_helpdesk_roles():
    [conv], _ = read(FIXTURES / "helpdesk/front_messages.json", speaker_labels={"pat@example.com": "agent"})
    assert conv.turns[0].speaker == "agent"


# -- canned-response collections -------------------------------------------------------------


def test_zendesk_macros_reply_text_titles_and_placeholders():
    convs, errors = read(FIXTURES / "canned/zendesk_macros.json")
    assert not errors
    assert [c.title for c in convs] == [
        "Billing::Refund timeline",
        "Shipping::Delayed",
        "Channel variant",
    ]  # 26 sets fields only
    assert all(c.channel == "canned" and c.turns[0].speaker == "agent" for c in convs)
    assert "{{ticket.requester.first_name}}" in convs[0].turns[0].text
    assert (
        convs[1].turns[0].text
        == "Hi {{ticket.requester.first_name}},\n\nYour parcel left our warehouse today and arrives by Friday."
    )
    assert convs[2].turns[0].text == "Thanks %{ticket.name}, I've fixed the address on order [ORDER]."


@pytest.mark.parametrize(
    "fixture, title, flagged",
    [
        ("zendesk_macros.json", "Billing::Refund timeline", "visit our website"),
        ("saved_replies.yaml", "Card declined", "contact your bank"),
        ("replies_by_title.json", "Not our product (email)", "contact the manufacturer"),
        ("saved_replies.md", "Needs more information (v2)", "fill out the form"),
        ("separators.txt", "NOT OUR ADDON", "contact the manufacturer"),
        ("reply.html", "Order shipped", "check our FAQ"),
    ],
)
def test_canned_findings_name_the_reply(run_cli, fixture, title, flagged):
    [finding] = findings_of(run_cli, FIXTURES / "canned" / fixture)
    assert (finding["title"], finding["text"]) == (title, flagged)


def test_markdown_collection_skips_the_introduction_and_unwraps_code_fences():
    convs, _ = read(FIXTURES / "canned/saved_replies.md")
    assert [c.title for c in convs] == ["Duplicate (v1)", "Needs more information (v2)"]
    assert (
        convs[0].turns[0].text
        == "Thanks for reporting this. It is a duplicate of #<ISSUE_NUMBER>; please follow that issue."
    )
    assert convs[0].turns[0].source.locate(0).line == 8


def test_single_markdown_reply_stays_one_reply(tmp_path):
    path = tmp_path / "reply.md"
    path.write_text("---\ntitle: Welcome\n---\n## Hello\n\nThanks for writing in!\n")
    [conv], _ = read(path)
    assert conv.title == "Welcome" and conv.turns[0].text.startswith("## Hello")


# -- CSV ---------------------------------------------------------------------------------------


def test_csv_rows_grouped_by_conversation_with_multiline_positions(run_cli):
    convs, _ = read(FIXTURES / "csv/tickets.csv")
    assert [(c.id, [t.speaker for t in c.turns]) for c in convs] == [
        ("T1", ["customer", "agent"]),
        ("T2", ["customer", "agent"]),
    ]
    assert convs[1].turns[1].text == 'Hi! I\'ve checked your account, the "Pro" plan is active.'
    [finding] = findings_of(run_cli, FIXTURES / "csv/tickets.csv")
    assert (finding["conversation"], finding["line"], finding["column"]) == ("T1", 4, 8)


def test_csv_reply_graph_rebuilds_threads_in_time_order_and_keeps_bare_cr():
    convs, errors = read(FIXTURES / "csv/tweets.csv")
    assert not errors
    thread, lone = convs
    assert thread.id == "3" and thread.channel == "social"
    assert [t.speaker for t in thread.turns] == ["customer", "agent", "customer"]
    assert thread.turns[0].text == "@acmecare my bill is wrong\n\nplease help"  # bare CRs inside an unquoted field
    assert [t.text for t in lone.turns] == ["@othercare hello?"]


def test_csv_one_exchange_per_row(run_cli):
    convs, _ = read(FIXTURES / "csv/pairs.csv")
    assert [[t.speaker for t in c.turns] for c in convs] == [["customer", "agent"], ["customer", "agent"]]
    assert convs[0].meta["subject"] == "Login"
    findings = findings_of(run_cli, FIXTURES / "csv/pairs.csv")
    assert findings and all(f["turn"] == 1 and f["line"] == 3 and f["conversation"] == convs[1].id for f in findings)


def test_csv_columns_option_and_speaker_labels(run_cli):
    _, errors = read(FIXTURES / "csv/custom.csv")
    assert "--csv-columns" in errors[0].message
    convs, errors = read(
        FIXTURES / "csv/custom.csv",
        csv_columns={"id": "case", "speaker": "who", "text": "said"},
        speaker_labels={"kunde": "customer"},
    )
    assert not errors and [t.speaker for t in convs[0].turns] == ["agent", "customer"]
    [finding] = findings_of(
        run_cli,
        FIXTURES / "csv/custom.csv",
        "--csv-columns",
        "id=case,speaker=who,text=said",
        "--speaker",
        "Kunde=customer",
    )
    assert finding["text"] == "open a new ticket"


def test_csv_unknown_speakers_are_reported_once(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("conversation_id,speaker,text\n1,Sam,hello\n1,Sam,again\n1,customer,hi\n")
    convs, [error] = read(path)
    assert "'Sam'" in error.message and "--speaker" in error.message and error.line == 2
    assert [t.speaker for t in convs[0].turns] == ["customer"]


def test_csv_bad_column_override_and_encoding(run_cli):
    _, [error] = read(FIXTURES / "csv/tickets.csv", csv_columns={"text": "nope"})
    assert "no such column" in error.message
    convs, errors = read(FIXTURES / "csv/latin1.csv", encoding="latin-1")
    assert not errors and convs[0].turns[0].text.startswith("Café")


# -- e-mail ------------------------------------------------------------------------------------


def test_eml_quoted_history_and_signature_are_not_linted(run_cli):
    [conv], _ = read(FIXTURES / "email/agent_reply.eml")
    turn = conv.turns[0]
    assert turn.speaker == "agent" and turn.name == "Sam Agent"
    assert (
        turn.text
        == "Hi Ann,\n\nI'm sorry the refund is late. For refund timelines please visit our website.\n\nBest regards,"
    )
    [finding] = findings_of(run_cli, FIXTURES / "email/agent_reply.eml")
    assert (finding["line"], finding["text"]) == (15, "visit our website")


def test_eml_interleaved_quotes_and_mobile_signature():
    [conv], _ = read(FIXTURES / "email/clean_reply.eml")
    assert conv.turns[0].speaker == "agent"  # support@ address
    assert "contact your bank" not in conv.turns[0].text and "iPhone" not in conv.turns[0].text
    assert conv.turns[0].source.locate(conv.turns[0].text.index("The second")).line == 13


def test_eml_quoted_printable_outlook_reply(run_cli):
    [conv], _ = read(FIXTURES / "email/outlook_qp.eml")
    text = conv.turns[0].text
    assert "café" in text and "From: Pat" not in text and "useless" not in text
    [finding] = findings_of(run_cli, FIXTURES / "email/outlook_qp.eml")
    assert (finding["line"], finding["text"]) == (16, "open a new ticket")


def test_eml_html_only_with_gmail_quote(run_cli):
    [conv], _ = read(FIXTURES / "email/html_only.eml")
    assert conv.turns[0].text == "Hi Max,\n\nYour account is unlocked. For anything else please check our FAQ."
    [finding] = findings_of(run_cli, FIXTURES / "email/html_only.eml")
    assert finding["line"] == 11


def test_mbox_threads_speakers_and_bots():
    convs, errors = read(FIXTURES / "email/thread.mbox")
    assert not errors
    thread, other = convs
    assert thread.id == "m1@mail.example" and other.id == "other@mail.example"
    assert [t.speaker for t in thread.turns] == ["customer", "bot", "agent", "customer"]
    assert thread.turns[1].lintable is False
    assert "Order 5521" not in thread.turns[2].text  # quoted with "Ann Customer wrote:"
    assert [t.speaker for t in other.turns] == ["customer"]


def test_agent_domain_decides_who_is_the_agent():
    [conv], _ = read(FIXTURES / "email/agent_reply.eml", agent_domains=("mail.example",))
    assert conv.turns[0].speaker == "customer"
    [conv], _ = read(FIXTURES / "email/agent_reply.eml", agent_domains=("acme.example",))
    assert conv.turns[0].speaker == "agent"


def test_mail_cleaning_cases():
    from cslint.readers._support.mailclean import own_lines

    def keep(text: str) -> str:
        lines = text.split("\n")
        return "\n".join(lines[i] for i in own_lines(lines))

    assert keep("Done.\n\n-- \nSam | Acme\nPlease visit our website") == "Done."
    assert keep("Yes.\n\n-----Original Message-----\nFrom: Ann\nSent: Monday\n\nold") == "Yes."
    assert keep("Ok.\n\nFrom: Ann <a@x>\nSent: Monday\nTo: b@y\nSubject: s\n\nold") == "Ok."
    assert keep("Sure.\n\n---------- Forwarded message ---------\nFrom: Bob\n\nfwd") == "Sure."
    assert keep("Erledigt.\n\nAm 01.03.2024 um 10:00 schrieb Ann <a@x>:\n> Wo?") == "Erledigt."
    assert (
        keep("Paid today.\n\nCONFIDENTIALITY NOTICE: This e-mail is intended only for the addressee.") == "Paid today."
    )
    # "Thanks," at the start of a line is not a signature when real text follows.
    assert (
        keep("Thanks, I refunded it.\nIt shows in 3 days.\n\nKind regards,\nSam\nAcme")
        == "Thanks, I refunded it.\nIt shows in 3 days.\n\nKind regards,"
    )


# -- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fixture, message, line",
    [
        ("bad/malformed.json", "invalid JSON", 3),
        ("bad/unknown_shape.json", "unrecognised JSON shape", None),
        ("bad/empty.json", "empty file", None),
        ("bad/empty.csv", "empty file", None),
        ("bad/binary.csv", "binary", None),
        ("bad/broken.yaml", "invalid YAML", 2),
        ("csv/no_columns.csv", "cannot tell which columns", 1),
        ("csv/latin1.csv", "--encoding", 2),
        ("email/empty.eml", "empty file", None),
        ("email/not_an_email.eml", "not an e-mail message", 1),
    ],
)
def test_bad_input_gives_one_clear_error(fixture, message, line):
    convs, errors = read(FIXTURES / fixture)
    assert not convs
    [error] = errors
    assert message in error.message and error.line == line and error.path.endswith(fixture)


def test_bad_files_do_not_stop_the_others(run_cli):
    status, data = check(run_cli, str(FIXTURES / "bad"), str(FIXTURES / "helpdesk/front_messages.json"))
    assert status == 2
    assert len(data["errors"]) == 6
    assert [f["text"] for f in data["findings"]] == ["check our FAQ"]


def test_jsonl_of_another_schema_gives_a_few_errors_and_a_count(tmp_path):
    path = tmp_path / "ids.jsonl"
    path.write_text("".join(json.dumps({"conversation_id": i, "tweet_ids": [1, 2]}) + "\n" for i in range(10)))
    _, errors = read(path)
    assert [e.line for e in errors[:3]] == [1, 2, 3]
    assert len(errors) == 4 and errors[3].message.startswith("7 more line(s) after line 1")


# -- registry ----------------------------------------------------------------------------------


def test_cli_input_formats_match_the_reader_registry():
    from cslint.cli import INPUT_FORMATS

    assert set(INPUT_FORMATS) == set(READERS)


def test_folder_walking_picks_up_the_new_extensions():
    from cslint.readers import collect_inputs

    inputs = collect_inputs([str(FIXTURES)])
    suffixes = {Path(s.path).suffix for s in inputs.sources}
    assert {".json", ".csv", ".eml", ".mbox", ".yaml", ".md", ".txt", ".html"} <= suffixes
    assert inputs.skipped_unknown == 0


# -- dataset layouts -----------------------------------------------------------------------------


def test_speaker_text_pair_turns(tmp_path):
    path = tmp_path / "abcd.json"
    path.write_text(
        json.dumps(
            [
                {
                    "convo_id": 9489,
                    "original": [
                        ["agent", "hi, how can I help?"],
                        ["customer", "refund status"],
                        ["action", "Account has been pulled up."],
                        ["agent", "Please visit our website."],
                    ],
                }
            ]
        )
    )
    [conv], errors = read(path)
    assert not errors and conv.id == "9489"
    assert [(t.speaker, t.lintable) for t in conv.turns] == [
        ("agent", True),
        ("customer", True),
        ("system", False),
        ("agent", True),
    ]


def test_ibm_dialog_with_final_agent_reply(tmp_path, run_cli):
    path = tmp_path / "ibm.json"
    path.write_text(
        json.dumps(
            [
                {
                    "agentURL": {
                        "url_utterance": "@ann For help, please visit our website https://help.example",
                        "url": "https://help.example",
                    },
                    "dialogContent": [
                        {"client": "ann", "datetime": "2020-04-01T17:31:32.000Z", "message": "@acme my login fails"}
                    ],
                    "dialogHeader": {"company": "acme", "sessionID": "s1"},
                }
            ],
            indent=2,
        )
    )
    [conv], _ = read(path)
    assert conv.id == "s1" and [(t.speaker, t.name) for t in conv.turns] == [
        ("customer", "ann"),
        ("agent", "acme"),
    ]  # the company answers
    [finding] = findings_of(run_cli, path)
    assert finding["turn"] == 1 and finding["line"] == 4


def test_malformed_headers_and_mime_never_raise(tmp_path):
    path = tmp_path / "odd.eml"
    path.write_bytes(
        b'From: "Jo <jo@\nTo: Max\nSubject: =?x-unknown?q?hi?=\nMessage-ID: <a@b>\nContent-Type: text/plain; charset=x-unknown\n\nHello, please visit our website.\n'
    )
    convs, errors = read(path)
    assert not errors and "please visit our website" in convs[0].turns[0].text


def test_csv_with_only_blank_rows(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text(",,\n  \n")
    _, [error] = read(path)
    assert "empty" in error.message


def test_cli_reading_options(run_cli):
    result = run_cli("check", "--csv-columns", "words=body", str(FIXTURES / "csv/pairs.csv"))
    assert result.exit_code == 2 and "--csv-columns" in result.output
    status, data = check(run_cli, "--agent-domain", "mail.example", str(FIXTURES / "email/agent_reply.eml"))
    assert status == 0 and data["findings"] == []  # the sender is now a customer: not linted
    status, data = check(run_cli, "--agent-domain", "acme.example", str(FIXTURES / "email/agent_reply.eml"))
    assert status == 0 and [f["text"] for f in data["findings"]] == ["visit our website"]
