"""Suppressions: each form, the reason in the report, and errors for unknown rule ids."""

import json
import textwrap
from pathlib import Path

import pytest

from cslint.model import Conversation, Finding, Severity, SourceMap, Turn
from cslint.suppression import Suppressor, split_spec

RUNAROUND = "please visit our website"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def check(run_cli, *paths):
    result = run_cli("check", "-f", "json", "--no-config", "--fail-on", "info", *paths)
    return result, json.loads(result.stdout)


def lines_of(doc):
    return [f["line"] for f in doc["findings"]]


def test_split_spec():
    assert split_spec(" runaround, blame -- the FAQ is the answer ") == (
        ("runaround", "blame"),
        "the FAQ is the answer",
    )
    assert split_spec("runaround blame") == (("runaround", "blame"), None)
    assert split_spec("") == ((), None)
    assert split_spec("all -- legal text") == ((), "legal text")


def test_disable_enable_region_in_markdown(tmp_path, run_cli):
    reply = write(
        tmp_path / "r.md",
        f"""\
        Thanks for asking, {RUNAROUND}.

        <!-- cslint-disable runaround -- the size chart is on the page and nowhere else -->
        For sizes, {RUNAROUND}.
        Also, {RUNAROUND}.
        <!-- cslint-enable runaround -->

        Otherwise {RUNAROUND}.
        """,
    )
    result, doc = check(run_cli, reply)
    assert lines_of(doc) == [1, 8]
    assert [(s["line"], s["reason"]) for s in doc["suppressed"]] == [
        (4, "the size chart is on the page and nowhere else"),
        (5, "the size chart is on the page and nowhere else"),
    ]
    assert doc["summary"]["suppressed"] == 2
    assert result.exit_code == 1


def test_disable_without_ids_covers_every_rule_until_the_end(tmp_path, run_cli):
    reply = write(
        tmp_path / "r.md", f"Hi, {RUNAROUND}.\n<!-- cslint-disable -->\nThen {RUNAROUND}.\n\nAnd {RUNAROUND}.\n"
    )
    _, doc = check(run_cli, reply)
    assert lines_of(doc) == [1]
    assert [s["line"] for s in doc["suppressed"]] == [3, 5]
    assert doc["suppressed"][0]["reason"] is None


def test_enable_one_rule_inside_a_disable_all(tmp_path, run_cli):
    reply = write(tmp_path / "r.md", f"<!-- cslint-disable -->\n<!-- cslint-enable runaround -->\nSo {RUNAROUND}.\n")
    _, doc = check(run_cli, reply)
    assert lines_of(doc) == [3] and doc["suppressed"] == []


def test_disable_next_line_skips_blank_lines_and_covers_one_line(tmp_path, run_cli):
    reply = write(
        tmp_path / "r.md",
        f"<!-- cslint-disable-next-line runaround -- legal asked for this wording -->\n\nSo {RUNAROUND}.\nAgain {RUNAROUND}.\n",
    )
    _, doc = check(run_cli, reply)
    assert lines_of(doc) == [4]
    assert doc["suppressed"][0]["line"] == 3
    assert doc["suppressed"][0]["suppressed_by"] == "cslint-disable-next-line marker (line 1)"


def test_disable_line_and_hash_markers_in_text_files(tmp_path, run_cli):
    reply = write(
        tmp_path / "r.txt",
        f"""\
        So {RUNAROUND}. <!-- cslint-disable-line runaround -- ok -->
        # cslint-disable-next-line runaround -- plain-text form
        Then {RUNAROUND}.
        Finally {RUNAROUND}.
        """,
    )
    _, doc = check(run_cli, reply)
    assert lines_of(doc) == [4]
    assert [(s["line"], s["reason"]) for s in doc["suppressed"]] == [(1, "ok"), (3, "plain-text form")]


def test_markers_in_a_chat_log_cover_later_turns(tmp_path, run_cli):
    log = write(
        tmp_path / "c.log",
        f"""\
        Customer: Which size should I order?
        Agent: Let me check.
        # cslint-disable-next-line runaround -- the chart only exists online
        Agent: For the chart, {RUNAROUND}.
        Agent: Otherwise {RUNAROUND}.
        """,
    )
    _, doc = check(run_cli, log)
    assert lines_of(doc) == [5]
    assert [s["line"] for s in doc["suppressed"]] == [4]


def test_words_inside_a_marker_are_not_linted(tmp_path, run_cli):
    reply = write(tmp_path / "r.md", f"<!-- cslint-disable blame -- customer wrote: {RUNAROUND} -->\nAll good here.\n")
    _, doc = check(run_cli, reply)
    assert doc["findings"] == [] and doc["suppressed"] == []


def test_marker_for_another_rule_does_not_suppress(tmp_path, run_cli):
    reply = write(tmp_path / "r.md", f"<!-- cslint-disable-next-line any-inconvenience -->\nSo {RUNAROUND}.\n")
    _, doc = check(run_cli, reply, "--rules", Path(__file__).parent / "fixtures" / "fix-rules")
    assert lines_of(doc) == [2] and doc["suppressed"] == []


def test_unknown_rule_in_a_marker_is_an_error(tmp_path, run_cli):
    reply = write(tmp_path / "r.md", f"Hi.\n<!-- cslint-disable-next-line runarond -- typo -->\nSo {RUNAROUND}.\n")
    result, doc = check(run_cli, reply)
    assert result.exit_code == 2
    assert lines_of(doc) == [3]  # the typo suppressed nothing
    error = doc["errors"][0]
    assert error["line"] == 2
    assert "unknown rule 'runarond' in cslint-disable-next-line marker (did you mean 'runaround'?)" in error["message"]


@pytest.mark.parametrize(
    "marker, hint",
    [
        ("<!-- cslint-disabled runaround -->", "unknown marker 'cslint-disabled' (did you mean 'cslint-disable'?)"),
        (
            "# cslint-disable-nextline runaround",
            "unknown marker 'cslint-disable-nextline' (did you mean 'cslint-disable-next-line'?)",
        ),
    ],
)
def test_misspelt_marker_is_an_error(tmp_path, run_cli, marker, hint):
    reply = write(tmp_path / "r.txt", f"Hi.\n{marker}\nSo {RUNAROUND}.\n")
    result, doc = check(run_cli, reply)
    assert result.exit_code == 2 and lines_of(doc) == [3]
    assert doc["errors"][0]["line"] == 2 and hint in doc["errors"][0]["message"]


CONVERSATIONS = [
    {
        "id": "c-1",
        "turns": [
            {"speaker": "customer", "text": "Where are the sizes?"},
            {"speaker": "agent", "text": f"Sorry, {RUNAROUND}.", "cslint_disable": ["runaround -- sizes only online"]},
            {"speaker": "agent", "text": f"Or {RUNAROUND}."},
        ],
    },
    {
        "id": "c-2",
        "cslint_disable": {"runaround": "a macro the legal team owns"},
        "turns": [{"speaker": "agent", "text": f"Hello, {RUNAROUND}."}],
    },
    {"id": "c-3", "turns": [{"speaker": "agent", "text": f"Hey, {RUNAROUND}."}]},
]


def test_reply_and_conversation_fields_in_json(tmp_path, run_cli):
    path = tmp_path / "convs.json"
    path.write_text(json.dumps(CONVERSATIONS, indent=1))
    result, doc = check(run_cli, path)
    assert [(f["conversation"], f["turn"]) for f in doc["findings"]] == [("c-1", 2), ("c-3", 0)]
    assert [(s["conversation"], s["turn"], s["reason"], s["suppressed_by"]) for s in doc["suppressed"]] == [
        ("c-1", 1, "sizes only online", "reply field"),
        ("c-2", 0, "a macro the legal team owns", "conversation field"),
    ]


def test_fields_in_jsonl_and_unknown_ids(tmp_path, run_cli):
    path = tmp_path / "convs.jsonl"
    bad = {"id": "c-9", "cslint_disable": "runaroun", "turns": [{"speaker": "agent", "text": f"Hi, {RUNAROUND}."}]}
    path.write_text("\n".join(json.dumps(c) for c in [*CONVERSATIONS, bad]) + "\n")
    result, doc = check(run_cli, path)
    assert result.exit_code == 2
    assert [f["conversation"] for f in doc["findings"]] == ["c-1", "c-3", "c-9"]
    assert (
        "conversation c-9: unknown rule 'runaroun' in the conversation's cslint_disable field"
        in doc["errors"][0]["message"]
    )


def test_front_matter_field_of_a_canned_response(tmp_path, run_cli):
    reply = write(
        tmp_path / "r.md", f"---\ntitle: Sizes\ncslint_disable: runaround -- approved by QA\n---\nHi, {RUNAROUND}.\n"
    )
    result, doc = check(run_cli, reply)
    assert doc["findings"] == [] and result.exit_code == 0
    assert doc["suppressed"][0]["reason"] == "approved by QA"


def test_malformed_field_is_an_error(tmp_path, run_cli):
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"id": "c", "cslint_disable": 3, "turns": [{"speaker": "agent", "text": "Hi."}]}))
    result, doc = check(run_cli, path)
    assert result.exit_code == 2 and "must be 'rule-id -- reason'" in doc["errors"][0]["message"]


def test_text_summary_counts_suppressed(tmp_path, run_cli):
    reply = write(tmp_path / "r.md", f"<!-- cslint-disable runaround -- ok -->\nSo {RUNAROUND}.\n")
    result = run_cli("check", "--no-config", reply)
    assert result.exit_code == 0
    assert "0 findings in 0 of 1 conversation" in result.stdout and "; 1 suppressed" in result.stdout


def test_suppressor_unit_on_a_hand_made_conversation():
    text = "a\n<!-- cslint-disable-next-line x -->\nb"
    conv = Conversation("c", "p.md", [Turn("agent", text, source=SourceMap.for_lines(text, 1))])

    def finding(start):
        return Finding(
            "x", Severity.WARNING, "p.md", "c", 0, "agent", 1, 1, start, start + 1, text[start], "m", "f", text
        )

    outcome = Suppressor({"x"}).apply(conv, [finding(0), finding(len(text) - 1)])
    assert [f.start for f in outcome.kept] == [0]
    assert [s.finding.start for s in outcome.suppressed] == [len(text) - 1]
