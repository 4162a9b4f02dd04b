"""Turns that English-only rules skip are counted and reported; ``--language en`` lints them."""

import json

import pytest

PORTUGUESE = "Olá, obrigado pelo seu contato. Por favor, visite nosso site para mais informações sobre o seu pedido."


@pytest.fixture
def macros(tmp_path, monkeypatch):
    for i in range(3):
        (tmp_path / f"macro-{i}.md").write_text(PORTUGUESE)
    (tmp_path / "english.md").write_text("Thanks for waiting. For the full details please visit our website.")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_skipped_turns_are_counted_and_reported(run_cli, macros):
    result = run_cli("check", "--no-config")
    assert "; 3 turns skipped: not English" in result.stdout
    assert "note: 3 turn(s) skipped: not English" in result.stderr
    doc = json.loads(run_cli("check", "--no-config", "-f", "json").stdout)
    assert doc["summary"]["turns_skipped_not_english"] == 3


def test_counted_across_worker_processes(run_cli, macros, monkeypatch):
    from cslint import session

    monkeypatch.setattr(session.LintSession, "PARALLEL_MIN_BYTES", 0)
    doc = json.loads(run_cli("check", "--no-config", "-f", "json", "-j", "2").stdout)
    assert doc["summary"]["turns_skipped_not_english"] == 3


def test_language_en_lints_every_turn(run_cli, macros):
    doc = json.loads(run_cli("check", "--no-config", "-f", "json", "--language", "en").stdout)
    assert doc["summary"]["turns_skipped_not_english"] == 0
    (macros / ".cslint.yaml").write_text("language: en\n")
    assert "not English" not in run_cli("check").stdout
    (macros / ".cslint.yaml").write_text("language: pt\n")
    bad = run_cli("check")
    assert bad.exit_code == 2 and ".cslint.yaml:1" in bad.output


@pytest.mark.parametrize(
    ("text", "english"),
    [
        # Short turns in another script: one or two "words" to the tokenizer, and not English.
        ("ご愛顧いただき誠にありがとうございます！今後ともよろしくお願いいたします♪ SM", False),
        ("Спасибо, что написали нам!", False),
        # Short turns in the Latin alphabet stay English (too short to tell), accents and emoji
        # included; a name in another script inside an English reply does not decide it.
        ("Thanks, José! 😊", True),
        ("Danke :-)", True),
        ("Hi 李明, your order ships today.", True),
    ],
)
def test_a_short_turn_in_another_script_is_not_english(text, english):
    from cslint.engine.views.turn import _mostly_other_script

    assert _mostly_other_script(text) is not english
