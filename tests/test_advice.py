"""Advice that fits the passage: each detector's own ``fix``/``better`` (else the rule's), and
``say`` wordings a customer could receive (checked when a rule loads)."""

import json

import pytest
from helpers import write_rule

from cslint.engine.linter import Linter
from cslint.errors import RuleError
from cslint.model import Conversation, Turn
from cslint.ruleset import load_rules
from cslint.ruleset.loader import load_rule_file
from cslint.ruleset.wording import say_problem

TWO_TRIGGERS = """\
  - kind: phrases
    phrases: [go away]
    fix: Say what you can do instead.
    better:
      - instead_of: go away
        say: let me see what I can do
  - kind: phrases
    phrases: [whatever]
"""


def lint(folder, text: str):
    linter = Linter(list(load_rules([folder], include_builtin=False).rules.values()))
    return linter.lint_one(Conversation("c", "p", [Turn("agent", text)]))


def test_each_detector_gives_its_own_advice_else_the_rules(tmp_path):
    write_rule(tmp_path, detect=TWO_TRIGGERS, flag="x")
    by_text = {f.text: f.fix for f in lint(tmp_path, "Go away. Whatever.")}
    assert by_text == {
        "Go away": "Instead of “go away”, say “let me see what I can do”. Say what you can do instead.",
        "Whatever": "Do better.",  # no advice of its own: the rule's description.fix
    }


def test_the_rules_better_still_applies_after_the_detectors_own(tmp_path):
    extra = "better:\n  - instead_of: whatever\n    say: I can look into it\n"
    write_rule(tmp_path, detect=TWO_TRIGGERS, flag="x", extra=extra)
    [finding] = lint(tmp_path, "Whatever.")
    assert finding.fix == "Instead of “whatever”, say “I can look into it”. Do better."


def builtin_fixes(turns: list[dict[str, str]]) -> dict[str, str]:
    linter = Linter([load_rules().rules["robotism"]])
    conv = Conversation("c", "p", [Turn(t["speaker"], t["text"]) for t in turns])
    return {f.text: f.fix for f in linter.lint_one(conv)}


def test_a_slogan_a_data_demand_and_a_repeat_get_different_advice_in_one_rule():
    pasted = "Thanks, we've passed this to the courier and will update you within 24 hours."
    fixes = builtin_fixes(
        [
            {"speaker": "customer", "text": "My internet has been down since this morning."},
            {"speaker": "agent", "text": "Kindly provide your account number."},
            {"speaker": "customer", "text": "Sent."},
            {"speaker": "agent", "text": pasted},
            {"speaker": "customer", "text": "Any news?"},
            {"speaker": "agent", "text": pasted},
            {"speaker": "customer", "text": "Still nothing."},
            {"speaker": "agent", "text": "We value your business and have escalated this."},
        ]
    )
    demand, slogan, repeat = fixes["Kindly provide your"], fixes["We value your business"], fixes[pasted.rstrip(".")]
    assert len({demand, slogan, repeat}) == 3
    assert "say why you need it" in demand and "Cut the slogan" in slogan and "same reply again" in repeat


def test_json_findings_keep_fix_a_string(run_cli, tmp_path):
    write_rule(tmp_path, detect=TWO_TRIGGERS, flag="x")
    result = run_cli(
        "check", "--no-config", "--rules", tmp_path, "--select", "test-rule", "-f", "json", "-", input="Go away."
    )
    [finding] = json.loads(result.stdout)["findings"]
    assert finding["fix"].endswith("Say what you can do instead.")


@pytest.mark.parametrize(
    "say",
    [
        "(cut it and answer the call)",
        "Acknowledge the issue and say what you will do",
        "Hi Maria (the customer's name), or Hi there",
        "by 5pm today (or the time frame you can keep)",
        "the customer's first name",
        "what we can do is ...",
        "I've contacted the seller for you",
        "we have passed this to our billing team",
        "I just sent you a replacement",
        "your refund has been issued",
    ],
)
def test_sayings_that_are_not_words_to_send_are_refused(say):
    assert say_problem(say)


@pytest.mark.parametrize(
    "say",
    [
        "feel free to",
        "I can contact the seller for you — would that help?",
        "thanks for waiting while I <what you did>",
        "I need your order number so I can track it",
        "Hi <first name>",
        "return number (RMA)",
        "I'm sorry that <what went wrong>",
    ],
)
def test_offers_slots_and_plain_wording_pass(say):
    assert say_problem(say) is None


@pytest.mark.parametrize("where", ["rule", "detector"])
def test_a_rule_file_with_a_claimed_action_is_refused_with_file_and_line(tmp_path, where):
    say = "say: I've contacted the seller for you"
    if where == "rule":
        path = write_rule(tmp_path, extra=f"better:\n  - instead_of: go away\n    {say}\n")
    else:
        detect = f"  - kind: phrases\n    phrases: [go away]\n    better:\n      - instead_of: go away\n        {say}\n"
        path = write_rule(tmp_path, detect=detect)
    with pytest.raises(RuleError) as raised:
        load_rule_file(path, "test")
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if "say:" in text)
    message = str(raised.value)
    assert message.startswith(f"{path}:{line}:") and "claims an action the agent may not have taken" in message
    assert "\n" not in message


def test_cslint_test_reports_an_instruction_in_quotes_in_one_line(run_cli, tmp_path):
    write_rule(tmp_path, extra="better:\n  - instead_of: go away\n    say: (restate the answer briefly)\n")
    result = run_cli("test", tmp_path)
    assert result.exit_code != 0
    assert "test-rule.yaml:" in result.output and "note to the agent in brackets" in result.output
    assert "Traceback" not in result.output


def test_advice_keys_belong_to_detect_entries_only(tmp_path):
    path = write_rule(tmp_path, extra="unless:\n  - kind: phrases\n    phrases: [now]\n    fix: Not here.\n")
    with pytest.raises(RuleError, match="unknown key 'fix'"):
        load_rule_file(path, "test")


def test_explain_lists_the_advice_of_each_trigger(run_cli):
    out = run_cli("explain", "robotism").output
    by_trigger = out.split("The fix, by trigger", 1)[1].split("Better wording", 1)[0]
    assert "detect[3] (reply):" in by_trigger and "detect[4] (repetition):" in by_trigger


def test_a_wording_found_in_the_passage_beats_one_that_only_contains_it(tmp_path):
    extra = (
        "better:\n  - instead_of: please go away now\n    say: let me help\n"
        "  - instead_of: go away\n    say: I can look into it\n"
    )
    write_rule(tmp_path, flag="x", extra=extra)
    [finding] = lint(tmp_path, "Go away.")
    assert finding.fix.startswith("Instead of “go away”, say “I can look into it”.")
