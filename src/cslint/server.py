"""``cslint serve``: a local HTTP server that checks drafts with a warm pipeline.

Endpoints (JSON in, JSON out)::

    POST /v1/check  {"draft": "...", "context"?, "customer"?, "channel"?, "filename"?,
                     "select"?: [...], "ignore"?: [...]}  -> the --format json document
    POST /v1/fix    same body -> {"fixed": "...", "fixes": [...], "findings": [...]}
    GET  /v1/rules  -> {"rules": [...]}
    GET  /healthz   -> {"status": "ok", ...}

Every bad request gets a 4xx with ``{"error": "one line"}``; the server never stops for one.
Linting runs on one worker thread (see ``cslint.warm``), off the event loop, so the server keeps
answering health checks and refusing bad requests while a draft is linted; a request that
waits or runs longer than the time limit gets a 503.
"""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from aiohttp import web

import cslint
from cslint.draft import is_channel_name
from cslint.errors import CslintError
from cslint.textsafety import one_line
from cslint.warm import Draft, RequestError, TextLint, WarmLinter, fix_plan

#: Request bodies larger than this are refused (413): a reply is a few kilobytes.
DEFAULT_MAX_BODY = 1024 * 1024
#: Seconds a request may wait and run before it is answered with a 503.
DEFAULT_TIMEOUT = 10.0
#: Requests queued or running at once; more are refused with a 503 at once.
DEFAULT_MAX_PENDING = 64

#: The fields of a check or fix request, and the JSON type each must have.
STRING_FIELDS = ("draft", "context", "customer", "channel", "filename")
LIST_FIELDS = ("select", "ignore")


@dataclass(frozen=True)
class Limits:
    max_body: int = DEFAULT_MAX_BODY
    timeout: float = DEFAULT_TIMEOUT
    max_pending: int = DEFAULT_MAX_PENDING


class BadRequest(Exception):
    """A request the server refuses, with the HTTP status and a one-line reason."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def error_response(status: int, reason: str) -> web.Response:
    return web.json_response({"error": one_line(reason)}, status=status)


def parse_draft(body: Any) -> Draft:
    """A check/fix request body as a ``Draft``; BadRequest (400) naming the field otherwise."""
    if not isinstance(body, dict):
        raise BadRequest(400, "the request body must be a JSON object")
    unknown = sorted(set(body) - set(STRING_FIELDS) - set(LIST_FIELDS))
    if unknown:
        raise BadRequest(400, f"unknown field {unknown[0]!r} (expected: {', '.join(STRING_FIELDS + LIST_FIELDS)})")
    if "draft" not in body:
        raise BadRequest(400, "missing field 'draft' (the reply to check)")
    for key in STRING_FIELDS:
        if body.get(key) is not None and not isinstance(body[key], str):
            raise BadRequest(400, f"field {key!r} must be a string, not {type(body[key]).__name__}")
    for key in LIST_FIELDS:
        value = body.get(key)
        if value is not None and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise BadRequest(400, f"field {key!r} must be a list of rule ids or categories")
    if not body["draft"].strip():
        raise BadRequest(400, "field 'draft' is empty")
    channel = body.get("channel")
    if channel is not None and not is_channel_name(channel):
        raise BadRequest(400, f"field 'channel': {channel!r} is not a channel name such as draft, chat, email")
    return Draft(
        text=body["draft"],
        filename=body.get("filename") or None,
        context=body.get("context"),
        customer=body.get("customer"),
        channel=channel,
        select=tuple(body.get("select") or ()),
        ignore=tuple(body.get("ignore") or ()),
    )


def check_document(outcome: TextLint) -> dict[str, Any]:
    """The ``--format json`` document (DESIGN.md contract) for one linted draft."""
    from cslint.reporters.jsonout import result_document
    from cslint.results import CheckResults
    from cslint.scorecard import ScoreBook

    min_severity = outcome.group.settings.min_severity
    result = CheckResults(files=1, errors=list(outcome.errors), scores=ScoreBook(outcome.group.settings.scorecard))
    for item in outcome.linted:
        shown = [f for f in item.findings if f.severity >= min_severity]
        result.conversations += 1
        result.turns += len(item.conversation.turns)
        result.conversations_with_findings += bool(shown)
        result.add(shown)
        result.scores.add(item.conversation, shown)
        result.suppressed.extend(s for s in item.suppressed if s.finding.severity >= min_severity)
    return result_document(result)


def fix_document(outcome: TextLint) -> dict[str, Any]:
    plan = fix_plan(outcome)
    document = check_document(outcome)
    return {
        "fixed": plan.after,
        "fixes": [
            {"rule": e.rule, "line": e.line, "start": e.start, "end": e.end, "replacement": e.replacement}
            for e in sorted(plan.edits, key=lambda e: e.start)
        ],
        "findings": document["findings"],
        "errors": document["errors"] + [{"path": plan.path, "message": p} for p in plan.problems],
    }


def rule_document(rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "title": rule.title,
        "category": rule.category,
        "severity": rule.severity.label,
        "enabled": rule.enabled,
        "message": rule.message,
        "what": rule.what,
        "why": rule.why,
        "fix": rule.fix,
        "better": [{"instead_of": b["instead_of"], "say": b["say"]} for b in rule.all_better()],
        "links": list(rule.links),
    }


class DraftService:
    """The request handlers, around one warm linter run on one worker thread."""

    def __init__(self, warm: WarmLinter, limits: Limits) -> None:
        self.warm = warm
        self.limits = limits
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cslint-lint")
        self.pending = 0

    async def _run(self, work: Callable[[], Any]) -> Any:
        if self.pending >= self.limits.max_pending:
            raise BadRequest(503, f"busy: {self.pending} requests in progress; retry shortly")
        self.pending += 1
        try:
            future = asyncio.get_running_loop().run_in_executor(self.executor, work)
            try:
                return await asyncio.wait_for(asyncio.shield(future), self.limits.timeout)
            except asyncio.TimeoutError:
                raise BadRequest(503, f"timed out after {self.limits.timeout:g}s") from None
        except RequestError as exc:
            raise BadRequest(400, str(exc)) from None
        except CslintError as exc:
            raise BadRequest(422, str(exc)) from None
        finally:
            self.pending -= 1

    async def _draft(self, request: web.Request) -> Draft:
        try:
            raw = await request.read()
        except web.HTTPRequestEntityTooLarge:
            raise BadRequest(413, f"request body over the {self.limits.max_body:,}-byte limit") from None
        try:
            body = json.loads(raw)
        except UnicodeDecodeError:
            raise BadRequest(400, "the request body is not UTF-8") from None
        except json.JSONDecodeError as exc:
            raise BadRequest(400, f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
        except RecursionError:
            raise BadRequest(400, "invalid JSON: nested too deeply") from None
        return parse_draft(body)

    async def check(self, request: web.Request) -> web.Response:
        draft = await self._draft(request)
        document = await self._run(lambda: check_document(self.warm.lint(draft)))
        return web.json_response(document, dumps=_dumps)

    async def fix(self, request: web.Request) -> web.Response:
        draft = await self._draft(request)
        document = await self._run(lambda: fix_document(self.warm.lint(draft)))
        return web.json_response(document, dumps=_dumps)

    async def rules(self, request: web.Request) -> web.Response:
        rules = await self._run(self.warm.rules)
        listed = [rule_document(r) for r in sorted(rules.values(), key=lambda r: r.id)]
        return web.json_response({"rules": listed}, dumps=_dumps)

    async def health(self, request: web.Request) -> web.Response:
        return web.json_response(
            {"status": "ok", "version": cslint.__version__, "pending": self.pending, "problems": self.warm.problems}
        )


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _middleware(allowed_origins: tuple[str, ...]):
    """Every error as JSON with a one-line reason; CORS for the origins allowed."""

    @web.middleware
    async def handle(request: web.Request, handler) -> web.StreamResponse:
        origin = request.headers.get("Origin")
        allowed = origin is not None and ("*" in allowed_origins or origin in allowed_origins)
        if request.method == "OPTIONS" and allowed:
            response: web.StreamResponse = web.Response(status=204)
        else:
            try:
                response = await handler(request)
            except BadRequest as exc:
                response = error_response(exc.status, exc.reason)
            except web.HTTPException as exc:  # 404, 405, ... from the router
                response = error_response(exc.status, exc.reason)
            except Exception as exc:  # noqa: BLE001 - a bug must cost one request, not the server
                reason = f"internal error: {type(exc).__name__}: {exc} (please report it)"
                announce(one_line(f"cslint serve: {request.method} {request.path}: {reason}"))
                response = error_response(500, reason)
        if allowed:
            response.headers["Access-Control-Allow-Origin"] = origin or "*"
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "Content-Type"
            response.headers["Access-Control-Max-Age"] = "600"
            response.headers["Vary"] = "Origin"
        return response

    return handle


def build_app(service: DraftService, allowed_origins: tuple[str, ...] = ()) -> web.Application:
    app = web.Application(client_max_size=service.limits.max_body, middlewares=[_middleware(allowed_origins)])
    app.router.add_post("/v1/check", service.check)
    app.router.add_post("/v1/fix", service.fix)
    app.router.add_get("/v1/rules", service.rules)
    app.router.add_get("/healthz", service.health)
    return app


@dataclass(frozen=True)
class Listen:
    """Where to listen: an address, or a socket already bound (shared by worker processes)."""

    host: str = "127.0.0.1"
    port: int = 0
    sock: socket.socket | None = None


async def serve(
    warm: WarmLinter,
    listen: Listen,
    limits: Limits,
    allowed_origins: tuple[str, ...],
    ready: Callable[[str], None],
    announce: Callable[[str], None],
) -> None:
    """Warm up, listen, call ``ready`` with the URL, and serve until SIGTERM or SIGINT; then
    finish the requests in progress and stop."""
    service = DraftService(warm, limits)
    # Build the pipeline and lint once before listening: the first request is then as fast
    # as any other.
    await asyncio.get_running_loop().run_in_executor(service.executor, lambda: warm.lint(Draft("Warming up.")))
    runner = web.AppRunner(build_app(service, allowed_origins), handle_signals=False, access_log=None)
    await runner.setup()
    site: web.BaseSite
    if listen.sock is not None:
        site = web.SockSite(runner, listen.sock, shutdown_timeout=limits.timeout)
    else:
        site = web.TCPSite(runner, listen.host, listen.port, shutdown_timeout=limits.timeout)
    await site.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    ready(url_of(runner.addresses[0]))
    try:
        await stop.wait()
    finally:
        announce("cslint serve: stopping")
        await runner.cleanup()
        service.executor.shutdown(wait=True, cancel_futures=True)


def url_of(address: tuple) -> str:
    host, port = address[0], address[1]
    return f"http://{f'[{host}]' if ':' in host else host}:{port}"


def announce(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def listening(url: str, workers: int = 1) -> str:
    processes = f" with {workers} worker processes" if workers > 1 else ""
    return f"cslint serve: listening on {url}{processes} (Ctrl-C or SIGTERM to stop)"


def run_server(
    warm: WarmLinter, host: str, port: int, limits: Limits, allowed_origins: tuple[str, ...], workers: int = 1
) -> int:
    """Serve in this process, or in ``workers`` processes sharing one socket."""
    if workers > 1:
        from cslint.serverpool import run_pool

        return run_pool(warm, Listen(host, port), limits, allowed_origins, workers)
    try:
        asyncio.run(
            serve(warm, Listen(host, port), limits, allowed_origins, lambda url: announce(listening(url)), announce)
        )
    except OSError as exc:
        announce(f"error: cannot listen on {host}:{port}: {exc.strerror or exc}")
        return 2
    except CslintError as exc:
        announce(f"error: {exc}")
        return 2
    return 0


__all__ = ["BadRequest", "DraftService", "Limits", "Listen", "build_app", "parse_draft", "run_server", "serve"]
