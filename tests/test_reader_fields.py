"""Readers on real export layouts: conversation ids from the usual id fields, the company as
the agent's name, and every timestamp format usable by the timing rules."""

import json

import pytest

from cslint.readers import ReadOptions, Source, read_source
from cslint.timestamps import parse_timestamp

TWITTER = "Tue Oct 31 22:10:47 +0000 2017"


def read(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content)
    return list(read_source(Source(str(path)), ReadOptions()))


@pytest.mark.parametrize("key", ["dialog_id", "conversation_id", "ticket_id", "thread_id", "session_id", "convo_id"])
def test_conversation_id_from_the_usual_fields(tmp_path, key):
    doc = {key: "abc-1", "turns": [{"speaker": "customer", "text": "hi"}, {"speaker": "agent", "text": "hello"}]}
    (conversation,) = read(tmp_path, "d.jsonl", json.dumps(doc) + "\n")
    assert conversation.id == "abc-1"


def test_ibm_company_is_the_agent_name(tmp_path):
    dialog = {
        "dialogHeader": {"company": "TeamYouTube", "sessionID": "s-1"},
        "dialogContent": [{"client": "ann", "datetime": "2020-04-01T17:31:32.000Z", "message": "@TeamYouTube help"}],
        "agentURL": {"url_utterance": "@ann please visit our website."},
    }
    (conversation,) = read(tmp_path, "ibm.json", json.dumps([dialog]))
    assert conversation.id == "s-1"
    assert [(t.speaker, t.name) for t in conversation.turns] == [("customer", "ann"), ("agent", "TeamYouTube")]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2017-10-31T22:10:47Z", 1509487847.0),
        (TWITTER, 1509487847.0),
        ("Tue, 31 Oct 2017 22:10:47 +0000", 1509487847.0),
        ("2017-10-31 23:10:47+01:00", 1509487847.0),
        ("1509487847", 1509487847.0),
        ("1509487847000", 1509487847.0),
        (1509487847, 1509487847.0),
        ("5", None),  # no year: not a timestamp (dateutil alone would read "the 5th of this month")
        ("soon", None),
        ("2017" * 40, None),  # longer than any timestamp: not parsed
        (True, None),
    ],
)
def test_one_timestamp_parser(text, expected):
    assert parse_timestamp(text) == expected


def test_slow_response_on_twitter_times_in_csv(run_cli, tmp_path):
    rows = [
        "tweet_id,author_id,inbound,created_at,text,in_response_to_tweet_id",
        f"1,ann,True,{TWITTER},@acme my parcel never arrived,",
        "2,acme,False,Tue Oct 31 23:40:47 +0000 2017,@ann Sorry to hear that. Let me check it now.,1",
    ]
    (tmp_path / "tweets.csv").write_text("\n".join(rows) + "\n")
    result = run_cli("check", "--no-config", "--select", "slow-response", "-f", "json", tmp_path / "tweets.csv")
    (finding,) = json.loads(result.stdout)["findings"]
    assert "waited 1h 30m" in finding["message"]


def test_native_times_in_any_format(run_cli, tmp_path):
    doc = {
        "id": "c1",
        "channel": "chat",
        "turns": [
            {"speaker": "customer", "text": "Hello? Anyone there?", "created_at": TWITTER},
            {"speaker": "agent", "text": "Hi Ann, here now.", "created_at": "Tue Oct 31 22:30:47 +0000 2017"},
        ],
    }
    (tmp_path / "c.json").write_text(json.dumps(doc))
    result = run_cli("check", "--no-config", "--select", "slow-response", "-f", "json", tmp_path / "c.json")
    assert "waited 20m" in json.loads(result.stdout)["findings"][0]["message"]


def _tweets(tmp_path, rows):
    path = tmp_path / "tweets.csv"
    path.write_text("tweet_id,author_id,inbound,created_at,text,in_response_to_tweet_id\n" + "\n".join(rows) + "\n")
    return path


def test_tweets_keep_which_tweet_each_answers(tmp_path):
    path = _tweets(
        tmp_path,
        [
            "1,acmeshop,True,Tue Oct 31 08:00:00 +0000 2017,Big sale on Friday!,",
            "2,ann,True,Wed Nov 01 10:30:00 +0000 2017,@acmeshop my order never came,1",
            "3,bo,True,Wed Nov 01 10:31:00 +0000 2017,@acmeshop love it,1",
            "4,acmehelp,False,Wed Nov 01 10:39:00 +0000 2017,@ann Sorry! Let me check.,2",
        ],
    )
    (conversation,) = read_source(Source(str(path)), ReadOptions())
    assert [t.text[:6] for t in conversation.turns] == ["Big sa", "@acmes", "@acmes", "@ann S"]
    assert [t.reply_to for t in conversation.turns] == [None, 0, 0, 1]


def test_slow_response_times_a_tweet_from_the_one_it_answers(run_cli, tmp_path):
    """A brand's promotional post (not its care team: inbound), a customer's reply a day later,
    the care team's answer 9 minutes after that: no wait, though the thread began a day before.
    In the other branch the customer waited 3 hours."""
    path = _tweets(
        tmp_path,
        [
            "1,acmeshop,True,Tue Oct 31 08:00:00 +0000 2017,Big sale on Friday!,",
            "2,ann,True,Wed Nov 01 10:30:00 +0000 2017,@acmeshop my order never came,1",
            "3,bo,True,Wed Nov 01 10:31:00 +0000 2017,@acmeshop my refund is missing,1",
            "4,acmehelp,False,Wed Nov 01 10:39:00 +0000 2017,@ann Sorry! Let me check.,2",
            "5,acmehelp,False,Wed Nov 01 13:31:01 +0000 2017,@bo Sorry for the wait. Let me check.,3",
        ],
    )
    for jobs in ("1", "2"):
        result = run_cli("check", "--no-config", "--select", "slow-response", "-f", "json", "-j", jobs, path)
        findings = json.loads(result.stdout)["findings"]
        assert [(f["turn"], f["message"]) for f in findings] == [
            (4, "The customer waited 3h for this reply (target for social: 1h).")
        ], jobs


def test_slow_response_skips_thanks_and_posts_that_tag_nobody(run_cli, tmp_path):
    path = _tweets(
        tmp_path,
        [
            "1,ann,True,Tue Oct 31 08:00:00 +0000 2017,Worst bank ever,",
            "2,acmehelp,False,Tue Oct 31 12:00:00 +0000 2017,@ann Sorry to see this! Can we help?,1",
            "3,ann,True,Tue Oct 31 12:10:00 +0000 2017,@acmehelp All sorted now thank you,2",
            "4,acmehelp,False,Wed Nov 01 09:00:00 +0000 2017,@ann Glad to hear it!,3",
        ],
    )
    result = run_cli("check", "--no-config", "--select", "slow-response", "-f", "json", path)
    assert json.loads(result.stdout)["findings"] == []


def test_native_turns_may_say_which_turn_they_answer(run_cli, tmp_path):
    doc = {
        "id": "t1",
        "channel": "social",
        "turns": [
            {"speaker": "customer", "name": "ann", "text": "@acme my order never came", "time": "2024-03-01T10:00:00Z"},
            {"speaker": "customer", "name": "bo", "text": "@acme my refund is missing", "time": "2024-03-01T10:01:00Z"},
            {"speaker": "agent", "text": "@ann Sorry! Let me check.", "time": "2024-03-01T10:05:00Z", "reply_to": 0},
            {"speaker": "agent", "text": "@bo Sorry for the wait.", "time": "2024-03-01T12:30:00Z", "reply_to": 1},
        ],
    }
    path = tmp_path / "t.json"
    path.write_text(json.dumps(doc))
    (conversation,) = read_source(Source(str(path)), ReadOptions())
    assert [t.reply_to for t in conversation.turns] == [None, None, 0, 1]
    assert all("reply_to" not in t.meta for t in conversation.turns)
    result = run_cli("check", "--no-config", "--select", "slow-response", "-f", "json", path)
    assert [f["turn"] for f in json.loads(result.stdout)["findings"]] == [3]


@pytest.mark.parametrize("bad", [4, -1, 2, "0", True, 1.0])
def test_a_reply_to_that_names_no_other_turn_is_a_one_line_error(run_cli, tmp_path, bad):
    turns = [
        {"speaker": "customer", "text": "hi"},
        {"speaker": "agent", "text": "hello"},
        {"speaker": "agent", "text": "x"},
    ]
    turns[2]["reply_to"] = bad
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps({"id": "t1", "turns": turns}) + "\n")
    result = run_cli("check", "--no-config", path)
    assert result.exit_code == 2
    assert "turn 2 'reply_to' must be the index of another turn (0 to 2)" in result.output
    assert "Traceback" not in result.output
