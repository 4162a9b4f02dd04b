"""The built-in rules' index (cslint/ruleset/precompiled.py): fresh, equivalent to parsing
the files, and never used for bytes it was not built from."""

from __future__ import annotations

import json
from pathlib import Path

from cslint.ruleset.cache import RuleCache
from cslint.ruleset.loader import builtin_rules_dir, load_rule_file, load_rules, rule_files
from cslint.ruleset.precompiled import INDEX_PATH, PrecompiledRules, build_index, digest, render_index


def test_the_committed_index_is_built_from_the_rules_as_they_are():
    rebuilt = render_index(build_index(rule_files(builtin_rules_dir())))
    assert INDEX_PATH.read_text(encoding="utf-8") == rebuilt, (
        "src/cslint/ruleset/builtin-rules.json is stale: run python scripts/build_rule_index.py"
    )


def test_every_built_in_rule_file_is_in_the_index():
    index = PrecompiledRules()
    for path in rule_files(builtin_rules_dir()):
        assert index.get(path.read_bytes()) is not None, path.name


def test_a_rule_from_the_index_is_the_rule_parsed_from_its_file():
    index = PrecompiledRules()
    for path in rule_files(builtin_rules_dir()):
        from_index = load_rule_file(path, "built-in", cache=RuleCache.off(), precompiled=index)
        parsed = load_rule_file(path, "built-in", cache=RuleCache.off())
        assert from_index == parsed, path.name  # every field but positions (no __eq__)
        assert dict(from_index.positions.items()) == dict(parsed.positions.items()), path.name


def test_an_edited_rule_file_is_parsed_not_taken_from_the_index(tmp_path: Path):
    original = builtin_rules_dir() / "empty-apology.yaml"
    edited = tmp_path / "empty-apology.yaml"
    edited.write_text(
        original.read_text(encoding="utf-8").replace("severity: warning", "severity: error", 1), encoding="utf-8"
    )
    assert PrecompiledRules().get(edited.read_bytes()) is None
    rule = load_rule_file(edited, "built-in", cache=RuleCache.off(), precompiled=PrecompiledRules())
    assert rule.severity.name == "ERROR"


def test_a_missing_or_foreign_index_means_parsing_the_files(tmp_path: Path):
    path = builtin_rules_dir() / "jargon.yaml"
    missing = PrecompiledRules(tmp_path / "absent.json")
    assert missing.get(path.read_bytes()) is None
    foreign = tmp_path / "foreign.json"
    foreign.write_text(json.dumps({"format": "something-else", "entries": {digest(path.read_bytes()): {}}}))
    assert PrecompiledRules(foreign).get(path.read_bytes()) is None
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert PrecompiledRules(broken).get(path.read_bytes()) is None
    rule = load_rule_file(path, "built-in", cache=RuleCache.off(), precompiled=missing)
    assert rule.id == "jargon"


def test_load_rules_reads_the_built_in_rules_without_the_rule_cache(tmp_path: Path):
    cache = RuleCache(tmp_path / "cache")
    loaded = load_rules(cache=cache)
    assert not loaded.errors and len(loaded.rules) == len(rule_files(builtin_rules_dir()))
    assert cache.hits == 0 and cache.misses == 0  # every built-in came from the index
