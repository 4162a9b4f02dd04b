"""The ruff-style command line of ``cslint check``."""

import json

import pytest

FLAGGED = "Hi Ann, thanks for waiting. For the full details please visit our website."
APOLOGY = "We apologise for any inconvenience caused."


@pytest.fixture
def folder(tmp_path, monkeypatch):
    (tmp_path / "reply.md").write_text(FLAGGED)
    # A canned-reply repository that fails its build on runaround (cslint ships it at info).
    (tmp_path / ".cslint.yaml").write_text("severity: {runaround: warning}\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_exit_zero_keeps_the_report(run_cli, folder):
    result = run_cli("check", "--exit-zero")
    assert result.exit_code == 0 and "runaround" in result.stdout
    (folder / "broken.json").write_text("{")
    assert run_cli("check", "--exit-zero").exit_code == 2  # errors still fail


def test_quiet_prints_findings_only_and_silent_nothing(run_cli, folder):
    normal = run_cli("check")
    assert "1 finding" in normal.stdout
    quiet = run_cli("check", "-q")
    assert quiet.exit_code == 1 and "runaround" in quiet.stdout
    assert "1 finding" not in quiet.stdout and "Findings per rule" not in quiet.stdout
    silent = run_cli("check", "--silent")
    assert silent.exit_code == 1 and silent.stdout == ""
    assert run_cli("check", "-s", "-f", "json").stdout == ""


def test_extend_select_and_extend_ignore(run_cli, folder):
    (folder / ".cslint.yaml").write_text("select: [runaround]\n")
    (folder / "sorry.md").write_text(APOLOGY)
    rules = lambda *args: {f["rule"] for f in json.loads(run_cli("check", "-f", "json", *args).stdout)["findings"]}  # noqa: E731
    assert rules() == {"runaround"}
    assert rules("--extend-select", "empty-apology") == {"runaround", "empty-apology"}
    assert rules("--extend-select", "empty-apology", "--extend-ignore", "runaround") == {"empty-apology"}
    (folder / ".cslint.yaml").write_text("extend_ignore: [runaround]\n")
    assert "runaround" not in rules()
    bad = run_cli("check", "--extend-select", "runarond")
    assert bad.exit_code == 2 and "did you mean 'runaround'" in bad.output


def test_statistics_counts_per_rule_and_timings_the_speed(run_cli, folder):
    (folder / "more.md").write_text(FLAGGED)
    (folder / "sorry.md").write_text(APOLOGY)
    stats = run_cli("check", "--statistics")
    assert stats.exit_code == 1
    lines = stats.stdout.splitlines()
    assert lines[0].split()[:3] == ["2", "runaround", "warning"] and lines[1].split()[:2] == ["1", "empty-apology"]
    as_json = json.loads(run_cli("check", "--statistics", "-f", "json").stdout)
    assert as_json[0]["rule"] == "runaround" and as_json[0]["count"] == 2
    timings = run_cli("check", "--timings", "-q")
    assert "timings: lint time" in timings.stderr and "words/s" in timings.stderr


def test_output_file_leaves_one_summary_line_on_the_terminal(run_cli, folder):
    result = run_cli("check", "-f", "json", "-o", "findings.json")
    assert result.exit_code == 1
    assert result.stdout.strip().splitlines() == [result.stdout.strip()]
    assert result.stdout.startswith("1 finding (1 warning) in 1 of 1 conversation")
    assert json.loads((folder / "findings.json").read_text())["findings"][0]["rule"] == "runaround"


def test_line_format_shows_the_flagged_words(run_cli, folder):
    out = run_cli("check", "-f", "line").stdout
    assert out.startswith("reply.md:1:57: warning runaround: “visit our website” Sends the customer off")


def test_check_fix_applies_safe_fixes_then_reports_the_rest(run_cli, folder):
    (folder / "filler.md").write_text("Please do not hesitate to contact us for anything else you need.")
    result = run_cli("check", "--fix", "-f", "line")
    assert (folder / "filler.md").read_text() == "Feel free to contact us for anything else you need."
    assert "1 safe fix(es) applied" in result.stderr
    assert result.exit_code == 1 and "runaround" in result.stdout  # not safely fixable: still reported


def test_rules_as_json(run_cli):
    doc = json.loads(run_cli("rules", "--format", "json").stdout)
    runaround = next(rule for rule in doc["rules"] if rule["id"] == "runaround")
    assert runaround["origin"] == "built-in" and runaround["severity"] == "info" and runaround["enabled"]


def test_suppression_without_a_reason_is_pointed_out(run_cli, folder):
    (folder / "reply.md").write_text("<!-- cslint-disable-next-line runaround -->\nPlease visit our website.\n")
    result = run_cli("check")
    assert result.exit_code == 0 and "1 suppressed" in result.stdout
    assert "warning: 1 suppression(s) without a reason, e.g. reply.md:2 (runaround)" in result.stderr
    (folder / "reply.md").write_text(
        "<!-- cslint-disable-next-line runaround -- the form is only online -->\nPlease visit our website.\n"
    )
    explained = run_cli("check")
    assert "1 suppressed" in explained.stdout and "without a reason" not in explained.stderr


@pytest.mark.parametrize("flag", ["--silent", "--statistics", "--quiet"])
def test_output_file_is_written_whatever_the_terminal_shows(run_cli, folder, flag):
    result = run_cli("check", "-f", "json", "-o", "findings.json", flag)
    assert result.exit_code == 1
    assert json.loads((folder / "findings.json").read_text())["summary"]["findings"] == 1
    assert "{" not in result.stdout  # the JSON went to the file only
