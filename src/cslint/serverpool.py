"""``cslint serve --workers N``: N server processes accepting on one listening socket.

Linting is CPU-bound Python: one process lints one draft at a time, whatever its threads. To
use several cores, the parent binds the socket, forks the workers (each builds its own warm
pipeline and accepts connections on the shared socket, the kernel handing each connection to
one of them), announces the address once every worker is warm, and on SIGTERM or SIGINT stops
them all, each finishing the requests it holds. A worker that dies is replaced.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import socket
import time
from multiprocessing.queues import SimpleQueue
from typing import Any

from cslint.errors import CslintError
from cslint.server import Limits, Listen, announce, listening, serve, url_of
from cslint.warm import WarmLinter

#: Seconds to wait for the workers to build their pipelines.
STARTUP_SECONDS = 120.0
#: Seconds a worker gets to finish its requests after SIGTERM before it is killed.
STOP_GRACE_SECONDS = 30.0


def _worker(
    warm: WarmLinter, sock: socket.socket, limits: Limits, origins: tuple[str, ...], ready: SimpleQueue
) -> None:
    # The parent's handlers are not ours: until serving, a signal simply ends the worker
    # (nothing is in progress); once serving, ``serve`` stops on it, finishing what it holds.
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, signal.SIG_DFL)
    try:
        asyncio.run(serve(warm, Listen(sock=sock), limits, origins, lambda url: ready.put(("ready", url)), _quiet))
    except (CslintError, OSError) as exc:
        ready.put(("error", str(exc)))
        os._exit(2)


def _quiet(_line: str) -> None:
    """Workers say nothing: the parent speaks for the pool."""


class Pool:
    def __init__(self, warm: WarmLinter, sock: socket.socket, limits: Limits, origins: tuple[str, ...]) -> None:
        self.context = multiprocessing.get_context("fork")
        self.ready: SimpleQueue = self.context.SimpleQueue()
        self.args: tuple[Any, ...] = (warm, sock, limits, origins, self.ready)
        self.workers: list[Any] = []

    def start_one(self) -> Any:
        process = self.context.Process(target=_worker, args=self.args, name="cslint-serve-worker")
        process.start()
        return process

    def wait_ready(self, count: int) -> str | None:
        """None once ``count`` workers are warm, else the first error."""
        deadline = time.monotonic() + STARTUP_SECONDS
        warm = 0
        while warm < count:
            if time.monotonic() > deadline:
                return f"workers not ready after {STARTUP_SECONDS:g}s"
            if self.ready.empty():
                if any(not w.is_alive() for w in self.workers) and self.ready.empty():
                    return "a worker stopped while starting"
                time.sleep(0.05)
                continue
            kind, detail = self.ready.get()
            if kind == "error":
                return detail
            warm += 1
        return None

    def stop(self) -> None:
        for worker in self.workers:
            if worker.is_alive():
                os.kill(worker.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for worker in self.workers:
            worker.join(max(0.0, deadline - time.monotonic()))
            if worker.is_alive():
                worker.kill()
                worker.join()


def run_pool(warm: WarmLinter, listen: Listen, limits: Limits, origins: tuple[str, ...], workers: int) -> int:
    try:
        sock = socket.create_server((listen.host, listen.port))
    except OSError as exc:
        announce(f"error: cannot listen on {listen.host}:{listen.port}: {exc.strerror or exc}")
        return 2
    stopping: list[int] = []
    previous = {
        s: signal.signal(s, lambda signum, _frame: stopping.append(signum)) for s in (signal.SIGTERM, signal.SIGINT)
    }
    pool = Pool(warm, sock, limits, origins)
    try:
        pool.workers = [pool.start_one() for _ in range(workers)]
        problem = pool.wait_ready(workers)
        if problem is not None:
            announce(f"error: {problem}")
            return 2
        announce(listening(url_of(sock.getsockname()), workers))
        while not stopping:
            for i, worker in enumerate(pool.workers):
                worker.join(0.2)
                if not worker.is_alive() and not stopping:
                    announce(f"cslint serve: worker {worker.pid} stopped (exit {worker.exitcode}); starting another")
                    pool.workers[i] = pool.start_one()
        announce("cslint serve: stopping")
        return 0
    finally:
        pool.stop()
        sock.close()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
