"""Linting a repository root: cslint's own files are never inputs, .gitignore is honoured,
and every file or folder not read is counted."""

import json

import pytest

from cslint.readers import collect_inputs
from cslint.readers.ownfiles import own_file_kind

FLAGGED = "Hi Ann, we apologise for any inconvenience. For the full details please visit our website."
CLEAN = "Hi Ann, I've refunded the £20 to your card today; it should arrive within 3 days."


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A small repository of saved replies, the current folder of the test."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "support").mkdir()
    (tmp_path / "support" / "refund.md").write_text(FLAGGED)
    (tmp_path / "support" / "thanks.md").write_text(CLEAN)
    (tmp_path / ".github" / "saved_replies").mkdir(parents=True)
    (tmp_path / ".github" / "saved_replies" / "dup.md").write_text(FLAGGED)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_baseline_round_trip_at_repository_root(run_cli, repo):
    """The README's CI recipe: record a baseline in the tree, then check against it."""
    wrote = run_cli("check", ".", "--write-baseline", "cslint-baseline.json")
    assert wrote.exit_code == 0, wrote.output
    again = run_cli("check", ".", "--format", "github", "--baseline", "cslint-baseline.json")
    assert again.exit_code == 0, again.output
    assert "unrecognised JSON shape" not in again.output
    # Without --baseline the baseline file is still recognised, not read as an input.
    plain = run_cli("check", "-f", "json")
    doc = json.loads(plain.stdout)
    assert plain.exit_code == 1 and not doc["errors"]
    assert doc["summary"]["skipped"]["cslint's own"] == 1
    # A new finding is still reported.
    (repo / "support" / "new.md").write_text("Sorry for any inconvenience. Please check our FAQ.")
    new = run_cli("check", "--baseline", "cslint-baseline.json", "-f", "line")
    assert new.exit_code == 1 and "support/new.md" in new.stdout and "refund.md" not in new.stdout


@pytest.mark.parametrize("fmt", ["json", "sarif", "markdown", "gitlab", "rdjson", "html", "csv"])
def test_reports_left_in_the_tree_are_not_inputs(run_cli, repo, fmt):
    ending = {"markdown": "md", "html": "html", "csv": "csv"}.get(fmt, "json")
    result = run_cli("check", "support", "-f", fmt, "-o", f"support/report.{ending}")
    assert result.exit_code == 1, result.output
    assert own_file_kind(repo / "support" / f"report.{ending}") is not None
    again = run_cli("check", "support", "-f", "json")
    doc = json.loads(again.stdout)
    assert {f["path"] for f in doc["findings"]} == {"support/refund.md"}
    assert not doc["errors"] and doc["summary"]["files"] == 2
    # Named on the command line (as pre-commit does), it is still not read.
    named = run_cli("check", f"support/report.{ending}", "-f", "json")
    assert json.loads(named.stdout)["summary"]["files"] == 0, named.output


def test_score_sheet_left_in_the_tree_is_not_an_input(run_cli, repo):
    assert run_cli("check", "support", "--scores", "support/scores.csv").exit_code == 1
    assert own_file_kind(repo / "support" / "scores.csv") == "score sheet"
    doc = json.loads(run_cli("check", "support", "-f", "json").stdout)
    assert {f["path"] for f in doc["findings"]} == {"support/refund.md"} and not doc["errors"]


def test_unrelated_json_named_like_a_report_is_read(tmp_path):
    (tmp_path / "findings.json").write_text(json.dumps({"version": 1, "turns": [{"speaker": "agent", "text": "x"}]}))
    assert own_file_kind(tmp_path / "findings.json") is None
    assert len(collect_inputs([str(tmp_path)]).sources) == 1


def test_gitignore_honoured_like_git(repo):
    (repo / ".gitignore").write_text("*.log\n!keep.log\nbuild/\n")
    (repo / "support" / ".gitignore").write_text("private/\n")
    for name in ("a.log", "keep.log", "build/x.md", "support/private/y.md", "support/b.log"):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text("Agent: hi")
    walked = collect_inputs(["."])
    names = sorted(s.path for s in walked.sources)
    assert names == ["keep.log", "support/refund.md", "support/thanks.md"]
    assert walked.skipped_gitignored == 4  # a.log, build/, support/private/, support/b.log
    # A walk that starts below the repository root applies the root's .gitignore too.
    below = collect_inputs(["support"])
    assert sorted(s.path for s in below.sources) == ["support/refund.md", "support/thanks.md"]
    assert below.skipped_gitignored == 2
    from cslint.readers.discover import WalkOptions

    everything = collect_inputs(["."], options=WalkOptions(respect_gitignore=False))
    assert len(everything.sources) == 7


def test_hidden_entries_counted_and_named(run_cli, repo):
    result = run_cli("check", "-f", "json")
    doc = json.loads(result.stdout)
    assert doc["summary"]["skipped"]["hidden"] == 2  # .git/ and .github/
    text = run_cli("check")
    assert "not read: 2 hidden" in text.stdout
    assert ".github/" in text.stderr and "name one on the command line" in text.stderr
    named = run_cli("check", ".github", "-f", "json")
    assert json.loads(named.stdout)["summary"]["files"] == 1


def test_default_path_is_the_current_folder(run_cli, repo):
    result = run_cli("check", "-f", "json")
    doc = json.loads(result.stdout)
    assert result.exit_code == 1
    assert doc["summary"]["files"] == 2 and {f["path"] for f in doc["findings"]} == {"support/refund.md"}
