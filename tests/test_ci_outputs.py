"""``--format github`` in Actions: annotations up to GitHub's cap, a notice with the count
left out, and the Markdown job summary in ``$GITHUB_STEP_SUMMARY``."""

import re

FLAGGED = "Hi Ann, thanks for waiting. For the full details please visit our website."


def test_cap_with_the_count_left_out_and_a_job_summary(run_cli, tmp_path, monkeypatch):
    for i in range(25):
        (tmp_path / f"reply-{i:02}.md").write_text(FLAGGED)
    summary = tmp_path / "step-summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.chdir(tmp_path)
    result = run_cli("check", "--no-config", "--fail-on", "info", "-f", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert sum(line.startswith("::notice file=") for line in lines) == 10  # runaround is an info
    assert re.search(r"^::notice title=cslint::cslint: 15 more finding\(s\) not annotated.*job summary", lines[-1])
    written = summary.read_text()
    assert written.startswith("earlier step\n### ❌ cslint: 25 findings")  # appended, not replaced
    assert "| runaround | info | 25 |" in written and written.count("reply-") == 25


def test_no_summary_file_outside_actions(run_cli, tmp_path, monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    (tmp_path / "r.md").write_text(FLAGGED)
    result = run_cli("check", "--no-config", "-f", "github", tmp_path)
    assert len(result.stdout.splitlines()) == 1 and not list(tmp_path.glob("*summary*"))


def test_unwritable_summary_is_a_warning_not_a_crash(run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "no" / "such" / "file.md"))
    (tmp_path / "r.md").write_text(FLAGGED)
    result = run_cli("check", "--no-config", "--fail-on", "info", "-f", "github", tmp_path)
    assert result.exit_code == 1 and "::warning::cslint: cannot write the job summary" in result.stdout


def test_gitlab_code_quality_and_rdjson(run_cli, tmp_path, monkeypatch):
    import json

    monkeypatch.chdir(tmp_path)
    (tmp_path / "replies").mkdir()
    (tmp_path / "replies" / "r.md").write_text("Hello.\n\n" + FLAGGED)
    first = json.loads(run_cli("check", "--no-config", "-f", "gitlab").stdout)
    (tmp_path / "replies" / "r.md").write_text("Hello.\n\n\n" + FLAGGED)  # moved down a line
    second = json.loads(run_cli("check", "--no-config", "-f", "gitlab").stdout)
    (issue,) = first
    assert issue["check_name"] == "runaround" and issue["severity"] == "info"
    assert issue["location"] == {"path": "replies/r.md", "lines": {"begin": 3}}
    assert second[0]["location"]["lines"]["begin"] == 4
    assert issue["fingerprint"] == second[0]["fingerprint"]  # GitLab matches issues across commits by it
    rd = json.loads(run_cli("check", "--no-config", "-f", "rdjson").stdout)
    (diagnostic,) = rd["diagnostics"]
    assert diagnostic["code"]["value"] == "runaround" and diagnostic["severity"] == "INFO"
    start, end = diagnostic["location"]["range"]["start"], diagnostic["location"]["range"]["end"]
    assert end["column"] - start["column"] == len("visit our website")
