"""--jobs: same findings in the same order as one job; the cache changes nothing but speed."""

import json

from cslint.engine.linter import Linter
from cslint.engine.parallel import lint_parallel
from cslint.readers import ReadOptions, Source, read_source

AGENT_TEXTS = [
    "Please visit our website for more information.",
    "Thanks, I've refunded the order today.",
    "You'll need to call our billing line, it's our policy.",
    "We apologize for any inconvenience. Please check our FAQ.",
]


def write_corpus(tmp_path, n=300):
    path = tmp_path / "corpus.jsonl"
    with path.open("w") as out:
        for i in range(n):
            turns = [
                {"speaker": "customer", "text": f"My order {10000 + i} is late, this is ridiculous!"},
                {"speaker": "agent", "text": AGENT_TEXTS[i % len(AGENT_TEXTS)] + f" Ref {i}."},
                {"speaker": "agent", "text": AGENT_TEXTS[(i + 1) % len(AGENT_TEXTS)]},
            ]
            out.write(json.dumps({"id": f"c{i}", "channel": "chat", "turns": turns}) + "\n")
    return path


def findings_of(linter, path, jobs):
    conversations = (c for c in read_source(Source(str(path)), ReadOptions()))
    out = []
    for conversation, findings in lint_parallel(linter, conversations, jobs):
        out.append((conversation.id, [f.to_dict() for f in findings]))
    return out


def test_two_jobs_give_the_same_output_in_the_same_order(tmp_path, builtin_rules):
    path = write_corpus(tmp_path)
    rules = sorted(builtin_rules.values(), key=lambda r: r.id)
    one = findings_of(Linter(rules), path, 1)
    two = findings_of(Linter(rules), path, 2)
    assert [cid for cid, _ in two] == [f"c{i}" for i in range(300)]
    assert one == two
    assert sum(len(f) for _, f in one) > 300
    # Locations were filled in from the original file, not left at the worker's defaults.
    assert {f["line"] for _, fs in two for f in fs} >= {1, 150, 300}


def test_cache_hits_repeated_texts_and_changes_nothing(tmp_path, builtin_rules):
    path = write_corpus(tmp_path, 100)
    rules = sorted(builtin_rules.values(), key=lambda r: r.id)
    cached = Linter(rules)
    uncached = Linter(rules, cache_entries=0)
    assert findings_of(cached, path, 1) == findings_of(uncached, path, 1)
    # Every second agent turn repeats one of four texts.
    assert cached.cache.stats.hits >= 90
    assert uncached.cache.stats.hits < cached.cache.stats.hits


def test_cli_jobs_and_timings(tmp_path, run_cli):
    path = write_corpus(tmp_path, 50)
    one = run_cli("check", "--no-config", "-f", "json", "-j", "1", path)
    # Force workers even for this small input.
    from cslint import session

    session.LintSession.PARALLEL_MIN_BYTES = 0
    try:
        two = run_cli("check", "--no-config", "-f", "json", "-j", "2", "--timings", path)
    finally:
        session.LintSession.PARALLEL_MIN_BYTES = 2 * 1024 * 1024
    assert json.loads(one.stdout)["findings"] == json.loads(two.stdout)["findings"]
    assert "with 2 job(s)" in two.stderr and "analysis cache hit rate" in two.stderr
    # The workers' time accounting reaches the main process.
    breakdown = next(line for line in two.stderr.splitlines() if line.startswith("timings: lint time"))
    assert "spaCy pipeline" in breakdown and "matchers" in breakdown and "turn facts" in breakdown
    assert "slowest rules: " in breakdown


def test_profile_accounts_time_to_rules_and_analysis(tmp_path, builtin_rules):
    from cslint.engine.linter import TIME_MATCHERS, TIME_PIPELINE, TIME_TURN_FACTS

    path = write_corpus(tmp_path, 40)
    rules = sorted(builtin_rules.values(), key=lambda r: r.id)
    profiled = Linter(rules, profile=True)
    plain = Linter(rules)
    assert findings_of(profiled, path, 1) == findings_of(plain, path, 1)
    assert not plain.timings
    shared = {TIME_PIPELINE, TIME_MATCHERS, TIME_TURN_FACTS}
    assert all(profiled.timings[key] > 0 for key in shared)
    assert set(profiled.timings) - shared == {r.id for r in rules}


def test_streaming_json_keeps_no_findings_in_memory(tmp_path):
    import io

    from cslint import results as runmod
    from cslint.check_command import CheckRequest, run_check

    path = write_corpus(tmp_path, 30)
    kept = []
    original = runmod.CheckResults.add

    def spy(self, findings):
        original(self, findings)
        kept.append(len(self.findings))

    runmod.CheckResults.add = spy
    try:
        out = io.StringIO()
        run_check(
            CheckRequest(paths=(str(path),), use_config=False, output_format="json", jobs=1),
            stdout=out,
            err=lambda m: None,
        )
    finally:
        runmod.CheckResults.add = original
    doc = json.loads(out.getvalue())
    assert doc["summary"]["findings"] == len(doc["findings"]) > 0
    assert max(kept) == 0


def test_preload_reads_and_compiles_before_workers_fork(tmp_path, builtin_rules):
    """What each worker would read or compile on first use is done once in the main process
    (before the fork, so that workers share it), and changes no finding."""
    from cslint import lexicons
    from cslint.learning import frustration

    rules = sorted(builtin_rules.values(), key=lambda r: r.id)
    linter = Linter(rules)
    lexicons._table.cache_clear()
    frustration.lexicon.cache_clear()
    assert not linter.model_store._loaded
    assert linter.matching.automaton._tables is None
    linter.preload()
    assert lexicons._table.cache_info().currsize == 1  # jargon's rare_below
    assert frustration.lexicon.cache_info().currsize == 1  # the learned kinds' features
    assert linter.model_store._loaded  # apathy's and robotism's kind: model
    automaton = linter.matching.automaton
    assert automaton._tables is not None
    assert all(regex_set._compiled is not None for regex_set, _ in automaton._predicate_sets.values())
    assert linter.matching.regexes_set._compiled is not None
    path = write_corpus(tmp_path, 40)
    assert findings_of(linter, path, 1) == findings_of(Linter(rules), path, 1)


def test_a_single_job_reads_no_word_list_it_does_not_need(tmp_path, builtin_rules):
    """Without workers nothing is preloaded: a draft of rules that never ask reads nothing."""
    from cslint import lexicons

    rules = [builtin_rules["empty-apology"]]
    linter = Linter(rules)
    lexicons._table.cache_clear()
    findings_of(linter, write_corpus(tmp_path, 4), 1)
    assert lexicons._table.cache_info().currsize == 0
