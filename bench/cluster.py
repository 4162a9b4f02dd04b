#!/usr/bin/env python3
"""``--jobs 2`` against ``--scheduler local:2`` on one large JSONL file, and a projection of
cluster throughput for more workers from measured per-partition costs.

    python bench/cluster.py build SOURCE.jsonl BIG.jsonl --size 100MB   # SOURCE repeated, new ids
    python bench/cluster.py run BIG.jsonl [--partition-size 8MB] [--sample-partitions 6] [--projection-only]

``run`` reports, for ``cslint check --no-config -f json -o /dev/null``:

1. wall time and peak memory (the client, and all worker processes together) of ``--jobs 2``
   and of ``--scheduler local:2`` (cluster start included), sampled from /proc;
2. on a LocalCluster of 2 workers started here: each partition's lint time on a worker (from
   the scheduler's task stream), the client's CPU time per partition (receiving, ordering,
   reporting), and the scheduler's round trip per task (no-op tasks);
3. a projection for 8, 32 and 128 workers: each worker lints a partition in the measured time
   plus the per-task overhead; the client and the scheduler handle one partition at a time,
   so throughput is the smallest of the three rates.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from cslint.distributed.sizes import parse_size  # noqa: E402


def build(source: Path, target: Path, size: int) -> None:
    """``source`` repeated until ``size`` bytes, each copy's conversations with new ids."""
    lines = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    written = 0
    copy = 0
    with target.open("w", encoding="utf-8") as out:
        while written < size:
            for i, record in enumerate(lines):
                record = dict(record, id=f"copy{copy}-{i}")
                record.pop("dialog_id", None)
                line = json.dumps(record, ensure_ascii=False) + "\n"
                out.write(line)
                written += len(line.encode())
                if written >= size:
                    break
            copy += 1
    print(f"wrote {target}: {written / 2**20:.0f} MiB, {copy} copies of {source.name}")


# -- memory of a process tree ------------------------------------------------------------------


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(c) for c in handle.read().split()]
    except OSError:
        pass
    return found


def _descendants(pid: int) -> list[int]:
    out, todo = [], _children(pid)
    while todo:
        child = todo.pop()
        out.append(child)
        todo += _children(child)
    return out


def measure(command: list[str]) -> dict:
    """Wall time, and peak RSS of the client and of its descendants together (sampled)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peaks = {"client": 0, "workers": 0}

    def sample() -> None:
        while process.poll() is None:
            peaks["client"] = max(peaks["client"], _rss(process.pid))
            peaks["workers"] = max(peaks["workers"], sum(_rss(c) for c in _descendants(process.pid)))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = process.communicate()
    sampler.join()
    wall = time.perf_counter() - started
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {err.decode()[-2000:]}")
    return {"wall": wall, **peaks}


# -- per-partition costs on a cluster ----------------------------------------------------------


def partition_costs(path: Path, partition_bytes: int, sample_partitions: int) -> dict:
    """Lint the first ``sample_partitions`` partitions of ``path`` on a LocalCluster of 2."""
    import distributed

    from cslint.distributed import dask_executor
    from cslint.reporters import REPORTERS
    from cslint.session import LintRequest, LintSession

    sample = Path(tempfile.mkdtemp()) / "sample.jsonl"
    with path.open("rb") as source, sample.open("wb") as out:
        out.write(source.read(partition_bytes * sample_partitions))
        out.write(source.readline())  # end on a whole line
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=50
        ) as cluster,
        distributed.Client(cluster) as observer,
        open(os.devnull, "w") as devnull,
    ):
        # Set up as a run does (rules, the client's own linter), then time only the streaming:
        # receiving, ordering and reporting each partition is the client's share of the work.
        session = LintSession(LintRequest(paths=(str(sample),), use_config=False), lambda _: None)
        session.executor = dask_executor(cluster.scheduler_address, partition_bytes)
        reporter = REPORTERS["json"](devnull, color=False)
        with distributed.get_task_stream(client=observer) as stream:
            cpu = time.process_time()
            for linted in session.lint(lambda _: None):
                reporter.on_conversation(linted.conversation, linted.findings)
            cpu = time.process_time() - cpu
        lint = [
            sum(s["stop"] - s["start"] for s in task["startstops"] if s["action"] == "compute")
            for task in stream.data
            if task["key"].startswith("lint_task")
        ]
        # The scheduler's round trip for a task that does nothing: its fixed cost per task.
        started = time.perf_counter()
        observer.gather([observer.submit(int, i, pure=False) for i in range(400)])
        per_task = (time.perf_counter() - started) / 400
    return {
        "partitions": len(lint),
        # The first task of each worker also builds its linter (spaCy): not a per-partition cost.
        "lint": statistics.median(lint),
        "client": cpu / max(1, len(lint)),
        "task_overhead": per_task,
    }


def project(costs: dict, partition_bytes: int, workers: int) -> float:
    """MB/s with ``workers`` single-threaded workers."""
    per_worker = 1 / (costs["lint"] + costs["task_overhead"])
    ceiling = 1 / max(costs["client"], costs["task_overhead"])
    return min(workers * per_worker, ceiling) * partition_bytes / 2**20


def run(args: argparse.Namespace) -> None:
    path = Path(args.path)
    size = path.stat().st_size
    print(f"input: {path} ({size / 2**20:.0f} MiB), partition size {args.partition_size}")
    base = [sys.executable, "-m", "cslint", "check", "--no-config", "-f", "json", "-o", os.devnull, str(path)]
    partition = parse_size(args.partition_size)
    for label, extra in (
        ()
        if args.projection_only
        else (
            ("--jobs 2", ["--jobs", "2"]),
            ("--scheduler local:2", ["--scheduler", "local:2", "--partition-size", args.partition_size]),
        )
    ):
        figures = measure(base + extra)
        print(
            f"{label:22} wall {figures['wall']:7.1f}s  {size / 2**20 / figures['wall']:5.2f} MB/s"
            f"  peak RSS client {figures['client'] / 2**20:6.0f} MiB, workers together {figures['workers'] / 2**20:6.0f} MiB"
        )
    costs = partition_costs(path, partition, args.sample_partitions)
    print(
        f"per partition ({args.partition_size}, median of {costs['partitions']}): lint {costs['lint']:.2f}s on a worker,"
        f" client {costs['client'] * 1000:.0f} ms CPU; scheduler round trip per task {costs['task_overhead'] * 1000:.1f} ms"
    )
    for workers in (2, 8, 32, 128):
        print(f"projection: {workers:3} workers -> {project(costs, partition, workers):8.1f} MB/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="a large JSONL from a smaller one, with new ids")
    build_cmd.add_argument("source")
    build_cmd.add_argument("target")
    build_cmd.add_argument("--size", default="100MB")
    run_cmd = commands.add_parser("run", help="measure and project")
    run_cmd.add_argument("path")
    run_cmd.add_argument("--partition-size", default="8MB")
    run_cmd.add_argument("--sample-partitions", type=int, default=6)
    run_cmd.add_argument("--projection-only", action="store_true", help="skip the two whole-file runs")
    args = parser.parse_args()
    if args.command == "build":
        build(Path(args.source), Path(args.target), parse_size(args.size))
    else:
        run(args)


if __name__ == "__main__":
    main()
