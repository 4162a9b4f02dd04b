#!/usr/bin/env python3
"""Load test of ``cslint serve`` on loopback: latency and throughput for single drafts.

    python bench/loadtest.py CORPUS.jsonl                       # starts its own server
    python bench/loadtest.py CORPUS.jsonl --requests 1000 --concurrency 1,4,8
    python bench/loadtest.py CORPUS.jsonl --url http://127.0.0.1:8484   # a server already running
    python bench/loadtest.py CORPUS.jsonl --with-context        # each draft with the customer's message

Needs the server extra (``pip install -e ".[server,bench]"``). CORPUS is a JSONL (or JSON)
file of conversations with ``turns`` of ``speaker`` and ``text`` (cslint's native format, e.g.
TweetSumm's dialogs). Each agent turn is one draft: a fixed number of requests is sent at each
concurrency level, every draft distinct (so the server's analysis cache never answers a request
from an earlier one), then the test stops. Reported per level: p50 / p95 / p99 latency,
throughput, and errors or lost responses; each answer is checked against its own draft (every
finding quotes text of that draft).

Targets: p95 <= 20 ms at concurrency 1; no error and no lost response at any level. The client
runs on the same machine as the server, so on a loaded or small machine the figures include
the client's own CPU time: say so when quoting them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

P95_TARGET_MS = 20.0


def agent_turns(path: Path, with_context: bool) -> list[dict]:
    """Request bodies: each distinct agent turn, with the customer turn before it as context."""
    text = path.read_text(encoding="utf-8")
    stripped = text.lstrip()
    if stripped.startswith("["):
        conversations = json.loads(text)
    elif stripped.startswith("{") and "\n{" not in stripped:
        conversations = [json.loads(text)]
    else:
        conversations = [json.loads(line) for line in text.splitlines() if line.strip()]
    bodies, seen = [], set()
    for conversation in conversations:
        customer = None
        for turn in conversation.get("turns", []):
            speaker, said = turn.get("speaker"), turn.get("text")
            if not isinstance(said, str) or not said.strip():
                continue
            if speaker == "customer":
                customer = said
            elif speaker == "agent" and said not in seen:
                seen.add(said)
                body = {"draft": said}
                if with_context and customer:
                    body["customer"] = customer
                bodies.append(body)
    return bodies


@dataclass
class Level:
    concurrency: int
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: Requests that got no answer at all (connection refused or reset, time-out).
    unanswered: int = 0
    elapsed: float = 0.0
    sent: int = 0

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
        return ordered[index] * 1000


def answer_problem(body: dict, status: int, answer) -> str | None:
    """Why an answer is wrong (an error, or findings that quote another draft), or None."""
    if status != 200:
        return f"HTTP {status}: {answer}"
    if not isinstance(answer, dict) or not isinstance(answer.get("findings"), list):
        return "no findings list in the answer"
    for finding in answer["findings"]:
        if finding["text"] not in body["draft"]:
            return f"finding {finding['text']!r} is not in the draft sent"
    return None


async def run_level(url: str, bodies: list[dict], concurrency: int) -> Level:
    level = Level(concurrency)
    queue: asyncio.Queue = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)
    timeout = aiohttp.ClientTimeout(total=60)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:

        async def worker() -> None:
            while True:
                try:
                    body = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                level.sent += 1
                started = time.perf_counter()
                try:
                    async with session.post(f"{url}/v1/check", json=body) as response:
                        answer = await response.json(content_type=None)
                        status = response.status
                except (aiohttp.ClientError, asyncio.TimeoutError, json.JSONDecodeError) as exc:
                    level.errors.append(f"{type(exc).__name__}: {exc}")
                    level.unanswered += 1
                    continue
                level.latencies.append(time.perf_counter() - started)
                problem = answer_problem(body, status, answer)
                if problem:
                    level.errors.append(problem)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        level.elapsed = time.perf_counter() - started
    return level


def start_server(extra: list[str]) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "cslint", "serve", "--port", "0", *extra],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert process.stderr is not None
    for line in process.stderr:
        if "listening on " in line:
            return process, line.split("listening on ", 1)[1].split()[0]
    process.wait()
    raise SystemExit("error: the server did not start")


async def main_async(args: argparse.Namespace) -> int:
    bodies = agent_turns(Path(args.corpus), args.with_context)
    levels = [int(c) for c in args.concurrency.split(",")]
    needed = args.warmup + args.requests * len(levels)
    if len(bodies) < needed:
        print(f"note: {len(bodies)} distinct agent turns for {needed} requests; some drafts repeat", file=sys.stderr)
        bodies = (bodies * (needed // max(len(bodies), 1) + 1))[:needed]
    process = None
    url = args.url
    if url is None:
        process, url = start_server(args.server_args.split() if args.server_args else [])
    try:
        await run_level(url, bodies[: args.warmup], 1)
        offset = args.warmup
        print(f"cslint serve at {url}: {args.requests} requests per level, distinct real agent replies")
        print(f"  {'concurrency':>11} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>8} {'errors':>7} {'lost':>5}")
        misses = 0
        for concurrency in levels:
            chunk = bodies[offset : offset + args.requests]
            offset += args.requests
            level = await run_level(url, chunk, concurrency)
            # Every request sent is answered or fails visibly; any other outcome is a lost one.
            lost = len(chunk) - len(level.latencies) - level.unanswered
            throughput = len(level.latencies) / level.elapsed if level.elapsed else 0.0
            print(
                f"  {concurrency:>11} {level.percentile(50):>8.1f} {level.percentile(95):>8.1f}"
                f" {level.percentile(99):>8.1f} {throughput:>8.1f} {len(level.errors):>7} {lost:>5}"
            )
            for error in level.errors[:3]:
                print(f"      error: {error}")
            misses += bool(level.errors) or lost > 0
            if concurrency == 1 and level.percentile(95) > P95_TARGET_MS:
                print(f"      MISS: p95 over the {P95_TARGET_MS:g} ms target at concurrency 1")
                misses += 1
        print("targets: p95 <= 20 ms at concurrency 1; no error or lost response:", "MISS" if misses else "PASS")
        return 1 if misses else 0
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", help="JSONL/JSON conversations with turns of speaker and text")
    parser.add_argument("--requests", type=int, default=500, help="requests per concurrency level (default 500)")
    parser.add_argument("--concurrency", default="1,8", help="comma-separated levels (default 1,8)")
    parser.add_argument("--warmup", type=int, default=20, help="requests sent first and not measured (default 20)")
    parser.add_argument("--with-context", action="store_true", help="send the customer's turn before each draft")
    parser.add_argument("--url", help="a running server (default: start one on a free loopback port)")
    parser.add_argument("--server-args", default="", help="extra 'cslint serve' options for the server started")
    args = parser.parse_args()
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
