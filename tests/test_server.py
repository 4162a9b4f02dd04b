"""``cslint serve``, started for real on a free loopback port and called with a real HTTP
client (the standard library's)."""

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("aiohttp")

STARTUP_SECONDS = 60


class Server:
    def __init__(self, folder: Path, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cslint", "serve", "--port", "0", *args],
            cwd=folder,
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
        )
        self.port = self._wait_for_port()

    def _wait_for_port(self) -> int:
        deadline = time.monotonic() + STARTUP_SECONDS
        assert self.process.stderr is not None
        while time.monotonic() < deadline:
            line = self.process.stderr.readline()
            if not line:
                break
            if "listening on http://" in line:
                return int(line.split("listening on http://", 1)[1].split()[0].rsplit(":", 1)[1])
        self.stop()
        raise AssertionError("the server did not start")

    def request(self, method: str, path: str, body: bytes | str | dict | None = None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        if isinstance(body, dict):
            body = json.dumps(body)
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        connection.close()
        return response.status, json.loads(data) if data else None, response.headers

    def post(self, path: str, body):
        return self.request("POST", path, body)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=20)
        finally:
            if self.process.stderr:
                self.process.stderr.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve")
    running = Server(folder, "--timeout", "5", "--allow-origin", "http://sidebar.example")
    yield running
    running.stop()


def rules_of(document) -> list[str]:
    return [f["rule"] for f in document["findings"]]


def test_health_and_rules(server):
    status, body, _ = server.request("GET", "/healthz")
    assert status == 200 and body["status"] == "ok"
    status, body, _ = server.request("GET", "/v1/rules")
    assert status == 200
    ids = {r["id"] for r in body["rules"]}
    assert {"template-leak", "asks-again"} <= ids
    leak = next(r for r in body["rules"] if r["id"] == "template-leak")
    assert leak["why"] and leak["fix"]


def test_check_returns_the_json_contract(server, run_cli):
    draft = "Hi [Customer Name], your refund of {{amount}} was issued today.\n"
    status, body, _ = server.post("/v1/check", {"draft": draft})
    assert status == 200
    cli = json.loads(run_cli("check", "-", "--format", "json", input=draft).stdout)
    assert body == cli


def test_check_with_context(server):
    draft = "Sorry to hear that. Could you send me your order number please?"
    _, without, _ = server.post("/v1/check", {"draft": draft})
    assert "asks-again" not in rules_of(without)
    _, with_customer, _ = server.post("/v1/check", {"draft": draft, "customer": "Order #48213 hasn't arrived."})
    assert "asks-again" in rules_of(with_customer)
    transcript = "Customer: This is ridiculous, my parcel is late AGAIN!!!\n"
    _, body, _ = server.post("/v1/check", {"draft": "Please send us your tracking number.", "context": transcript})
    assert "unacknowledged-frustration" in rules_of(body)
    _, body, _ = server.post("/v1/check", {"draft": "Noted, sent.", "channel": "canned", "select": ["template-leak"]})
    assert rules_of(body) == []


def test_fix(server):
    status, body, _ = server.post(
        "/v1/fix", {"draft": "Hi Sam, sorry for any confusion, please do not hesitate to ask."}
    )
    assert status == 200
    # "any confusion" -> "the confusion" would assert something was confusing: advice only.
    assert body["fixed"] == "Hi Sam, sorry for any confusion, feel free to ask."
    assert [f["rule"] for f in body["fixes"]] == ["robotism"]


@pytest.mark.parametrize(
    "body, status, reason",
    [
        (b"{not json", 400, "invalid JSON"),
        (b"\xff\xfe\x00", 400, "not UTF-8"),
        (b"[1, 2]", 400, "must be a JSON object"),
        ({"text": "hi"}, 400, "unknown field 'text'"),
        ({"customer": "hi"}, 400, "missing field 'draft'"),
        ({"draft": 42}, 400, "'draft' must be a string"),
        ({"draft": "   "}, 400, "'draft' is empty"),
        ({"draft": "hi", "select": "template-leak"}, 400, "'select' must be a list"),
        ({"draft": "hi", "select": ["templat-leak"]}, 400, "did you mean 'template-leak'"),
        ({"draft": "hi", "ignore": ["nonsense"]}, 400, "no rule or category named 'nonsense'"),
        ({"draft": "hi", "channel": "Draft!"}, 400, "not a channel name"),
        ({"draft": "hi", "context": "   "}, 422, "context"),
        (b"[" * 100_000 + b"]" * 100_000, 400, "invalid JSON"),
        (b'{"draft": "' + b"a" * (2 * 1024 * 1024) + b'"}', 413, "over the"),
    ],
)
def test_bad_requests_get_a_4xx_with_one_line(server, body, status, reason):
    got, answer, _ = server.post("/v1/check", body)
    assert got == status, answer
    assert reason in answer["error"] and "\n" not in answer["error"]
    assert server.request("GET", "/healthz")[0] == 200  # still serving


def test_unknown_routes_and_methods(server):
    assert server.request("GET", "/v1/nothing")[:2] == (404, {"error": "Not Found"})
    assert server.request("GET", "/v1/check")[0] == 405


def test_cors_for_allowed_origins_only(server):
    status, _, headers = server.request("OPTIONS", "/v1/check", headers={"Origin": "http://sidebar.example"})
    assert status == 204 and headers["Access-Control-Allow-Origin"] == "http://sidebar.example"
    _, _, headers = server.request(
        "POST", "/v1/check", json.dumps({"draft": "Thanks!"}), {"Origin": "http://elsewhere.example"}
    )
    assert "Access-Control-Allow-Origin" not in headers


def test_concurrent_requests_each_get_their_own_answer(server):
    drafts = {i: f"Hi {{{{name_{i}}}}}, ticket {i} is fixed." for i in range(24)}
    answers: dict[int, object] = {}

    def ask(i: int) -> None:
        answers[i] = server.post("/v1/check", {"draft": drafts[i]})

    threads = [threading.Thread(target=ask, args=(i,)) for i in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(answers) == sorted(drafts)
    for i, (status, body, _) in answers.items():
        assert status == 200
        assert [f["text"] for f in body["findings"] if f["rule"] == "template-leak"] == [f"{{{{name_{i}}}}}"]


def test_time_limit_answers_503_and_keeps_serving(tmp_path):
    slow = Server(tmp_path, "--timeout", "0.1", "--max-body", str(8 * 1024 * 1024))
    try:
        long_draft = "Sorry for any inconvenience, we will look into it soon. " * 20_000
        status, body, _ = slow.post("/v1/check", {"draft": long_draft})
        assert status == 503 and "timed out" in body["error"]
        assert slow.request("GET", "/healthz")[0] == 200
    finally:
        assert slow.stop() == 0


def test_config_is_reloaded_when_it_changes_and_sigterm_stops_cleanly(tmp_path):
    config = tmp_path / ".cslint.yaml"
    config.write_text("ignore: [template-leak]\n", encoding="utf-8")
    reloading = Server(tmp_path)
    draft = {"draft": "Hi [Customer Name], done."}
    try:
        assert "template-leak" not in rules_of(reloading.post("/v1/check", draft)[1])
        config.write_text("ignore: [robotism]\n", encoding="utf-8")
        os.utime(config, (time.time() + 5, time.time() + 5))  # a new stamp even on a coarse clock
        deadline = time.monotonic() + 10
        while "template-leak" not in rules_of(reloading.post("/v1/check", draft)[1]):
            assert time.monotonic() < deadline, "the changed config was not picked up"
            time.sleep(0.3)
        config.write_text("ignore: [\n", encoding="utf-8")  # broken: the last good one stays
        os.utime(config, (time.time() + 10, time.time() + 10))
        time.sleep(1.2)
        status, body, _ = reloading.post("/v1/check", draft)
        assert status == 200 and "template-leak" in rules_of(body)
        assert any(".cslint.yaml" in e["path"] and "still using" in e["message"] for e in body["errors"])
    finally:
        assert reloading.stop() == 0


def test_worker_processes_share_the_port_replace_a_dead_one_and_stop_together(tmp_path):
    pool = Server(tmp_path, "--workers", "2")
    try:
        children = Path(f"/proc/{pool.process.pid}/task/{pool.process.pid}/children")
        workers = [int(p) for p in children.read_text().split()]
        assert len(workers) == 2
        answers = {}

        def ask(i: int) -> None:
            answers[i] = pool.post("/v1/check", {"draft": f"Hi {{{{name_{i}}}}}, all done."})

        threads = [threading.Thread(target=ask, args=(i,)) for i in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert sorted(answers) == list(range(16))
        for i, (status, body, _) in answers.items():
            leaks = [f["text"] for f in body["findings"] if f["rule"] == "template-leak"]
            assert status == 200 and leaks == [f"{{{{name_{i}}}}}"]

        os.kill(workers[0], signal.SIGKILL)
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            now = [int(p) for p in children.read_text().split()]
            if len(now) == 2 and workers[0] not in now:
                break
            assert time.monotonic() < deadline, "the dead worker was not replaced"
            time.sleep(0.2)
        for _ in range(6):  # whichever worker takes it, it answers
            assert pool.request("GET", "/healthz")[0] == 200
    finally:
        assert pool.stop() == 0
    assert not Path(f"/proc/{workers[1]}").exists() or "zombie" in Path(f"/proc/{workers[1]}/status").read_text()


def test_a_bug_in_a_handler_is_a_500_with_one_line(capsys):
    import asyncio

    from aiohttp import web
    from aiohttp.test_utils import TestClient, TestServer

    from cslint.server import _middleware

    async def broken(request):
        raise KeyError("oops")

    async def scenario():
        app = web.Application(middlewares=[_middleware(())])
        app.router.add_get("/broken", broken)
        async with TestClient(TestServer(app)) as client:
            response = await client.get("/broken")
            return response.status, await response.json()

    status, body = asyncio.run(scenario())
    assert status == 500 and body["error"].startswith("internal error: KeyError")
    assert "Traceback" not in capsys.readouterr().err
