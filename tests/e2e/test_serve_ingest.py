"""`perfbot serve ingest` as operators run it: a real server process on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import httpx
import orjson
from click.testing import CliRunner

from bot.cli import main
from connectors.push import sign
from tests.conftest import wall_time
from tests.fakes.ports import free_port

SECRET = "push-secret-1234"


def test_the_server_takes_signed_pushes_and_refuses_forged_ones(demo_url: str) -> None:
    port = free_port()
    env = {**os.environ, "PERFBOT_INGEST_SECRET_HELPDESK_PUSH": SECRET}
    command = [sys.executable, "-m", "bot", "serve", "ingest", "--port", str(port)]
    proc = subprocess.Popen([*command, "--db", demo_url], env=env, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/healthz").text == "ok":
                    break
            except httpx.TransportError:
                assert time.monotonic() < deadline and proc.poll() is None, "server did not start"
                time.sleep(0.1)
        body = orjson.dumps(
            [
                {
                    "id": "CSAT-9001",
                    "employee": "aaron.teo@acme.example",
                    "metric": "csat_good",
                    "value": 1,
                    "date": "2026-11-19",
                }
            ]
        )
        stamp = str(int(wall_time()))
        headers = {
            "Content-Type": "application/json",
            "X-Perfbot-Timestamp": stamp,
            "X-Perfbot-Signature": sign(SECRET.encode(), stamp, body),
        }
        ok = httpx.post(f"{base}/ingest/helpdesk-push", content=body, headers=headers)
        assert ok.status_code == 200 and ok.json()["new"] == 1
        forged = {**headers, "X-Perfbot-Signature": sign(b"guess", stamp, body)}
        refused = httpx.post(f"{base}/ingest/helpdesk-push", content=body, headers=forged)
        assert refused.status_code == 401
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
    assert b"ingest on http://127.0.0.1" in (proc.stderr.read() if proc.stderr else b"")


def test_without_any_secret_the_server_does_not_start(demo_url: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PERFBOT_INGEST_SECRET_")}
    result = CliRunner().invoke(main, ["serve", "ingest", "--db", demo_url], env=env)
    assert result.exit_code == 1
    assert "set PERFBOT_INGEST_SECRET_<SOURCE>" in result.output
