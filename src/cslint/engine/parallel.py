"""Lint with several processes, keeping input order and flat memory.

The main process reads inputs and sends conversations in chunks to worker processes, each
with its own Linter (inherited through ``fork`` where available, so it is built once). At most
a few chunks per worker are in flight, so a huge input is never read ahead into memory, and
results are yielded in input order, so the output is the same as with one job.

Conversations cross the process boundary without their source maps (those may hold closures
over the input file); workers return findings located at offsets, and the main process turns
offsets into ``line:column`` with the original conversation.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import Counter, deque
from collections.abc import Iterable, Iterator

from cslint.engine.cache import CacheStats
from cslint.engine.linter import Linter
from cslint.errors import CslintError
from cslint.model import Conversation, Finding, Turn
from cslint.startup import freeze_heap

#: Turns per chunk sent to a worker: large enough to amortise pickling, small enough to balance.
CHUNK_TURNS = 400
#: Chunks in flight per worker.
IN_FLIGHT_PER_JOB = 3

#: The linter of a worker process, set once by the pool's initializer in that process (the
#: main process never sets it): the only way ``Pool`` lets a task reach per-worker state.
_worker_linter: Linter | None = None


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _portable(conversation: Conversation) -> tuple:
    """What a worker needs, as plain tuples: text and roles only, no source map closures, no
    metadata. Tuples are several times cheaper than Turn objects to build and to pickle, and
    the main process, which also reads the input, must not become the bottleneck."""
    turns = [(t.speaker, t.text, t.name, t.time, t.lintable, t.reply_to) for t in conversation.turns]
    return (conversation.id, conversation.path, turns, conversation.channel, conversation.title)


def _rebuild(portable: tuple) -> Conversation:
    cid, path, turns, channel, title = portable
    rebuilt = [
        Turn(speaker, text, name, time, lintable, reply_to=reply_to)
        for speaker, text, name, time, lintable, reply_to in turns
    ]
    return Conversation(cid, path, rebuilt, channel, title)


class WorkerDiedError(CslintError):
    """A worker process ended without returning its chunk (killed: out of memory, kill -9)."""


def _init_worker(inherited: Linter | None, linter_args: dict | None) -> None:
    global _worker_linter
    # Ctrl-C reaches every process of the terminal's job: the main process stops the pool and
    # exits 130; a worker interrupted mid-chunk would print a traceback each.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The main process turns SIGTERM/SIGHUP into a clean exit (cslint.signals); a worker is
    # simply ended by them, as the pool expects.
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    if inherited is not None:  # fork: the parent's linter, inherited without pickling
        _worker_linter = inherited
    elif linter_args is not None:  # spawn: build our own
        _worker_linter = Linter(**linter_args)
        freeze_heap()


def _lint_chunk(chunk: list[tuple]) -> tuple[list[list[Finding]], CacheStats, dict[str, float], Counter, list[str]]:
    assert _worker_linter is not None
    before = CacheStats(_worker_linter.cache.stats.lookups, _worker_linter.cache.stats.hits)
    _worker_linter.timings.clear()
    _worker_linter.counts.clear()
    _worker_linter.notices.clear()
    results = [findings for _, findings in _worker_linter.lint(_rebuild(c) for c in chunk)]
    after = _worker_linter.cache.stats
    stats = CacheStats(after.lookups - before.lookups, after.hits - before.hits)
    # Notices (a turn too long to lint whole) go back to the main process, which prints them.
    return results, stats, dict(_worker_linter.timings), _worker_linter.counts, list(_worker_linter.notices)


def relocate(findings: list[Finding], conversation: Conversation) -> None:
    """Fill in line and column from the original conversation's source maps."""
    for f in findings:
        where = conversation.turns[f.turn].source.locate(f.start)
        f.line, f.column = where.line, where.column


def _chunks(conversations: Iterable[Conversation]) -> Iterator[list[Conversation]]:
    chunk: list[Conversation] = []
    size = 0
    for conversation in conversations:
        chunk.append(conversation)
        size += len(conversation.turns) or 1
        if size >= CHUNK_TURNS:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def lint_parallel(
    linter: Linter, conversations: Iterable[Conversation], jobs: int
) -> Iterator[tuple[Conversation, list[Finding]]]:
    """Like ``linter.lint(conversations)``, spread over ``jobs`` processes."""
    if jobs <= 1:
        yield from linter.lint(conversations)
        return
    methods = multiprocessing.get_all_start_methods()
    context: multiprocessing.context.BaseContext
    if "fork" in methods:
        context = multiprocessing.get_context("fork")
        # Arguments of forked workers are inherited, not pickled: the linter is not rebuilt.
        inherited: Linter | None = linter
        init_args = None
        # What each worker would read or compile on first use, done once here and shared
        # (kept out of the garbage collector's scans, which would make each worker copy it).
        linter.preload()
        freeze_heap()
    else:
        context = multiprocessing.get_context("spawn")
        inherited = None
        init_args = {
            "rules": linter.rules,
            "severity_overrides": linter.severity_overrides,
            "vocabulary": linter.vocabulary,
            "cache_entries": linter.cache_entries,
            "profile": linter.profile,
            "language": linter.language,
            "models": linter.models,
        }
    pool = context.Pool(jobs, initializer=_init_worker, initargs=(inherited, init_args))
    watch = _WorkerWatch(pool)
    try:
        pending: deque = deque()
        chunks = _chunks(conversations)
        exhausted = False
        while True:
            while not exhausted and len(pending) < jobs * IN_FLIGHT_PER_JOB:
                chunk = next(chunks, None)
                if chunk is None:
                    exhausted = True
                    break
                pending.append((chunk, pool.apply_async(_lint_chunk, ([_portable(c) for c in chunk],))))
            if not pending:
                break
            chunk, result = pending.popleft()
            watch.wait(result)
            per_conversation, stats, timings, counts, notices = result.get()
            linter.cache.stats.add(stats)
            for name, seconds in timings.items():
                linter.timings[name] += seconds
            linter.counts.update(counts)
            linter.notices.extend(notices)
            for conversation, findings in zip(chunk, per_conversation):
                relocate(findings, conversation)
                for f in findings:
                    f.turn_text = conversation.turns[f.turn].text
                yield conversation, findings
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


class _WorkerWatch:
    """Notices a worker that died. ``multiprocessing.Pool`` replaces a dead worker but loses
    the chunk it held, so waiting for that result would never end. (``concurrent.futures``
    reports the death, but can itself hang at exit on a half-written result.)"""

    #: How often a wait checks on the workers, in seconds.
    INTERVAL = 0.2

    def __init__(self, pool) -> None:
        self.pool = pool
        #: Every worker seen, by pid: a dead one is dropped from the pool's own list.
        self.workers: dict[int, multiprocessing.process.BaseProcess] = {}

    def wait(self, result) -> None:
        while not result.ready():
            for worker in getattr(self.pool, "_pool", ()):
                self.workers.setdefault(worker.pid, worker)
            result.wait(self.INTERVAL)
            if result.ready():
                return
            for worker in self.workers.values():
                # Workers only end when the pool is closed: any exit code now means a death.
                if worker.exitcode is not None:
                    raise WorkerDiedError(
                        f"a worker process died ({_how(worker.exitcode)}); the run stopped and its"
                        " output is incomplete (out of memory? try fewer --jobs)"
                    )


def _how(exitcode: int) -> str:
    if exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exit status {exitcode}"
