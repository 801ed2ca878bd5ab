"""`perfbot serve slack` as an operator runs it: fails fast on bad credentials, serves,
delivers queued notices by itself, stops cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from urllib.parse import urlencode

import httpx
import pytest
from click.testing import CliRunner
from sqlalchemy import select

from bot.cli import main
from handlers.cards import Card
from handlers.identity import ChatAccount, link_identity
from handlers.notify import notify
from store.models import Employee
from tests.conftest import wall_time
from tests.e2e.slack.conftest import ANA, FORM, SECRET, serving, sign
from tests.e2e.slack.fake_slack import TOKEN
from tests.fakes.ports import free_port
from tests.fakes.scrape import scrape, value


def env(**extra: str) -> dict[str, str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "PERFBOT_")) or k == "PERFBOT_NOW"
    }
    return {**base, **extra}


def serve(db: str, **variables: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        main, ["serve", "slack", "--port", "0", "--db", db], env=env(**variables)
    )
    return result.exit_code, result.output


def test_missing_credentials_say_which(runtime, db_url, monkeypatch):
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_URL", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    code, out = serve(db_url)
    assert code == 1 and "SLACK_BOT_TOKEN is not set" in out
    code, out = serve(db_url, SLACK_BOT_TOKEN=TOKEN)
    assert code == 1 and "SLACK_SIGNING_SECRET is not set" in out
    code, out = serve(db_url, SLACK_BOT_TOKEN="nonsense", SLACK_SIGNING_SECRET="s")
    assert code == 1 and "SLACK_BOT_TOKEN should start with 'xox'" in out
    result = CliRunner().invoke(
        main,
        ["serve", "slack", "--socket", "--db", db_url],
        env=env(SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET="s"),
    )
    assert result.exit_code == 1 and "SLACK_APP_TOKEN is not set" in result.output


def test_a_rejected_token_or_an_unreachable_api_stops_start_up(runtime, db_url, fake):
    code, out = serve(
        db_url, SLACK_BOT_TOKEN="xoxb-wrong", SLACK_SIGNING_SECRET="s", SLACK_API_URL=fake.api_url
    )
    assert code == 1 and "Slack rejected SLACK_BOT_TOKEN (auth.test: invalid_auth)" in out
    assert "Slack app on" not in out, "no address announced for a server that never starts"
    nowhere = f"http://127.0.0.1:{free_port()}/api/"
    code, out = serve(
        db_url, SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET="s", SLACK_API_URL=nowhere
    )
    assert code == 1 and "cannot reach the Slack API" in out and "Slack app on" not in out


def _serving(db_url: str, fake, workers: int) -> tuple[subprocess.Popen[bytes], str]:  # type: ignore[no-untyped-def]
    """`perfbot serve slack --workers N` started, and its URL once /healthz answers."""
    port = free_port()
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "bot", "serve", "slack", "--host", "127.0.0.1"),
            *("--port", str(port), "--db", db_url, "--no-outbox", "--workers", str(workers)),
        ],
        env=env(SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=fake.api_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            health = httpx.get(url + "/healthz", timeout=2)
            break
        except httpx.TransportError:
            assert proc.poll() is None and time.monotonic() < deadline, proc.stdout.read()  # type: ignore[union-attr]
            time.sleep(0.1)
    assert health.json() == {"ok": True, "db": True}
    return proc, url


def _help(url: str, user: str = "UX") -> httpx.Response:
    body = urlencode({"command": "/help", "text": "", "user_id": user, "team_id": "T1"})
    return httpx.post(
        url + "/slack/events",
        content=body.encode(),
        headers={"Content-Type": FORM, **sign(body.encode(), ts=int(wall_time()))},
        timeout=10,
    )


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_the_real_command_serves_and_stops_on_sigterm(runtime, db_url, fake, workers):
    proc, url = _serving(db_url, fake, workers)
    try:
        resp = _help(url)
        assert resp.status_code == 200 and resp.json()["response_type"] == "ephemeral"
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
    said = proc.stdout.read().decode()  # type: ignore[union-attr]
    assert f"perfbot: Slack app on {url}/slack/events" in said


@pytest.mark.slow
def test_workers_add_up_their_counters_on_every_scrape(demo, fake):
    proc, url = _serving(demo.settings.database_url, fake, workers=3)
    try:
        for _ in range(12):  # new connections: the workers take them as they come
            assert _help(url, ANA).status_code == 200
        # Whichever worker answers a scrape, it counts all twelve.
        for _ in range(6):
            samples = scrape(url + "/metrics")
            helps = sum(
                v
                for (name, labels), v in samples.items()
                if name == "perfbot_commands_total" and ("command", "help") in labels
            )
            assert helps == 12
            assert value(samples, "perfbot_command_seconds_count", platform="slack") == 12
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0


def test_serve_delivers_queued_notices_by_itself(demo, fake):
    with demo.uow() as uow:
        ana = uow.session.scalar(select(Employee).where(Employee.email == "ana.li@acme.example"))
        link_identity(uow, ChatAccount("slack", ANA), ana.id)
        notify(
            uow,
            kind="t",
            dedupe_key="serve-test",
            card=Card(title="Hello Ana"),
            recipient_id=ana.id,
        )
        uow.commit()
    with serving(demo, fake, outbox=True):
        deadline = time.monotonic() + 60
        while not any(p["text"] == "Hello Ana" for p in fake.of("chat.postMessage")):
            assert time.monotonic() < deadline, "the notice was not delivered"
            time.sleep(0.05)
    posted = [p for p in fake.of("chat.postMessage") if p["text"] == "Hello Ana"]
    assert len(posted) == 1 and posted[0]["channel"] == "D" + ANA
