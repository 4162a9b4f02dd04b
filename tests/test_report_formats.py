"""The reviewer outputs from the command line: CSV, the score sheet, the JSON summary's
scores, Markdown's agent ranking, and text for big runs (--fixes, --summary-only)."""

import csv
import io
import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

EXAMPLES = Path(__file__).parent.parent / "examples" / "transcripts"

FORMULA_TEXT = '=HYPERLINK("http://evil.example","x") Please visit our website.'


@pytest.fixture
def formula_chat(tmp_path):
    """A chat whose agent name and text start like spreadsheet formulas."""
    chat = {
        "id": "+cmd|' /C calc'!A0",
        "channel": "chat",
        "turns": [
            {"speaker": "customer", "text": "-2+3 where is my order?", "time": "2024-03-01T10:00:00Z"},
            {"speaker": "agent", "name": "@Sam", "text": FORMULA_TEXT, "time": "2024-03-01T10:01:00Z"},
        ],
    }
    path = tmp_path / "formula.json"
    path.write_text(json.dumps(chat), encoding="utf-8")
    return path


def json_report(run_cli, *paths):
    result = run_cli("check", "--no-config", "-f", "json", *paths)
    return json.loads(result.stdout)


def test_csv_has_one_row_per_finding_with_every_json_field(run_cli):
    document = json_report(run_cli, EXAMPLES)
    result = run_cli("check", "--no-config", "-f", "csv", EXAMPLES)
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert len(rows) == len(document["findings"]) > 0
    for row, finding in zip(rows, document["findings"]):
        for key, value in finding.items():
            assert row[key] == str(value), key


def test_csv_cells_cannot_be_formulas(run_cli, formula_chat):
    result = run_cli("check", "--no-config", "--select", "runaround", "-f", "csv", formula_chat)
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert rows, result.output
    for row in rows:
        assert row["conversation"] == "'+cmd|' /C calc'!A0"
        assert row["agent"] == "'@Sam"
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value


def test_scores_file_has_a_row_per_conversation(run_cli, tmp_path, formula_chat):
    sheet = tmp_path / "scores.csv"
    result = run_cli("check", "--no-config", "-f", "json", "--scores", sheet, EXAMPLES, formula_chat)
    summary = json.loads(result.stdout)["summary"]
    data = sheet.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # a BOM: spreadsheet programs read it as UTF-8
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(rows) == summary["conversations"] == len(summary["by_conversation"])
    for row, scored in zip(rows, summary["by_conversation"]):
        assert float(row["score"]) == scored["score"] and int(row["findings"]) == scored["findings"]
        assert row["passed"] == ("yes" if scored["passed"] else "no")
    hostile = next(row for row in rows if row["path"].endswith("formula.json"))
    assert hostile["conversation"].startswith("'+") and hostile["agents"] == "'@Sam"


def test_scores_file_that_cannot_be_written_is_one_error_line(run_cli, tmp_path):
    result = run_cli("check", "--no-config", "--scores", tmp_path / "missing" / "s.csv", EXAMPLES)
    assert result.exit_code == 2
    assert "s.csv: cannot write output" in result.stderr and "Traceback" not in result.stderr


def test_json_summary_has_scores_per_agent_and_conversation(run_cli):
    document = json_report(run_cli, EXAMPLES)
    schema = json.loads((resources.files("cslint") / "schemas" / "findings.schema.json").read_text())
    jsonschema.validate(document, schema)
    summary = document["summary"]
    assert summary["agent_turns"] == sum(c["agent_turns"] for c in summary["by_conversation"])
    assert sum(c["findings"] for c in summary["by_conversation"]) == summary["findings"]
    ranks = [a["rank"] for a in summary["by_agent"]]
    assert ranks == list(range(1, len(ranks) + 1))
    sam = next(a for a in summary["by_agent"] if a["agent"] == "Sam")
    own = [f for f in document["findings"] if f.get("agent") == "Sam" and f["speaker"] == "agent"]
    assert sam["findings"] == len(own)
    assert sam["per_100_agent_turns"] == round(100 * len(own) / sam["agent_turns"], 2)
    card = summary["scorecard"]
    assert card["passed"] + card["failed"] == summary["conversations"]
    assert summary["by_week"] and all(w["week"].count("-") == 2 for w in summary["by_week"])


def test_markdown_ranks_agents_and_links_nothing_it_does_not_have(run_cli):
    result = run_cli("check", "--no-config", "-f", "markdown", EXAMPLES)
    assert "full report" not in result.stdout
    assert "| # | agent | score | findings per 100 agent turns |" in result.stdout
    assert "**Score**" in result.stdout


def test_text_fixes_once_prints_each_rule_fix_once(run_cli):
    every = run_cli("check", "--no-config", "--color", "never", EXAMPLES).stdout
    once = run_cli("check", "--no-config", "--color", "never", "--fixes", "once", EXAMPLES).stdout
    none = run_cli("check", "--no-config", "--color", "never", "--fixes", "none", EXAMPLES).stdout
    assert every.count("fix: ") > once.count("fix: ") == 0
    assert "How to fix, per rule" in once and "How to fix" not in none and "fix: " not in none
    fixes = once.split("How to fix, per rule", 1)[1]
    rules = [line.split(":", 1)[0].strip() for line in fixes.splitlines() if line[:2] == "  " and line[2:3] != " "]
    assert len(rules) == len(set(rules)) > 3


def test_text_fixes_once_lists_each_triggers_advice_once(run_cli):
    """A rule whose triggers have their own advice lists each paragraph once, under the rule."""
    draft = "Kindly provide your order number. Your call is important to us. Your call is important to us."
    out = run_cli(
        "check",
        "--no-config",
        "--color",
        "never",
        "--fixes",
        "once",
        "--select",
        "robotism",
        "-",
        "--customer",
        "My parcel is late",
        input=draft,
    ).stdout
    fixes = out.split("How to fix, per rule", 1)[1].splitlines()
    assert [line.split(":")[0] for line in fixes if line.startswith("  robotism")] == ["  robotism"]
    assert len([line for line in fixes if line.startswith("    - ")]) == 1
    assert "Instead of" not in "\n".join(fixes)


def test_text_summary_only_has_no_finding(run_cli):
    full = run_cli("check", "--no-config", "--color", "never", EXAMPLES).stdout
    short = run_cli("check", "--no-config", "--color", "never", "--summary-only", EXAMPLES).stdout
    assert "│" in full and "chats.jsonl:" in full
    assert "chats.jsonl:" not in short and "Findings per rule" in short and "Agents, best first" in short
    assert short.strip().splitlines()[-1] == full.strip().splitlines()[-1]  # the same closing summary
    both = run_cli("check", "--no-config", "--color", "never", "--summary-only", "--fixes", "once", EXAMPLES).stdout
    assert "How to fix, per rule" in both and "chats.jsonl:" not in both


def test_fixes_choices_match_the_text_reporter_modes():
    from cslint.cli import check
    from cslint.reporters.base import FIXES_MODES

    option = next(p for p in check.params if p.name == "fixes")
    assert tuple(option.type.choices) == FIXES_MODES
