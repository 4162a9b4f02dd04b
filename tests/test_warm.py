"""The warm pipeline shared by ``cslint serve`` and ``cslint lsp``: built once, rebuilt when
its config or custom rules change, the last good one kept when the config breaks."""

import os
import time

import pytest
from helpers import write_rule

from cslint.errors import ConfigError
from cslint.warm import Draft, RequestError, WarmLinter, fix_plan


def touch_later(path, seconds: float) -> None:
    """A new modification stamp even where the clock is coarse."""
    stamp = time.time() + seconds
    os.utime(path, (stamp, stamp))


def test_built_once_and_rebuilt_when_a_custom_rule_changes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "team-rules").mkdir()
    (tmp_path / ".cslint.yaml").write_text("rules: [team-rules]\n", encoding="utf-8")
    warm = WarmLinter(recheck_seconds=0)
    first, _ = warm.pipeline()
    assert warm.pipeline()[0] is first  # nothing changed: the same compiled pipeline
    assert "test-rule" not in first.rules
    rule = write_rule(tmp_path / "team-rules")
    touch_later(rule, 5)
    second, _ = warm.pipeline()
    assert second is not first and "test-rule" in second.rules
    assert [f.rule for f in warm.lint(Draft("Please go away now.")).findings] == ["test-rule"]


def test_a_broken_config_keeps_the_last_good_pipeline(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = tmp_path / ".cslint.yaml"
    config.write_text("ignore: [template-leak]\n", encoding="utf-8")
    warm = WarmLinter(recheck_seconds=0)
    good, stale = warm.pipeline()
    assert stale is None
    config.write_text("ignore: [\n", encoding="utf-8")
    touch_later(config, 5)
    kept, stale = warm.pipeline()
    assert kept is good and "still using" in stale
    outcome = warm.lint(Draft("Hi {{first_name}}, done."))
    assert "template-leak" not in [f.rule for f in outcome.findings]
    assert [e.path for e in outcome.errors] == [str(config)]


def test_a_config_broken_from_the_start_is_an_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".cslint.yaml").write_text("ignor: [x]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown key 'ignor'"):
        WarmLinter().pipeline()


def test_each_file_gets_its_nearest_config_and_selection(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    team = tmp_path / "team"
    team.mkdir()
    (team / ".cslint.yaml").write_text("ignore: [runaround]\n", encoding="utf-8")
    warm = WarmLinter()
    text = "For exact measurements, please visit our website."
    assert [f.rule for f in warm.lint(Draft(text)).findings] == ["runaround"]
    assert warm.lint(Draft(text, filename=str(team / "sizes.md"))).findings == []
    only = warm.lint(Draft("Hi {{first_name}}, please visit our website.", select=("template-leak",)))
    assert {f.rule for f in only.findings} == {"template-leak"}
    with pytest.raises(RequestError, match="did you mean 'runaround'"):
        warm.lint(Draft(text, select=("runaroud",)))


def test_fix_plan_of_a_draft(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    outcome = WarmLinter().lint(Draft("Sorry for any confusion.\r\nPlease do not hesitate to ask."))
    plan = fix_plan(outcome)
    assert plan.after == "Sorry for any confusion.\r\nFeel free to ask."
    structured = WarmLinter().lint(Draft('{"turns": [{"speaker": "agent", "text": "Sorry for any confusion."}]}'))
    assert structured.findings and fix_plan(structured).edits == []  # JSON: not editable in place


def test_recheck_now_sees_a_change_at_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = tmp_path / ".cslint.yaml"
    config.write_text("ignore: [template-leak]\n", encoding="utf-8")
    warm = WarmLinter(recheck_seconds=3600)
    first, _ = warm.pipeline()
    config.write_text("ignore: [runaround]\n", encoding="utf-8")
    touch_later(config, 5)
    assert warm.pipeline()[0] is first  # within the recheck interval
    warm.recheck_now()
    assert warm.pipeline()[0] is not first
