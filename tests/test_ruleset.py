"""Rule files are validated with errors that name file:line and suggest the nearest key."""

import pytest
from helpers import write_rule

from cslint.engine.linter import Linter
from cslint.errors import RuleError
from cslint.ruleset import load_rules, select_rules
from cslint.ruleset.loader import load_rule_file


def test_builtin_rules_load_without_errors(builtin_rules):
    assert "runaround" in builtin_rules
    for rule_id, rule in builtin_rules.items():
        assert rule.id == rule_id
        assert rule.what and rule.why and rule.fix and rule.links


def test_unknown_key_names_line_and_suggests(tmp_path):
    path = write_rule(tmp_path, extra="severty: error\n")
    with pytest.raises(RuleError) as err:
        load_rule_file(path, "custom")
    assert err.value.line == path.read_text().splitlines().index("severty: error") + 1
    assert "unknown key 'severty'" in str(err.value)
    assert "did you mean 'severity'" in str(err.value)
    assert str(err.value).startswith(f"{path}:{err.value.line}:")


def test_bad_severity(tmp_path):
    path = write_rule(tmp_path, severity="critical")
    with pytest.raises(RuleError, match=r"'critical' is not one of info, warning, error") as err:
        load_rule_file(path, "custom")
    assert err.value.line == 4


def test_unknown_detector_kind_suggests(tmp_path):
    path = write_rule(tmp_path, detect="  - kind: phrase\n    phrases: [go away]")
    with pytest.raises(RuleError, match=r"unknown detector kind 'phrase'.*did you mean 'phrases'") as err:
        load_rule_file(path, "custom")
    assert err.value.line == 12


def test_unknown_detector_option(tmp_path):
    path = write_rule(tmp_path, detect="  - kind: phrases\n    phrases: [go away]\n    mach: lemma")
    with pytest.raises(RuleError, match=r"unknown key 'mach'.*did you mean 'match'") as err:
        load_rule_file(path, "custom")
    assert err.value.line == 14


def test_id_must_match_file_name(tmp_path):
    path = write_rule(tmp_path, rule_id="one")
    renamed = path.with_name("two.yaml")
    path.rename(renamed)
    with pytest.raises(RuleError, match="must match the file name"):
        load_rule_file(renamed, "custom")


def test_invalid_regex_reported_at_load(tmp_path):
    path = write_rule(tmp_path, detect="  - kind: regex\n    patterns: ['(?<=foo)bar']")
    with pytest.raises(RuleError, match="invalid regular expression") as err:
        load_rule_file(path, "custom")
    assert err.value.line == 12


def test_invalid_spacy_pattern_reported_with_line(tmp_path):
    detect = "  - kind: pattern\n    patterns:\n      - [{LOWER: go}]\n      - [{LOWER: go}, {LOWR: away}]"
    write_rule(tmp_path, detect=detect)
    loaded = load_rules([tmp_path], include_builtin=False)
    assert not loaded.errors
    linter = Linter(list(loaded.rules.values()))
    assert len(linter.errors) == 1
    error = linter.errors[0]
    assert error.line == 15 and "invalid spaCy pattern 2" in str(error) and "LOWR" in str(error)
    assert not linter.compiled


def test_pattern_needing_trained_pipeline_is_rejected(tmp_path):
    write_rule(tmp_path, detect="  - kind: pattern\n    patterns:\n      - [{POS: VERB}]")
    linter = Linter(list(load_rules([tmp_path], include_builtin=False).rules.values()))
    assert "needs a trained pipeline" in str(linter.errors[0])


@pytest.mark.parametrize(
    "document, message",
    [
        ("a: &x [1, 2]\nb: *x\n", "aliases"),
        ("a: !!python/object:os.system ls\n", "tag"),
        ("id: a\nid: b\n", "duplicate key"),
        ("a: [1, 2\n", "invalid YAML"),
        ("- just\n- a list\n", "must be a mapping"),
    ],
)
def test_unsafe_or_malformed_yaml_is_rejected(tmp_path, document, message):
    path = tmp_path / "bad.yaml"
    path.write_text(document)
    with pytest.raises(RuleError, match=message):
        load_rule_file(path, "custom")


def test_billion_laughs_is_rejected_quickly(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lines.append(f"{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(RuleError, match="aliases"):
        load_rule_file(path, "custom")


def test_custom_rule_overrides_builtin_with_same_id(tmp_path):
    write_rule(tmp_path, rule_id="runaround")
    loaded = load_rules([tmp_path])
    assert loaded.rules["runaround"].origin == str(tmp_path)


def test_selection_by_id_category_and_ignore(tmp_path):
    write_rule(tmp_path, rule_id="alpha")
    write_rule(tmp_path, rule_id="beta", extra="enabled: false\n")
    rules = load_rules([tmp_path], include_builtin=False).rules
    assert [r.id for r in select_rules(rules)] == ["alpha"]
    assert [r.id for r in select_rules(rules, ["test"])] == ["alpha", "beta"]
    assert [r.id for r in select_rules(rules, ["all"], ["alpha"])] == ["beta"]
    with pytest.raises(Exception, match="did you mean 'alpha'"):
        select_rules(rules, ["alpah"])


def test_yes_no_on_off_stay_words(tmp_path):
    """YAML 1.1 would turn `no` into False and silently break a phrase list."""
    path = write_rule(tmp_path, detect="  - kind: phrases\n    phrases: [no, on, yes, off]")
    rule = load_rule_file(path, "custom")
    assert rule.detect[0]["phrases"] == ["no", "on", "yes", "off"]
    assert rule.enabled is True
