"""``cslint fix``: only safe rewordings, only the matched words, diff by default, --write
atomically, idempotent, and only for formats whose text maps 1:1 to the file."""

import json
from pathlib import Path

import pytest
from helpers import write_rule

from cslint.advice import match_case, safe_betters
from cslint.engine.linter import Linter
from cslint.fixing import FilePlan, plan_edits
from cslint.model import Conversation
from cslint.ruleset import load_rules
from cslint.testing import examples_of

FIX_RULES = Path(__file__).parent / "fixtures" / "fix-rules"


def fix(run_cli, *args):
    return run_cli("fix", "--no-config", "--rules", FIX_RULES, "--select", "any-inconvenience", *args)


def test_dry_run_shows_a_diff_and_changes_nothing(tmp_path, run_cli):
    reply = tmp_path / "r.md"
    original = "---\ntitle: Delay\n---\nWe apologise for any inconvenience.\n\nBest,\nSam\n"
    reply.write_text(original)
    result = fix(run_cli, reply)
    assert result.exit_code == 1
    assert f"--- a/{reply}\n+++ b/{reply}\n" in result.stdout
    assert "-We apologise for any inconvenience.\n+We apologise for the inconvenience.\n" in result.stdout
    assert "1 safe fix(es) available in 1 file; run with --write to apply" in result.stderr
    assert reply.read_text() == original


def test_write_changes_only_the_matched_words_and_is_idempotent(tmp_path, run_cli):
    reply = tmp_path / "r.txt"
    original = "Any inconvenience is regretted.\r\nSORRY FOR ANY INCONVENIENCE!\r\nmany inconveniences stay\r\n"
    reply.write_bytes(b"\xef\xbb\xbf" + original.encode())
    result = fix(run_cli, reply, "--write")
    assert result.exit_code == 0, result.output
    assert "2 safe fix(es) applied in 1 file" in result.stderr
    expected = "The inconvenience is regretted.\r\nSORRY FOR THE INCONVENIENCE!\r\nmany inconveniences stay\r\n"
    assert reply.read_bytes() == b"\xef\xbb\xbf" + expected.encode()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    again = fix(run_cli, reply, "--write")
    assert again.exit_code == 0 and "0 safe fix(es) applied" in again.stderr
    assert reply.read_bytes() == b"\xef\xbb\xbf" + expected.encode()
    dry = fix(run_cli, reply)
    assert dry.exit_code == 0 and dry.stdout == ""


def test_chat_log_turns_are_fixed_in_place(tmp_path, run_cli):
    log = tmp_path / "chat.log"
    log.write_text("[10:01] Customer: Late again!\n[10:02] Sam (agent): So sorry.\nWe regret any inconvenience.\n")
    result = fix(run_cli, log, "--write")
    assert result.exit_code == 0
    assert (
        log.read_text()
        == "[10:01] Customer: Late again!\n[10:02] Sam (agent): So sorry.\nWe regret the inconvenience.\n"
    )


def test_customer_turns_and_suppressed_findings_are_left_alone(tmp_path, run_cli):
    log = tmp_path / "chat.log"
    text = "Customer: Sorry for any inconvenience, I was late.\nAgent: Fine.\n"
    log.write_text(text)
    reply = tmp_path / "r.md"
    quiet = (
        "<!-- cslint-disable-next-line any-inconvenience -- legal wording -->\nWe apologise for any inconvenience.\n"
    )
    reply.write_text(quiet)
    result = fix(run_cli, log, reply, "--write")
    assert result.exit_code == 0
    assert log.read_text() == text and reply.read_text() == quiet


def test_unsafe_better_wordings_are_not_applied(tmp_path, run_cli):
    reply = tmp_path / "r.md"
    reply.write_text("We apologise for any inconvenience.\n")
    fix(run_cli, reply, "--write")
    # "we apologise for" -> "I'm sorry for" is a better wording, but not marked safe
    assert reply.read_text() == "We apologise for the inconvenience.\n"


def test_json_inputs_are_reported_as_not_fixable(tmp_path, run_cli):
    path = tmp_path / "c.json"
    original = json.dumps({"id": "c", "turns": [{"speaker": "agent", "text": "Sorry for any inconvenience."}]})
    path.write_text(original)
    result = fix(run_cli, path, "--write")
    assert result.exit_code == 0
    assert path.read_text() == original
    assert "1 safe fix(es) in formats that cannot be edited in place" in result.stderr


def test_case_is_kept():
    assert match_case("Any inconvenience", "the inconvenience") == "The inconvenience"
    assert match_case("ANY INCONVENIENCE", "the inconvenience") == "THE INCONVENIENCE"
    assert match_case("any inconvenience", "the inconvenience") == "the inconvenience"
    assert match_case("KB article", "help article") == "help article"  # an acronym, not a sentence start


def test_replacements_that_contain_their_phrase_are_never_applied():
    rule = load_rules([FIX_RULES], include_builtin=False).rules["any-inconvenience"]
    rule.better = [{"instead_of": "inconvenience", "say": "the inconvenience", "safe": True}]
    assert safe_betters(rule) == []


def _safe_rules():
    loaded = load_rules([FIX_RULES])
    assert not loaded.errors
    return [rule for rule in loaded.rules.values() if safe_betters(rule)]


@pytest.mark.parametrize("rule", _safe_rules(), ids=lambda r: r.id)
def test_every_safe_replacement_has_a_working_example(rule):
    """Each safe ``better`` entry is exercised by one of the rule's own flagging examples:
    the fix replaces exactly that phrase, and the fixed text no longer flags there."""
    linter = Linter([rule])
    for better in safe_betters(rule):
        fixed_any = False
        for example in examples_of(rule):
            if not example.expect_flag:
                continue
            conversation = example.conversation
            findings = linter.lint_one(conversation)
            for f in findings:
                turn = conversation.turns[f.turn]
                plan = FilePlan("example", turn.text)
                plan_edits(plan, turn, f, rule)
                edits = [
                    e for e in plan.edits if turn.text[e.start : e.end].casefold() == better["instead_of"].casefold()
                ]
                if not edits:
                    continue
                fixed_any = True
                after = plan.after
                # nothing but the matched span changed
                e = edits[0]
                assert after[: e.start] == turn.text[: e.start]
                assert after[e.start + len(e.replacement) :] == turn.text[e.end :]
                assert e.replacement.casefold() == better["say"].casefold()
                refixed = Conversation("x", "example", [type(turn)(turn.speaker, after)])
                assert not [g for g in linter.lint_one(refixed) if g.start <= e.start < g.end]
        assert fixed_any, f"{rule.id}: no flagging example exercises the safe fix {better['instead_of']!r}"


def test_fixture_example_fixed_text():
    rule = load_rules([FIX_RULES], include_builtin=False).rules["any-inconvenience"]
    linter = Linter([rule])
    example = next(examples_of(rule))
    turn = example.conversation.turns[0]
    plan = FilePlan("example", turn.text)
    for f in linter.lint_one(example.conversation):
        plan_edits(plan, turn, f, rule)
    assert plan.after == "We apologise for the inconvenience this may have caused."


def test_builtin_fix_keeps_the_meaning_only(tmp_path, run_cli):
    """Rewording "please do not hesitate to" as "feel free to" says the same wherever it appears, so it
    is applied; "for any confusion" -> "for the confusion" would assert that something was
    confusing, so it stays advice."""
    reply = tmp_path / "r.md"
    reply.write_text("Sorry for any confusion. Please do not hesitate to contact us.\n")
    result = run_cli("fix", "--no-config", "--select", "empty-apology,robotism", reply, "--write")
    assert result.exit_code == 0, result.output
    assert reply.read_text() == "Sorry for any confusion. Feel free to contact us.\n"


def test_a_detectors_own_safe_wording_is_applied(tmp_path, run_cli):
    rules = tmp_path / "rules"
    rules.mkdir()
    detect = (
        "  - kind: phrases\n    phrases: [KB article]\n    better:\n"
        "      - instead_of: KB article\n        say: help article\n        safe: true\n"
    )
    write_rule(rules, detect=detect, flag="see the [[KB article]]")
    reply = tmp_path / "r.md"
    reply.write_text("The KB article has the steps.\n")
    result = run_cli("fix", "--no-config", "--rules", rules, "--select", "test-rule", reply, "--write")
    assert result.exit_code == 0, result.output
    assert reply.read_text() == "The help article has the steps.\n"
