"""The validated-rule cache: same rules as parsing, invalidated by content and code, never
trusted when it could have been tampered with, and never hiding an error."""

import json
import os
import shutil
import subprocess
import sys

import pytest
from helpers import write_rule

from cslint.errors import RuleError
from cslint.ruleset import cache as cache_module
from cslint.ruleset import load_rules
from cslint.ruleset.cache import RuleCache
from cslint.ruleset.loader import builtin_rules_dir


def rule_state(rule):
    """Everything a loaded rule carries, positions included."""
    state = dict(vars(rule))
    state["positions"] = sorted(rule.positions.items(), key=repr)
    return state


def load(folder, cache):
    loaded = load_rules([folder], include_builtin=False, cache=cache)
    return loaded.rules, [str(e) for e in loaded.errors]


@pytest.fixture
def rules_dir(tmp_path):
    folder = tmp_path / "rules"
    folder.mkdir()
    write_rule(folder, "alpha")
    write_rule(
        folder,
        "beta",
        detect="  - kind: pattern\n    patterns:\n      - [{LOWER: calm}, {LOWER: down}]",
        flag="please [[calm down]]",
    )
    return folder


def test_second_load_comes_from_the_cache_and_is_identical(tmp_path, rules_dir):
    cache = RuleCache(tmp_path / "cache")
    first, errors = load(rules_dir, cache)
    assert not errors and cache.hits == 0
    second, _ = load(rules_dir, RuleCache(tmp_path / "cache"))
    again = RuleCache(tmp_path / "cache")
    third, _ = load(rules_dir, again)
    assert again.hits == 2
    assert {k: rule_state(r) for k, r in first.items()} == {k: rule_state(r) for k, r in third.items()}
    assert {k: rule_state(r) for k, r in second.items()} == {k: rule_state(r) for k, r in third.items()}


@pytest.fixture
def team_copy_of_builtin_rules(tmp_path):
    """The built-in rules as a team's own folder: read through the cache, not the built-in index."""
    folder = tmp_path / "team-rules"
    shutil.copytree(builtin_rules_dir(), folder)
    return folder


def test_builtin_rules_from_cache_equal_parsed_ones(tmp_path, team_copy_of_builtin_rules):
    folder = team_copy_of_builtin_rules
    parsed = load_rules([folder], include_builtin=False, cache=RuleCache.off()).rules
    load_rules([folder], include_builtin=False, cache=RuleCache(tmp_path / "cache"))
    warm = RuleCache(tmp_path / "cache")
    cached = load_rules([folder], include_builtin=False, cache=warm).rules
    assert warm.hits == len(parsed) > 10
    assert {k: rule_state(r) for k, r in parsed.items()} == {k: rule_state(r) for k, r in cached.items()}


def test_an_edit_is_seen_even_with_the_same_timestamp(tmp_path, rules_dir):
    cache_dir = tmp_path / "cache"
    load(rules_dir, RuleCache(cache_dir))
    path = rules_dir / "alpha.yaml"
    stamp = path.stat()
    path.write_text(path.read_text().replace("severity: warning", "severity: seriously"))
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    rules, errors = load(rules_dir, RuleCache(cache_dir))
    assert "alpha" not in rules
    assert len(errors) == 1 and "alpha.yaml:4:" in errors[0] and "seriously" in errors[0]
    # The broken file is not cached: the error comes back on every run.
    _, again = load(rules_dir, RuleCache(cache_dir))
    assert again == errors


def test_a_code_change_invalidates_every_entry(tmp_path, rules_dir, monkeypatch):
    cache_dir = tmp_path / "cache"
    load(rules_dir, RuleCache(cache_dir))
    monkeypatch.setattr(cache_module, "code_fingerprint", lambda: "another version of cslint")
    cache = RuleCache(cache_dir)
    load(rules_dir, cache)
    assert cache.hits == 0 and cache.misses == 2


def test_code_fingerprint_follows_source_files(tmp_path, monkeypatch):
    import cslint

    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("x = 1\n")
    monkeypatch.setattr(cslint, "__file__", str(package / "__init__.py"))
    cache_module.code_fingerprint.cache_clear()
    try:
        before = cache_module.code_fingerprint()
        (package / "__init__.py").write_text("x = 22\n")
        cache_module.code_fingerprint.cache_clear()
        assert cache_module.code_fingerprint() != before
    finally:
        cache_module.code_fingerprint.cache_clear()


def test_a_corrupt_entry_is_ignored_and_replaced(tmp_path, rules_dir):
    cache_dir = tmp_path / "cache"
    load(rules_dir, RuleCache(cache_dir))
    for entry in cache_dir.glob("rule-*.json"):
        entry.write_text("{not json")
    cache = RuleCache(cache_dir)
    rules, errors = load(rules_dir, cache)
    assert sorted(rules) == ["alpha", "beta"] and not errors and cache.hits == 0
    warm = RuleCache(cache_dir)
    load(rules_dir, warm)
    assert warm.hits == 2


def test_a_folder_others_can_write_to_is_not_used(tmp_path, rules_dir):
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir(mode=0o700)
    os.chmod(cache_dir, 0o777)
    load(rules_dir, RuleCache(cache_dir))
    assert list(cache_dir.iterdir()) == []


def test_documents_that_json_would_change_are_not_cached(tmp_path):
    folder = tmp_path / "rules"
    folder.mkdir()
    write_rule(folder, "gamma", extra="options:\n  1: one\n")
    cache_dir = tmp_path / "cache"
    first = load_rules([folder], include_builtin=False, cache=RuleCache(cache_dir)).rules
    assert first["gamma"].options == {1: "one"}
    assert list(cache_dir.glob("rule-*.json")) == []


def test_entries_are_plain_json_in_a_private_folder(tmp_path, rules_dir):
    cache_dir = tmp_path / "cache"
    load(rules_dir, RuleCache(cache_dir))
    entries = list(cache_dir.glob("rule-*.json"))
    assert len(entries) == 2
    assert set(json.loads(entries[0].read_text())) == {"data", "positions"}
    assert cache_dir.stat().st_mode & 0o777 == 0o700


def test_no_cache_environment_variable_turns_it_off(tmp_path, rules_dir, monkeypatch):
    monkeypatch.setenv("CSLINT_NO_CACHE", "1")
    assert cache_module.cache_dir() is None
    rules, errors = load(rules_dir, RuleCache())
    assert sorted(rules) == ["alpha", "beta"] and not errors


def test_unwritable_cache_folder_is_not_an_error(tmp_path, rules_dir):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    rules, errors = load(rules_dir, RuleCache(blocker / "cache"))
    assert sorted(rules) == ["alpha", "beta"] and not errors


def test_id_must_still_match_the_file_name_when_cached(tmp_path, rules_dir):
    cache_dir = tmp_path / "cache"
    load(rules_dir, RuleCache(cache_dir))
    (rules_dir / "alpha.yaml").rename(rules_dir / "renamed.yaml")
    rules, errors = load(rules_dir, RuleCache(cache_dir))
    assert "renamed" not in rules and any("must match the file name 'renamed'" in e for e in errors)


def test_warm_start_imports_neither_yaml_nor_jsonschema(tmp_path, team_copy_of_builtin_rules):
    env = dict(os.environ, CSLINT_CACHE_DIR=str(tmp_path / "cache"))
    code = (
        "import sys; from cslint.ruleset import load_rules; "
        f"r = load_rules([{str(team_copy_of_builtin_rules)!r}]); assert not r.errors; "
        "print(sorted(m for m in ('yaml', 'jsonschema') if m in sys.modules))"
    )
    cold = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    warm = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert cold.stdout.strip() == "['jsonschema', 'yaml']"
    assert warm.stdout.strip() == "[]"


def test_builtin_rules_alone_need_neither_yaml_nor_jsonschema(tmp_path):
    """The built-in rules come from the index cslint was built with, caches on or off."""
    env = dict(os.environ, CSLINT_CACHE_DIR=str(tmp_path / "cache"), CSLINT_NO_CACHE="1")
    code = (
        "import sys; from cslint.ruleset import load_rules; r = load_rules(); assert not r.errors; "
        "print(sorted(m for m in ('yaml', 'jsonschema') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_rule_error_type_is_unchanged_for_unreadable_files(tmp_path):
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "bad.yaml").write_bytes(b"id: bad\ntitle: \xff\xfe\n")
    errors = load_rules([folder], include_builtin=False, cache=RuleCache(tmp_path / "cache")).errors
    assert len(errors) == 1 and isinstance(errors[0], RuleError) and "cannot read rule file" in str(errors[0])


def test_cache_folder_is_the_platform_user_cache(monkeypatch, tmp_path):
    import platformdirs

    monkeypatch.delenv("CSLINT_CACHE_DIR")
    monkeypatch.delenv("CSLINT_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_module.cache_dir() == platformdirs.user_cache_path("cslint", appauthor=False)
    if sys.platform.startswith("linux"):
        assert cache_module.cache_dir() == tmp_path / "cslint"
    monkeypatch.setenv("CSLINT_CACHE_DIR", str(tmp_path / "mine"))
    assert cache_module.cache_dir() == tmp_path / "mine"
