"""`perfbot serve slack` with PERFBOT_LOG_FORMAT=json, as an operator runs it: every line it
writes is a JSON object; a request's lines carry its id (the caller's X-Request-Id, echoed
back) and the platform; no token, secret or text someone typed appears."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx

from tests.conftest import wall_time
from tests.e2e.slack.conftest import ANA, FORM, SECRET, sign
from tests.e2e.slack.fake_slack import TOKEN
from tests.e2e.slack.test_serve import env, free_port

PAYLOADS = Path(__file__).parents[2] / "adapters" / "payloads"
TYPED = "loved-the-QUARTZ-42-demo"  # free text a person typed: never in a log


def test_json_lines_with_request_ids_and_nothing_secret(runtime, db_url, fake):  # type: ignore[no-untyped-def]
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "slack", "--host", "127.0.0.1",
         "--port", str(port), "--db", db_url, "--no-outbox"],
        env=env(SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=fake.api_url,
                PERFBOT_LOG_FORMAT="json"),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(url + "/healthz", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.1)

        def post(body: bytes, kind: str, **headers: str) -> httpx.Response:
            signed = sign(body, ts=int(wall_time()))
            return httpx.post(
                url + "/slack/events",
                content=body,
                headers={"Content-Type": kind, **signed, **headers},
                timeout=10,
            )

        praise = urlencode(
            {"command": "/perf", "text": f"praise <@{ANA}> {TYPED}", "user_id": ANA,
             "team_id": "T1", "response_url": fake.api_url + "respond"}
        ).encode()  # fmt: skip
        assert post(praise, FORM).status_code == 200
        event = json.loads((PAYLOADS / "slack_app_home_opened.json").read_text())["event"]
        hello = json.dumps(
            {"type": "event_callback", "event_id": "EvLOG1", "event": {**event, "user": ANA},
             "team_id": "T1", "api_app_id": "A1", "event_time": 1700000003}
        ).encode()  # fmt: skip
        first = post(hello, "application/json")
        again = post(hello, "application/json", **{"X-Slack-Retry-Num": "1",
                                                   "X-Request-Id": "req-retry-1"})  # fmt: skip
        assert first.status_code == again.status_code == 200
        assert len(first.headers["x-request-id"]) == 16, "a request without one is given one"
        assert again.headers["x-request-id"] == "req-retry-1"
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
    err = proc.stderr.read()  # type: ignore[union-attr]
    lines = [json.loads(line) for line in err.splitlines() if line.strip()]
    assert lines and all(
        {"time", "level", "logger", "message", "request_id", "job_id", "platform"} <= set(r)
        for r in lines
    )
    retried = [r for r in lines if "EvLOG1 already handled" in str(r["message"])]
    assert retried and retried[0]["request_id"] == "req-retry-1"
    assert retried[0]["platform"] == "slack"
    assert any("Slack app on" in str(r["message"]) for r in lines)
    for leak in (TOKEN, SECRET, TYPED):
        assert leak not in err
