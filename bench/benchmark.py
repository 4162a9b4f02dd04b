#!/usr/bin/env python3
"""cslint's speed and memory, measured in one run on one corpus, each figure against its target.

    python bench/benchmark.py CORPUS.jsonl              # everything (the 1 GB memory run takes minutes)
    python bench/benchmark.py CORPUS.jsonl --quick      # smaller batch and memory file, fewer repeats
    python bench/benchmark.py CORPUS.jsonl --skip-1gb   # everything but the memory run
    python bench/benchmark.py CORPUS.jsonl --skip-1gb --batch-mb 100   # --jobs on a 100 MB batch

CORPUS is any file of native conversations (JSON or JSONL). Install the comparison first:
``pip install -e ".[bench]"`` (proselint). Figures:

0. as a user meets it, whole processes with start-up included and every cache off
   (``CSLINT_NO_CACHE=1``): ``cslint check --jobs 1`` on the agent turns as JSONL against
   ``proselint check`` on the same text as one file (target: cslint at least as fast), and
   ``cslint check --jobs 1`` on the whole conversations (customer turns as context; target:
   20,000 agent words/s); all with ``--format json``, and the agent turns once more with the
   default text output (every finding written with its passage and fix), for the record;
1. cslint words/s over the corpus's agent turns, in process, every built-in rule, the
   analysis cache off (so repeated texts do not flatter it); the cache's hit rate on the real
   corpus is reported separately;
2. proselint words/s on the same agent turns (each turn linted as one document);
3. the ratio of the two (target: cslint at least as fast);
4. the bare spaCy pipeline cslint builds (``build_pipeline`` + ``nlp.pipe``) on the same text,
   and cslint's time over it (target: at most 2.0x);
5. ``--jobs 2`` against ``--jobs 1`` on a batch of distinct conversations (the corpus repeated,
   each copy's turns varied so the cache cannot hit; target: at least 1.6x), and the time a
   million such conversations would take on this machine (target: under an hour);
6. peak memory of ``cslint check --format json`` on a ~1 GB JSONL export (target: 400 MB);
7. a cold ``echo DRAFT | cslint check -`` against ``python -c "import spacy"`` (target: 1.3x).

Times are medians of repeated, interleaved runs, and the targets are ratios, because the
machine may be shared and absolute times drift.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

DRAFT = "Hi Sam, thanks for waiting. I'm afraid that's our policy, please check our FAQ for the refund form.\n"


@dataclass
class Report:
    rows: list[tuple[str, str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    misses: int = 0

    def figure(self, name: str, value: str, target: str = "", ok: bool | None = None) -> None:
        verdict = "" if ok is None else ("PASS" if ok else "MISS")
        self.misses += ok is False
        self.rows.append((name, value, target, verdict))
        print(f"  {name:<44} {value:<34} {target:<16} {verdict}", flush=True)

    def note(self, text: str) -> None:
        self.notes.append(text)
        print(f"    {text}", flush=True)


def median_times(runs: dict[str, Callable[[], float]], repeats: int) -> dict[str, float]:
    """Run each timed callable ``repeats`` times, interleaved; each returns its own seconds."""
    samples: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            gc.collect()
            samples[name].append(run())
    return {name: statistics.median(values) for name, values in samples.items()}


# -- the corpus -----------------------------------------------------------------------------


def read_corpus(path: str):
    from cslint.model import InputError
    from cslint.readers import ReadOptions, collect_inputs, read_source

    inputs = collect_inputs([path])
    conversations, errors = [], 0
    for source in inputs.sources:
        for item in read_source(source, ReadOptions()):
            if isinstance(item, InputError):
                errors += 1
            else:
                conversations.append(item)
    if not conversations:
        sys.exit(f"error: {path}: no conversations read ({errors} errors)")
    return conversations


def agent_only(conversations):
    """The corpus's conversations with their agent turns only: exactly the text proselint gets."""
    from cslint.model import Conversation

    out = []
    for c in conversations:
        turns = [t for t in c.turns if t.speaker == "agent" and t.lintable]
        if turns:
            out.append(Conversation(c.id, c.path, turns, c.channel, c.title))
    return out


def words(texts) -> int:
    return sum(len(t.split()) for t in texts)


def builtin_rules():
    from cslint.ruleset import load_rules

    loaded = load_rules()
    if loaded.errors:
        sys.exit(f"error: built-in rules: {loaded.errors[0]}")
    return sorted(loaded.rules.values(), key=lambda r: r.id)  # the full catalogue, off-by-default rules too


# -- 0: whole processes, as a user meets them --------------------------------------------------


def write_conversations(conversations, path: Path) -> Path:
    """``conversations`` as native JSONL, the format ``cslint check`` reads."""
    with path.open("w", encoding="utf-8") as out:
        for c in conversations:
            turns = [{"speaker": t.speaker, "text": t.text} for t in c.turns]
            out.write(json.dumps({"id": c.id, "channel": c.channel, "turns": turns}) + "\n")
    return path


def process_runner(command: list[str], env: dict[str, str]) -> Callable[[], float]:
    """A timed whole process (start-up included), its output thrown away."""

    def run() -> float:
        started = time.perf_counter()
        done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        elapsed = time.perf_counter() - started
        if done.returncode not in (0, 1):  # 1: findings
            sys.exit(f"error: {' '.join(command)} exited {done.returncode}: {done.stderr.strip()[-300:]}")
        return elapsed

    return run


def whole_process(report: Report, conversations, repeats: int) -> float:
    """Figure 0; returns the seconds per whole conversation of one ``--jobs 1`` process."""
    agents = agent_only(conversations)
    agent_texts = [t.text for c in agents for t in c.turns]
    agent_words = words(agent_texts)
    # Every cache off, the rule-file cache too: each run reads the rules as a first run does.
    # Bytecode written, as after `pip install` (proselint's is): this machine may set
    # PYTHONDONTWRITEBYTECODE, which made every cslint run compile its modules again.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["CSLINT_NO_CACHE"] = "1"
    with tempfile.TemporaryDirectory(prefix="cslint-bench-") as tmp:
        folder = Path(tmp)
        prose = folder / "agents.txt"
        prose.write_text("\n\n".join(agent_texts) + "\n", encoding="utf-8")
        base = [*cslint_command(), "check", "--no-config", "--jobs", "1"]
        check = [*base, "--format", "json"]
        agents_file = str(write_conversations(agents, folder / "agents.jsonl"))
        runs = {
            "agents": process_runner([*check, agents_file], env),
            "whole": process_runner([*check, str(write_conversations(conversations, folder / "whole.jsonl"))], env),
            # The default output, for people: every finding with its passage and fix.
            "agents-text": process_runner([*base, agents_file], env),
        }
        proselint = Path(sys.executable).with_name("proselint")
        if proselint.exists():
            runs["proselint"] = process_runner([str(proselint), "check", str(prose)], env)
        for run in runs.values():
            run()  # warm-up: bytecode and the operating system's file cache
        times = median_times(runs, repeats)
    cslint_wps = agent_words / times["agents"]
    report.figure("0. whole process: cslint check -j 1 (agents)", f"{cslint_wps:,.0f} words/s ({times['agents']:.1f}s)")
    if "proselint" in times:
        proselint_wps = agent_words / times["proselint"]
        report.figure(
            "   proselint check, same text as one file", f"{proselint_wps:,.0f} words/s ({times['proselint']:.1f}s)"
        )
        ratio = cslint_wps / proselint_wps
        report.figure("   cslint / proselint speed, whole process", f"{ratio:.2f}x", ">= 1.0x", ratio >= 1.0)
    else:
        report.figure("   proselint check", "not installed", "pip install -e '.[bench]'")
    whole_wps = agent_words / times["whole"]
    report.figure(
        "   whole conversations, agent words/s",
        f"{whole_wps:,.0f} ({times['whole']:.1f}s)",
        ">= 20,000",
        whole_wps >= 20_000,
    )
    report.note(
        f"start-up included, CSLINT_NO_CACHE=1, --no-config (the default rules), --format json; medians of "
        f"{repeats} interleaved runs; with the default text output: {agent_words / times['agents-text']:,.0f} "
        f"agent words/s ({times['agents-text']:.1f}s)"
    )
    return times["whole"] / len(conversations)


# -- 1-4: throughput ------------------------------------------------------------------------


def throughput(report: Report, conversations, repeats: int) -> None:
    from cslint.engine.linter import Linter
    from cslint.engine.nlp import build_pipeline
    from cslint.startup import freeze_heap

    rules = builtin_rules()
    agents = agent_only(conversations)
    texts = [t.text for c in agents for t in c.turns]
    n_words = words(texts)
    all_words = words(t.text for c in conversations for t in c.turns)

    def cslint_run(convs) -> Callable[[], float]:
        def run() -> float:
            linter = Linter(rules, cache_entries=0)  # built untimed; a fresh vocabulary each time
            freeze_heap()  # as the command line does once its linters are built
            started = time.perf_counter()
            for _ in linter.lint(convs):
                pass
            return time.perf_counter() - started

        return run

    def bare_run() -> float:
        nlp = build_pipeline()
        freeze_heap()  # the same treatment as cslint's run
        started = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=256):
            pass
        return time.perf_counter() - started

    runs: dict[str, Callable[[], float]] = {
        "cslint": cslint_run(agents),
        "bare": bare_run,
        "cslint-full": cslint_run(conversations),
    }
    proselint = proselint_runner(texts)
    if proselint is not None:
        proselint()  # warm-up: proselint compiles its checks' expressions on first use
        runs["proselint"] = proselint
    times = median_times(runs, repeats)

    cslint_wps = n_words / times["cslint"]
    report.figure("1. cslint words/s (agent turns, --jobs 1)", f"{cslint_wps:,.0f}")
    report.note(
        f"all {len(rules)} built-in rules, analysis cache off; whole conversations (customer turns "
        f"read as context): {all_words / times['cslint-full']:,.0f} words/s of all turns"
    )
    linter = Linter(rules)
    for _ in linter.lint(conversations):
        pass
    stats = linter.cache.stats
    report.note(
        f"analysis-cache hit rate on the real corpus: {stats.hit_rate:.1%} ({stats.hits} of {stats.lookups} turn texts)"
    )
    if proselint is not None:
        proselint_wps = n_words / times["proselint"]
        report.figure("2. proselint words/s (same agent turns)", f"{proselint_wps:,.0f}")
        ratio = cslint_wps / proselint_wps
        report.figure("3. cslint / proselint speed", f"{ratio:.2f}x", ">= 1.0x", ratio >= 1.0)
    else:
        report.figure("2. proselint words/s", "not installed", "pip install -e '.[bench]'")
        report.figure("3. cslint / proselint speed", "-", ">= 1.0x")
    bare_wps = n_words / times["bare"]
    report.figure("4. bare spaCy pipeline words/s", f"{bare_wps:,.0f}")
    over = times["cslint"] / times["bare"]
    report.figure("   cslint time / bare pipeline time", f"{over:.2f}x", "<= 2.0x", over <= 2.0)


def proselint_runner(texts) -> Callable[[], float] | None:
    try:
        from proselint.checks import __register__
        from proselint.config import DEFAULT
        from proselint.registry import CheckRegistry
        from proselint.tools import LintFile
    except ImportError:
        return None
    registry = CheckRegistry()
    if not registry.checks:
        registry.register_many(__register__)

    def run() -> float:
        started = time.perf_counter()
        for i, text in enumerate(texts):
            LintFile(f"turn-{i}", text).lint(DEFAULT)
        return time.perf_counter() - started

    return run


# -- 5: --jobs 2 against --jobs 1 -----------------------------------------------------------


def write_batch(conversations, folder: Path, min_bytes: int) -> Path:
    """The corpus repeated until ``min_bytes``, every turn of copy k ending in its own ticket
    reference, so no text repeats and the analysis cache cannot help."""
    path = folder / "batch.jsonl"
    size, copy = 0, 0
    with path.open("w", encoding="utf-8") as out:
        while size < min_bytes:
            copy += 1
            for c in conversations:
                turns = [{"speaker": t.speaker, "text": f"{t.text} (ref {copy}-{i})"} for i, t in enumerate(c.turns)]
                line = json.dumps({"id": f"{c.id}~{copy}", "channel": c.channel, "turns": turns}) + "\n"
                out.write(line)
                size += len(line)
    return path


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def session_run(path: Path, jobs: int) -> tuple[float, int, float, float]:
    """(seconds, conversations, cache hit rate, CPU seconds of all processes) of linting
    ``path`` through a LintSession."""
    from cslint.session import LintRequest, LintSession

    request = LintRequest(paths=(str(path),), flags={"select": ["all"]}, use_config=False, jobs=jobs)
    session = LintSession(request, on_error=lambda message: None)
    assert session.jobs == jobs, f"the session chose {session.jobs} jobs"
    cpu = _cpu(resource.RUSAGE_SELF) + _cpu(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    count = sum(1 for _ in session.lint(lambda error: None))  # the pool is joined: workers' CPU is counted
    elapsed = time.perf_counter() - started
    cpu = _cpu(resource.RUSAGE_SELF) + _cpu(resource.RUSAGE_CHILDREN) - cpu
    return elapsed, count, session.cache_stats().hit_rate, cpu


def parallel(report: Report, conversations, batch_bytes: int, repeats: int) -> float:
    """Figure 5; returns the speed-up of ``--jobs 2``."""
    with tempfile.TemporaryDirectory(prefix="cslint-bench-") as tmp:
        path = write_batch(conversations, Path(tmp), batch_bytes)
        results: dict[int, list[tuple[float, int, float, float]]] = {1: [], 2: []}
        load = os.getloadavg()[0]
        for _ in range(repeats):
            for jobs in (1, 2):
                gc.collect()
                results[jobs].append(session_run(path, jobs))
        load = max(load, os.getloadavg()[0])
        one = statistics.median(r[0] for r in results[1])
        two = statistics.median(r[0] for r in results[2])
        count = results[1][0][1]
        hit = results[1][0][2]
        speedup = one / two
        report.figure(
            "5. --jobs 2 speed-up over --jobs 1",
            f"{speedup:.2f}x ({one:.1f}s -> {two:.1f}s)",
            ">= 1.6x",
            speedup >= 1.6,
        )
        # On a shared machine other processes take CPU from the two workers; the CPU time the
        # run needed says what two free cores would give.
        cpu_one = statistics.median(r[3] for r in results[1])
        cpu_two = statistics.median(r[3] for r in results[2])
        report.note(
            f"batch: {count:,} distinct conversations, {path.stat().st_size / 1e6:.1f} MB, "
            f"analysis-cache hit rate {hit:.1%}; {os.cpu_count()} CPUs, load average up to {load:.1f} during the runs"
        )
        report.note(
            f"CPU time: {cpu_one:.1f}s with 1 job, {cpu_two:.1f}s with 2 (all processes): with two idle cores "
            f"the speed-up would be up to {cpu_one / (cpu_two / 2):.2f}x"
        )
    return speedup


def projection(report: Report, seconds_per_conversation: float, speedup: float) -> None:
    """A million whole conversations on this machine: one ``--jobs 1`` process's time per
    conversation (figure 0, start-up included), times the ``--jobs 2`` speed-up (figure 5)."""
    hours = seconds_per_conversation * 1_000_000 / speedup / 3600
    report.figure(
        "   1M conversations, --jobs 2 (projected)",
        f"{hours:.2f} h ({seconds_per_conversation * 1000:.2f} ms each, /{speedup:.2f})",
        "< 1 h",
        hours < 1.0,
    )


# -- 6: memory on a ~1 GB export ------------------------------------------------------------


def write_export(conversations, path: Path, target_bytes: int) -> tuple[int, int]:
    """A helpdesk-style export: each line one conversation of the corpus, its turns varied as
    in ``write_batch`` (so every text is new and the analysis cache fills up, the worst case
    for memory), with the bulky per-conversation metadata real exports carry: an audit log of
    events, custom fields and an attached file (base64), ~45 kB per conversation. The text to
    lint stays a realistic share, so the run takes a minute or two while reading a gigabyte."""
    rng = random.Random(7)
    import base64

    events = [
        {
            "type": rng.choice(["status_changed", "assigned", "tag_added", "sla_updated", "viewed"]),
            "at": f"2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T1{rng.randint(0, 9)}:{rng.randint(10, 59)}:00Z",
            "actor_id": rng.randint(1000, 9999),
            "value": rng.choice(["open", "pending", "solved", "tier-2", "vip"]),
        }
        for _ in range(120)
    ]
    attachment = base64.b64encode(rng.randbytes(24_000)).decode()
    written, count = 0, 0
    with path.open("w", encoding="utf-8") as out:
        while written < target_bytes:
            for c in conversations:
                count += 1
                record = {
                    "id": f"{c.id}-{count}",
                    "channel": c.channel,
                    "turns": [
                        {"speaker": t.speaker, "text": f"{t.text} (ref {count}-{i})"} for i, t in enumerate(c.turns)
                    ],
                    "custom_fields": {
                        "plan": rng.choice(["free", "pro", "enterprise"]),
                        "region": "eu-west",
                        "csat": rng.randint(1, 5),
                    },
                    "events": events,
                    "attachments": [{"name": "screenshot.png", "content_type": "image/png", "data": attachment}],
                }
                line = json.dumps(record) + "\n"
                out.write(line)
                written += len(line)
                if written >= target_bytes:
                    break
    return written, count


def cslint_command() -> list[str]:
    script = Path(sys.executable).with_name("cslint")
    return [str(script)] if script.exists() else [sys.executable, "-m", "cslint"]


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    todo.extend(int(p) for p in handle.read().split())
        except OSError:
            pass
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def memory(report: Report, conversations, size_mb: int) -> None:
    with tempfile.TemporaryDirectory(prefix="cslint-bench-") as tmp:
        path = Path(tmp) / "export.jsonl"
        started = time.perf_counter()
        written, count = write_export(conversations, path, size_mb * 1_000_000)
        print(
            f"    (generated {written / 1e6:,.0f} MB, {count:,} conversations in {time.perf_counter() - started:.0f}s)",
            flush=True,
        )
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        process = subprocess.Popen(
            [*cslint_command(), "check", "--no-config", "--format", "json", "--timings", str(path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        peak_pss = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak_pss
            while not done.is_set():
                peak_pss = max(peak_pss, sum(_pss_kb(p) for p in _tree(process.pid)))
                done.wait(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, stderr = process.communicate()
        done.set()
        sampler.join()
        elapsed = time.perf_counter() - started
        largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        statistics_line = next((line for line in stderr.splitlines() if line.startswith("timings:")), "")
        if process.returncode not in (0, 1):
            report.figure("6. peak memory, ~1 GB JSONL", f"run failed (exit {process.returncode})", "<= 400 MB", False)
            report.note(stderr.strip().splitlines()[-1] if stderr.strip() else "")
            return
        total_mb = peak_pss / 1024
        largest_mb = largest / 1024 if largest > before else float("nan")
        if peak_pss:
            report.figure(
                f"6. peak memory, {written / 1e6:,.0f} MB JSONL",
                f"{total_mb:,.0f} MB (all processes)",
                "<= 400 MB",
                total_mb <= 400,
            )
            report.note(
                f"largest single process: {largest_mb:,.0f} MB RSS; run took {elapsed:.0f}s; {statistics_line.removeprefix('timings: ')}"
            )
        else:  # no /proc: the largest process's RSS is all we can read
            report.figure(
                f"6. peak memory, {written / 1e6:,.0f} MB JSONL",
                f"{largest_mb:,.0f} MB (largest process)",
                "<= 400 MB",
                largest_mb <= 400,
            )


# -- 7: cold start --------------------------------------------------------------------------


def cold_start(report: Report, repeats: int) -> None:
    # As after `pip install`: bytecode written (this machine may set PYTHONDONTWRITEBYTECODE),
    # and the rule cache filled, by one warm-up run.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    lint = [*cslint_command(), "check", "-"]
    spacy = [sys.executable, "-c", "import spacy"]

    def timed(command: list[str], stdin: str | None) -> Callable[[], float]:
        def run() -> float:
            started = time.perf_counter()
            subprocess.run(
                command, input=stdin, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True
            )
            return time.perf_counter() - started

        return run

    runs = {"cslint": timed(lint, DRAFT), "spacy": timed(spacy, None)}
    for run in runs.values():
        run()
    times = median_times(runs, repeats)
    ratio = times["cslint"] / times["spacy"]
    report.figure(
        "7. cold draft: cslint check - / import spacy",
        f"{ratio:.2f}x ({times['cslint']:.2f}s / {times['spacy']:.2f}s)",
        "<= 1.3x",
        ratio <= 1.3,
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", help="native conversations (JSON or JSONL), e.g. an export of real chats")
    parser.add_argument("--quick", action="store_true", help="a smaller batch and memory file, fewer repeats (CI-like)")
    parser.add_argument("--skip-1gb", action="store_true", help="skip the memory run on a generated ~1 GB file")
    parser.add_argument(
        "--size-mb", type=int, help="size of the generated file for the memory run (default 1000; 100 with --quick)"
    )
    parser.add_argument(
        "--batch-mb",
        type=int,
        help="size of the --jobs batch (default 12; 3 with --quick); the issue's figure is taken on 100",
    )
    args = parser.parse_args()
    repeats = 3 if args.quick else 5
    import cslint

    print(f"cslint {cslint.__version__}, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs\n", flush=True)
    conversations = read_corpus(args.corpus)
    report = Report()
    agent_texts = [t.text for c in agent_only(conversations) for t in c.turns]
    all_words = words(t.text for c in conversations for t in c.turns)
    print(
        f"corpus: {len(conversations)} conversations, {len(agent_texts)} agent turns, {words(agent_texts):,} agent "
        f"words ({all_words:,} words in all turns); {len(builtin_rules())} rules\n",
        flush=True,
    )
    per_conversation = whole_process(report, conversations, repeats)
    throughput(report, conversations, repeats)
    batch_mb = args.batch_mb or (3 if args.quick else 12)
    speedup = parallel(report, conversations, batch_mb * 1_000_000, 1 if args.quick else 3)
    projection(report, per_conversation, speedup)
    if args.skip_1gb:
        report.figure("6. peak memory, ~1 GB JSONL", "skipped (--skip-1gb)", "<= 400 MB")
    else:
        memory(report, conversations, args.size_mb or (100 if args.quick else 1000))
    cold_start(report, 5 if args.quick else 9)
    print(f"\n{len([r for r in report.rows if r[3] == 'PASS'])} PASS, {report.misses} MISS", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
