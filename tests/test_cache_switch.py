"""``CSLINT_NO_CACHE`` turns off every cache: the rule-file cache and the analysis cache."""

import pytest
from helpers import write_rule

from cslint.cacheswitch import caches_disabled
from cslint.engine.linter import Linter
from cslint.model import Conversation, Turn
from cslint.ruleset import load_rules
from cslint.ruleset.cache import cache_dir


@pytest.mark.parametrize(("value", "off"), [("1", True), ("true", True), ("0", False), ("", False)])
def test_switch_values(monkeypatch, value, off):
    monkeypatch.setenv("CSLINT_NO_CACHE", value)
    assert caches_disabled() is off
    assert (cache_dir() is None) is off


def repeated_turns_hits(tmp_path) -> tuple[int, int, list[int]]:
    write_rule(tmp_path, flag="x")
    linter = Linter(list(load_rules([tmp_path], include_builtin=False).rules.values()))
    conversations = [Conversation(f"c{i}", "p", [Turn("agent", "go away")] * 3) for i in range(3)]
    found = [len(findings) for _conv, findings in linter.lint(conversations)]
    return linter.cache.stats.lookups, linter.cache.stats.hits, found


def test_analysis_cache_is_off_with_the_switch(tmp_path, monkeypatch):
    lookups, hits, found_cached = repeated_turns_hits(tmp_path)
    assert lookups == 9 and hits == 8  # the same text, analysed once
    monkeypatch.setenv("CSLINT_NO_CACHE", "1")
    lookups, hits, found_uncached = repeated_turns_hits(tmp_path)
    assert lookups == 9 and hits == 0
    assert found_uncached == found_cached == [3, 3, 3]
