"""Scorecards: the formula, its config, per-agent rates and ranking, weekly trends."""

import pytest

from cslint.model import Conversation, Finding, Severity, Turn
from cslint.scorecard import UNNAMED_AGENT, ScoreBook, ScorecardConfig
from cslint.timeparse import parse_date, week_of


def finding(rule="runaround", severity=Severity.WARNING, turn=1, agent="Sam", speaker="agent"):
    return Finding(
        rule=rule,
        severity=severity,
        path="t.jsonl",
        conversation="c",
        turn=turn,
        speaker=speaker,
        line=1,
        column=1,
        start=0,
        end=2,
        text="hi",
        message="m",
        fix="f",
        agent=agent,
    )


def conversation(agents=("Sam",), time=None, cid="c"):
    turns = [Turn("customer", "help", time=time)]
    for name in agents:
        turns.append(Turn("agent", "hi", name=name, time=time))
    return Conversation(cid, "t.jsonl", turns, channel="chat")


def test_score_is_100_minus_the_weights_by_severity():
    book = ScoreBook()
    record = book.add(conversation(), [finding(severity=Severity.ERROR), finding(), finding(severity=Severity.INFO)])
    assert record.score == 100 - 15 - 5 - 1  # 79: below the pass mark of 80
    assert not record.passed and record.findings == 3 and record.by_severity == {"error": 1, "warning": 1, "info": 1}


def test_rule_weights_override_severity_weights_and_the_score_stops_at_zero():
    config = ScorecardConfig.from_mapping({"weights": {"blame": 40}, "severity_weights": {"warning": 2}})
    book = ScoreBook(config)
    assert book.add(conversation(), [finding(rule="blame"), finding()]).score == 100 - 40 - 2
    assert book.add(conversation(), [finding(rule="blame")] * 3).score == 0


def test_a_critical_rule_fails_the_conversation_whatever_its_weight():
    config = ScorecardConfig.from_mapping({"critical": ["blame"], "weights": {"blame": 0}, "pass_mark": 70})
    book = ScoreBook(config)
    failed = book.add(conversation(), [finding(rule="blame")])
    assert failed.score == 0 and not failed.passed and failed.critical == ("blame",)
    below = book.add(conversation(), [finding()] * 7)  # 65 < pass mark 70
    assert below.score == 65 and not below.passed and not below.critical
    assert book.totals()["critical_failed"] == 1 and book.totals()["failed"] == 2


def test_agents_get_rates_per_100_of_their_own_turns_and_are_ranked():
    book = ScoreBook()
    # Sam: 4 agent turns, 1 finding (25 per 100); Kim: 1 agent turn, 1 finding (100 per 100).
    book.add(conversation(("Sam", "Sam", "Sam", "Sam")), [finding(agent="Sam")])
    book.add(conversation(("Kim",)), [finding(agent="Kim")])
    book.add(conversation(("Lee",)), [])
    ranked = book.agents()
    assert [a.agent for a in ranked] == ["Lee", "Sam", "Kim"]  # same score 95: lower rate first
    sam = next(a for a in ranked if a.agent == "Sam")
    assert (sam.agent_turns, sam.findings, sam.rate, sam.mean_score) == (4, 1, 25.0, 95.0)
    assert ranked[0].to_dict(1)["per_100_agent_turns"] == 0.0


def test_agents_with_few_conversations_are_ranked_after_the_others():
    book = ScoreBook(ScorecardConfig.from_mapping({"min_conversations": 2}))
    book.add(conversation(("Lucky",)), [])
    for _ in range(2):
        book.add(conversation(("Steady",)), [finding(agent="Steady")])
    ranked = book.agents()
    assert [a.agent for a in ranked] == ["Steady", "Lucky"]
    assert [a.to_dict(i, 2)["few_conversations"] for i, a in enumerate(ranked, 1)] == [False, True]


def test_customer_findings_do_not_count_against_an_agent_and_unnamed_agents_are_grouped():
    book = ScoreBook()
    book.add(conversation((None,)), [finding(agent=None), finding(speaker="customer", agent=None, turn=0)])
    (agent,) = book.agents()
    assert agent.agent == UNNAMED_AGENT and agent.findings == 1 and agent.agent_turns == 1


@pytest.mark.parametrize(
    "text, day",
    [
        ("2024-03-01T10:00:00Z", "2024-03-01"),
        ("2024-03-01 10:00", "2024-03-01"),
        ("Tue Oct 31 22:10:47 +0000 2017", "2017-10-31"),
        ("Fri, 01 Mar 2024 10:00:00 +0000", "2024-03-01"),
        ("10:02", None),
        ("yesterday afternoon", None),
        ("", None),
        (None, None),
    ],
)
def test_dates_of_the_timestamps_readers_keep(text, day):
    parsed = parse_date(text)
    assert (parsed.isoformat() if parsed else None) == day


def test_trends_per_week_and_per_agent():
    assert week_of("2024-03-03T23:00:00Z") == "2024-02-26"  # a Sunday: the week began Monday
    book = ScoreBook()
    book.add(conversation(("Sam",), time="2024-03-01T10:00:00Z"), [finding()])
    book.add(conversation(("Sam",), time="2024-03-08T10:00:00Z"), [])
    book.add(conversation(("Kim",)), [finding(agent="Kim")])  # no date: not in the trends
    weeks = book.trends()
    assert [(w["week"], w["conversations"], w["findings"]) for w in weeks] == [
        ("2024-02-26", 1, 1),
        ("2024-03-04", 1, 0),
    ]
    assert book.agent_trends() == {
        "Sam": [
            {"week": "2024-02-26", "agent_turns": 1, "findings": 1, "per_100_agent_turns": 100.0},
            {"week": "2024-03-04", "agent_turns": 1, "findings": 0, "per_100_agent_turns": 0.0},
        ]
    }


def test_distribution_bands():
    book = ScoreBook()
    book.add(conversation(), [])
    book.add(conversation(), [finding()])
    book.add(conversation(), [finding(severity=Severity.ERROR)] * 7)
    bands = {b["from"]: b["conversations"] for b in book.distribution()}
    assert bands[100] == 1 and bands[90] == 1 and bands[0] == 1 and sum(bands.values()) == 3


def test_config_key_is_validated_with_file_and_line(tmp_path, run_cli):
    config = tmp_path / ".cslint.yaml"
    config.write_text("scorecard:\n  critical: [blame, jargn]\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("Hello!\n", encoding="utf-8")
    result = run_cli("check", str(tmp_path / "a.md"))
    assert result.exit_code == 2
    assert ".cslint.yaml:2: scorecard.critical[1]: no rule named 'jargn' (did you mean 'jargon'?)" in result.stderr
    config.write_text("scorecard:\n  pass_mark: 120\n", encoding="utf-8")
    result = run_cli("check", str(tmp_path / "a.md"))
    assert result.exit_code == 2 and ".cslint.yaml:2: scorecard.pass_mark" in result.stderr


def test_config_show_lists_the_scorecard(tmp_path, run_cli):
    (tmp_path / ".cslint.yaml").write_text("scorecard:\n  weights: {blame: 30}\n", encoding="utf-8")
    result = run_cli("config", "show", str(tmp_path))
    line = next(line for line in result.output.splitlines() if line.startswith("scorecard:"))
    assert '"blame": 30.0' in line and '"pass_mark": 80.0' in line and ".cslint.yaml:1" in line


def test_records_come_back_whole_and_in_order_even_from_the_temporary_file(monkeypatch):
    import cslint.scorecard as scorecard

    monkeypatch.setattr(scorecard, "SPOOL_BYTES", 2_000)  # a few records, then the spool goes to disk
    book = ScoreBook(ScorecardConfig.from_mapping({"critical": ["blame"]}))
    added = []
    for i in range(300):
        time = f"2024-03-{1 + i % 28:02d}T10:00:00Z"
        findings = [finding(rule="blame")] if i % 50 == 0 else [finding()] * (i % 4)
        added.append(book.add(conversation(agents=("Sam", "Ana")[: 1 + i % 2], time=time, cid=f"c{i} ✓"), findings))
        if i == 150:
            assert [r.conversation for r in book.records()][-1] == "c150 ✓"  # reading does not stop adding
    assert book._spool._rolled  # type: ignore[attr-defined]  # the records left memory
    assert list(book.records()) == added
    assert list(book.records()) == added  # read again: the same
    assert len(book) == 300 and book.totals()["conversations"] == 300


def test_totals_bands_and_trends_are_the_sums_of_the_records():
    book = ScoreBook()
    for i in range(40):
        time = f"2024-0{1 + i % 3}-0{1 + i % 7}T09:00:00Z"
        book.add(
            conversation(agents=("Sam",) if i % 3 else ("Ana", "Sam"), time=time, cid=str(i)), [finding()] * (i % 5)
        )
    records = list(book.records())
    totals = book.totals()
    assert totals["conversations"] == len(records)
    assert totals["passed"] == sum(r.passed for r in records)
    assert totals["mean_score"] == round(sum(r.score for r in records) / len(records), 1)
    bands = {b["from"]: b["conversations"] for b in book.distribution()}
    assert sum(bands.values()) == len(records)
    assert bands[80] == sum(80 <= r.score < 90 for r in records)
    weeks = {w["week"]: w for w in book.trends()}
    for week, cell in weeks.items():
        mine = [r for r in records if r.week == week]
        assert cell["conversations"] == len(mine) and cell["findings"] == sum(r.findings for r in mine)
    assert weeks and all(r.week for r in records)
    sam = {w["week"]: w["agent_turns"] for w in book.agent_trends()["Sam"]}
    assert sum(sam.values()) == sum(r.agent_counts.get("Sam", (0, 0))[0] for r in records)
