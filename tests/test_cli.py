"""The command line: exit statuses, formats, errors without tracebacks."""

import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
from helpers import write_rule

from cslint.cli import FORMATS, INPUT_FORMATS
from cslint.readers import READERS
from cslint.reporters import REPORTERS

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
FLAGGED = "Hi Ann, thanks for waiting. For the full details please visit our website."
#: A warning (empty-apology) as well as the runaround (info): the run fails with findings.
FAILING = "We apologise for any inconvenience. Please visit our website."
CLEAN = "Hi Ann, I've refunded the £20 to your card today; it should arrive within 3 days."


def output_schema():
    return json.loads((resources.files("cslint") / "schemas" / "findings.schema.json").read_text())


def test_option_choices_match_registries():
    assert set(FORMATS) == set(REPORTERS)
    assert set(INPUT_FORMATS) == set(READERS)


def test_version_and_help_do_not_import_spacy():
    code = "import sys; from cslint.cli import main; sys.argv=['cslint','--version']\ntry:\n main()\nexcept SystemExit: pass\nassert 'spacy' not in sys.modules, 'spacy imported'"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "cslint, version" in proc.stdout


def test_findings_exit_1_clean_exit_0(run_cli, tmp_path):
    (tmp_path / "bad.txt").write_text(FAILING)
    (tmp_path / "good.txt").write_text(CLEAN)
    bad = run_cli("check", tmp_path / "bad.txt")
    assert bad.exit_code == 1
    assert "runaround" in bad.output and "fix:" in bad.output and "»visit our website«" in bad.output
    good = run_cli("check", tmp_path / "good.txt")
    assert good.exit_code == 0, good.output
    assert "0 findings" in good.output


def test_stdin_draft(run_cli):
    result = run_cli("check", "-", "--format", "line", input=FAILING)
    assert result.exit_code == 1
    assert result.output.startswith("<stdin>:1:")
    assert "info runaround:" in result.output and "warning empty-apology:" in result.output


def test_json_output_matches_schema_and_contract(run_cli):
    result = run_cli("check", "--format", "json", EXAMPLES)
    doc = json.loads(result.stdout)
    jsonschema.validate(doc, output_schema())
    assert doc["findings"], "the examples should produce findings"
    for f in doc["findings"]:
        assert f["text"]
        assert f["end"] > f["start"]
    jsonl = [f for f in doc["findings"] if f["path"].endswith("chats.jsonl")]
    assert any(f["conversation"] == "chat-1001" and f["turn"] == 3 and f["rule"] == "runaround" for f in jsonl)


def test_json_text_is_the_flagged_passage(run_cli, tmp_path):
    (tmp_path / "d.json").write_text(
        json.dumps(
            {"id": "c-9", "turns": [{"speaker": "customer", "text": "hi"}, {"speaker": "agent", "text": FLAGGED}]}
        )
    )
    doc = json.loads(run_cli("check", "--format", "json", tmp_path / "d.json").output)
    [finding] = doc["findings"]
    assert finding["conversation"] == "c-9" and finding["turn"] == 1
    assert FLAGGED[finding["start"] : finding["end"]] == finding["text"] == "visit our website"


def test_unreadable_input_exit_2_after_linting_others(run_cli, tmp_path):
    (tmp_path / "bad.txt").write_text(FLAGGED)
    (tmp_path / "broken.json").write_text("{oops")
    result = run_cli("check", "--format", "json", tmp_path)
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert doc["findings"] and doc["errors"][0]["path"].endswith("broken.json")
    assert "Traceback" not in result.output
    assert "broken.json:1: invalid JSON" in result.stderr


def test_min_severity_and_fail_on_are_separate(run_cli, tmp_path):
    (tmp_path / "bad.txt").write_text(FAILING)
    shown = run_cli("check", "--min-severity", "error", "--format", "line", tmp_path)
    assert shown.stdout == "" and shown.exit_code == 1  # hidden warning still fails the run
    assert "not shown" in shown.stderr
    passing = run_cli("check", "--fail-on", "error", "--format", "line", tmp_path)
    assert passing.exit_code == 0 and "runaround" in passing.stdout


def test_select_and_ignore(run_cli, tmp_path):
    (tmp_path / "bad.txt").write_text(FLAGGED)
    assert run_cli("check", "--ignore", "runaround", tmp_path).exit_code == 0
    typo = run_cli("check", "--select", "runarond", tmp_path)
    assert typo.exit_code == 2 and "did you mean 'runaround'" in typo.stderr


def test_custom_rules_folder(run_cli, tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    write_rule(rules, rule_id="no-go-away", severity="error")
    (tmp_path / "draft.txt").write_text("Please go away.")
    result = run_cli("check", "--rules", rules, "--format", "line", tmp_path / "draft.txt")
    assert result.exit_code == 1 and "error no-go-away: “go away” Flagged for testing." in result.stdout


def test_broken_rule_file_is_file_line_error_and_exit_2(run_cli, tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    path = write_rule(rules, rule_id="broken", extra="severty: error\n")
    (tmp_path / "draft.txt").write_text(CLEAN)
    result = run_cli("check", "--rules", rules, tmp_path / "draft.txt")
    assert result.exit_code == 2
    assert f"{path}:{len(path.read_text().splitlines())}: unknown key 'severty'" in result.stderr
    assert "Traceback" not in result.output
    tested = run_cli("test", rules)
    assert tested.exit_code == 2


def test_rules_and_explain(run_cli):
    listing = run_cli("rules")
    assert listing.exit_code == 0 and "runaround" in listing.output
    explained = run_cli("explain", "runaround")
    assert explained.exit_code == 0
    for heading in ("What it catches", "Why it hurts", "The fix", "Flags", "Does not flag"):
        assert heading in explained.output
    unknown = run_cli("explain", "runarond")
    assert unknown.exit_code == 2 and "did you mean 'runaround'" in unknown.stderr


def test_cslint_test_command_reports_failures(run_cli, tmp_path):
    write_rule(tmp_path, rule_id="wrong-example", flag="please [[leave]] now")
    result = run_cli("test", tmp_path)
    assert result.exit_code == 1
    assert "FAIL wrong-example:flag[0]" in result.output and "0 passed, 1 failed" not in result.output
    assert run_cli("test").exit_code == 0


def test_usage_error_exit_2(run_cli):
    result = run_cli("check")
    assert result.exit_code == 2


def test_module_entry_point_runs(tmp_path):
    (tmp_path / "d.txt").write_text(FAILING)
    proc = subprocess.run(
        [sys.executable, "-m", "cslint", "check", "--format", "line", str(tmp_path / "d.txt")],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1 and "runaround" in proc.stdout


def test_examples_folder_flags_and_clean_examples_pass(run_cli, tmp_path, monkeypatch):
    """The README's first command: findings with fixes, exit 1, no input errors; the clean
    examples exit 0 on their own."""
    monkeypatch.chdir(tmp_path)  # from another folder, as a newcomer would run it
    result = run_cli("check", EXAMPLES)
    assert result.exit_code == 1, result.stderr
    assert "fix:" in result.stdout and "error:" not in result.stderr
    for clean in ("canned/password-reset.txt", "canned/refund-issued.md", "transcripts/refund-call.txt"):
        assert run_cli("check", EXAMPLES / clean).exit_code == 0, clean
