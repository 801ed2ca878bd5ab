"""`perfbot serve slack --socket` end to end: the real serve_slack(socket_mode=True), connected
through a fake apps.connections.open to a fake Socket Mode WebSocket, both on loopback.

The payloads are the HTTP tests' own (SlackClient builds them), sent as Socket Mode
envelopes; the ack comes back as a response, so the assertions read the same as theirs.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Coroutine, Iterator
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from pydantic import SecretStr
from sqlalchemy import func, select, update

from bot.cli import main
from bot.config import SlackSettings
from bot.slack import parse
from bot.slack import strings as st
from bot.slack.server import serve_slack
from store.models import Goal, Outbox, ProcessedEvent
from tests.e2e.slack.conftest import ANA, CHEN, SlackClient, every_answer_slow, served_in_thread
from tests.e2e.slack.fake_slack import APP_TOKEN, TOKEN, FakeSlack
from tests.e2e.slack.fake_socket import FakeSocketMode
from tests.e2e.slack.helpers import button, deliver, posted_to, view_of
from tests.e2e.slack.test_home_and_events import all_text, home_event

SLACK_DEADLINE = 3.0  # seconds Slack waits for an envelope's ack


class SocketClient(SlackClient):
    """SlackClient whose requests go over the WebSocket: each body becomes an envelope."""

    def __init__(self, url: str, fake: FakeSlack, sm: FakeSocketMode) -> None:
        super().__init__(url, fake)
        self.sm = sm
        self.envelope_ids: list[str] = []

    def post(
        self, body: bytes, ctype: str, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        data = parse.decode(body, ctype)
        assert isinstance(data, dict), data
        if "command" in data:
            eid = self.sm.envelope("slash_commands", data, accepts_response_payload=True)
        elif data.get("type") == "event_callback":
            retry = (headers or {}).get("X-Slack-Retry-Num")
            eid = self.sm.envelope(
                "events_api",
                data,
                accepts_response_payload=False,
                retry_attempt=int(retry or 0),
                retry_reason="timeout" if retry else "",
            )
        else:  # block_actions, view_submission: only a submission's ack carries an answer
            accepts = data.get("type") == "view_submission"
            eid = self.sm.envelope("interactive", data, accepts_response_payload=accepts)
        self.envelope_ids.append(eid)
        ack = self.sm.wait_ack(eid)
        payload = ack.get("payload")
        return httpx.Response(200, json=payload) if payload else httpx.Response(200)


def settings_for(demo, fake: FakeSlack) -> None:  # type: ignore[no-untyped-def]
    demo.settings = demo.settings.model_copy(
        update={
            "slack": SlackSettings(
                bot_token=SecretStr(TOKEN),  # no signing secret: Socket Mode needs none
                app_token=SecretStr(APP_TOKEN),
                api_url=fake.api_url,
            )
        }
    )


@contextlib.contextmanager
def socket_serving(demo, fake: FakeSlack, sm: FakeSocketMode) -> Iterator[SocketClient]:  # type: ignore[no-untyped-def]
    """serve_slack(socket_mode=True) on the demo company in a thread, /healthz on a free
    port, connected."""
    settings_for(demo, fake)

    def serve(**kw: Any) -> Coroutine[Any, Any, None]:
        return serve_slack(demo, "127.0.0.1", 0, socket_mode=True, outbox=False, **kw)

    with served_in_thread(serve, backlog=64) as served:
        sm.wait_connected()
        client = SocketClient(f"http://127.0.0.1:{served.port}", fake, sm)
        client.app, client.loop = served.app, served.loop  # type: ignore[attr-defined]
        client.app.ack_budget = 30.0  # type: ignore[attr-defined]  # content, not speed (see conftest)
        try:
            yield client
        finally:
            client.http.close()


@pytest.fixture
def sm(fake: FakeSlack) -> Iterator[FakeSocketMode]:
    with FakeSocketMode() as sm:
        fake.socket_url = sm.url
        yield sm


@pytest.fixture
def slack(demo, fake: FakeSlack, sm: FakeSocketMode) -> Iterator[SocketClient]:  # type: ignore[no-untyped-def]
    with socket_serving(demo, fake, sm) as client:
        yield client


def test_connects_with_the_app_token_and_answers_a_command_in_the_ack(slack, fake, sm):
    (opened,) = fake.of("apps.connections.open")
    assert opened["_auth"] == f"Bearer {APP_TOKEN}"
    assert sm.paths[0].startswith("/link/?ticket=")
    a = slack.command(ANA, "score").json()
    b = slack.command(ANA, "", command="/score").json()
    assert a["blocks"] == b["blocks"] and a["text"].startswith("Score · Ana Li")
    assert a["response_type"] == "ephemeral"
    assert [f["envelope_id"] for f in sm.received] == slack.envelope_ids  # one ack each


def test_a_slow_command_is_acked_at_once_and_follows_on_the_response_url(slack, sm, monkeypatch):
    every_answer_slow(slack, monkeypatch)
    started = time.monotonic()
    resp = slack.command(ANA, "", command="/score")
    assert time.monotonic() - started < SLACK_DEADLINE
    assert resp.json() == {"response_type": "ephemeral", "text": st.WORKING}
    (later,) = slack.fake.wait_for("response")
    assert later["text"].startswith("Score · Ana Li") and later["response_type"] == "ephemeral"


def test_a_button_press_reaches_its_handler(slack, demo):
    card = slack.command(ANA, "", command="/goals").json()
    ack = button(card["blocks"], "gl:ack:")
    assert slack.press(ANA, ack, card["blocks"]).status_code == 200
    (update,) = slack.fake.wait_for("response")
    assert update["replace_original"] is True
    assert "Acknowledged 1 goal" in update["blocks"][-1]["elements"][0]["text"]
    with demo.uow() as uow:
        assert uow.session.get(Goal, int(ack["value"])).status == "acknowledged"


def test_a_modal_is_answered_in_the_submissions_ack(slack, demo):
    with demo.uow() as uow:  # the demo's own queued notices out of the way (as `flows` does)
        uow.session.execute(update(Outbox).values(status="sent"))
        uow.commit()
    for user in (ANA, CHEN):  # both have used the app: Chen's DM resolves
        slack.command(user, "", command="/help")
    opened = slack.command(ANA, "sales_amount two deals are missing", "/appeal")
    assert opened.json()["text"].startswith("Appeal #")
    deliver(demo, slack.fake)
    card = posted_to(slack.fake, "D" + CHEN, "Appeal #")
    reject = button(card["blocks"], "ap:rej:")
    slack.press(CHEN, reject, card["blocks"], ephemeral=False, channel="D" + CHEN, ts=card["ts"])
    modal = view_of(slack.fake.wait_for("views.open")[0])
    empty = slack.submit(CHEN, modal, {"reason": ""})
    assert empty.json() == {
        "response_action": "errors",
        "errors": {"reason": "Please fill this in."},
    }
    done = slack.submit(CHEN, modal, {"reason": "the two deals closed in December"})
    assert done.json()["response_action"] == "update"
    (updated,) = slack.fake.wait_for("chat.update")
    assert "Rejected" in updated["blocks"][-1]["elements"][0]["text"]


def test_app_home_opened_publishes_the_home_tab(slack):
    assert slack.event(home_event(ANA), "EvSOCKHOME").status_code == 200
    (call,) = slack.fake.wait_for("views.publish")
    assert call["user_id"] == ANA and "Score · Ana Li" in all_text(call["view"])


def test_a_redelivered_event_is_acked_every_time_and_acted_on_once(slack, demo, sm):
    slack.event(home_event(ANA), "EvSOCKAGAIN")
    for n in (1, 2):  # Slack redelivers an envelope it thinks was not acked
        slack.event(home_event(ANA), "EvSOCKAGAIN", retry=n)
    assert all(sm.acks(eid) for eid in slack.envelope_ids)
    slack.fake.wait_for("views.publish")
    slack.drain()
    assert len(slack.fake.of("views.publish")) == 1
    with demo.uow() as uow:
        n = uow.session.scalar(select(func.count()).where(ProcessedEvent.event_id == "EvSOCKAGAIN"))
    assert n == 1


MALFORMED: list[Any] = [
    "not json at all",
    "{broken",
    "[1, 2, 3]",
    {"type": "slash_commands", "envelope_id": "env-nopayload"},
    {"type": "slash_commands", "envelope_id": "env-list", "payload": [1, 2]},
    {"type": "slash_commands", "envelope_id": "env-nouser", "payload": {"command": "/score"}},
    {"type": "interactive", "envelope_id": "env-noactions", "payload": {"type": "block_actions"}},
    {"type": "events_api", "envelope_id": "env-noevent", "payload": {"type": "event_callback"}},
    {"type": "from_the_future", "envelope_id": "env-future", "payload": {"x": 1}},
]


def test_malformed_envelopes_are_left_unacked_and_the_connection_keeps_working(slack, sm):
    for frame in MALFORMED:
        sm.send(frame)
    resp = slack.command(ANA, "", command="/score")
    assert resp.json()["text"].startswith("Score · Ana Li")
    assert len(sm.paths) == 1  # the same connection, not a reconnection
    slack.drain()
    # Like HTTP's 400: no ack (nothing a listener could do with them), nothing acted on.
    assert [f["envelope_id"] for f in sm.received] == slack.envelope_ids
    assert not slack.fake.of("response") and not slack.fake.of("views.publish")


def test_a_refresh_request_reconnects_and_keeps_serving(slack, fake, sm):
    sm.send({"type": "disconnect", "reason": "refresh_requested", "debug_info": {"host": "x"}})
    sm.wait_connected(2)
    assert len(fake.of("apps.connections.open")) == 2
    assert slack.command(ANA, "", command="/score").json()["text"].startswith("Score · Ana Li")


def test_healthz_answers_on_the_http_port(slack):
    resp = slack.http.get("/healthz")
    assert resp.status_code == 200
    assert resp.json() == {"ok": True, "db": True, "socket": True}


def env(**extra: str) -> dict[str, str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "PERFBOT_")) or k == "PERFBOT_NOW"
    }
    return {**base, **extra}


def test_a_rejected_app_token_stops_start_up(runtime, db_url, fake):
    result = CliRunner().invoke(
        main,
        ["serve", "slack", "--socket", "--port", "0", "--db", db_url],
        env=env(
            SLACK_BOT_TOKEN=TOKEN,
            SLACK_APP_TOKEN="xapp-1-wrong",
            SLACK_API_URL=fake.api_url,
        ),
    )
    assert result.exit_code == 1
    assert "Slack rejected SLACK_APP_TOKEN (apps.connections.open: invalid_auth)" in result.output


def start(db: str, fake: FakeSlack) -> tuple[subprocess.Popen[bytes], str]:
    """`perfbot serve slack --socket` in its own process; (process, its HTTP URL).
    No signing secret: nothing arrives over HTTP in Socket Mode."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    args = ["--socket", "--host", "127.0.0.1", "--port", str(port), "--db", db, "--no-outbox"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "slack", *args],
        env=env(
            SLACK_BOT_TOKEN=TOKEN,
            SLACK_APP_TOKEN=APP_TOKEN,
            SLACK_API_URL=fake.api_url,
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    return proc, f"http://127.0.0.1:{port}"


def healthy(proc: subprocess.Popen[bytes], url: str) -> dict[str, Any]:
    """/healthz's answer, once the server is up."""
    deadline = time.monotonic() + 60
    while True:
        try:
            return dict(httpx.get(url + "/healthz", timeout=2).json())
        except httpx.TransportError:
            assert proc.poll() is None and time.monotonic() < deadline, proc.stdout.read()  # type: ignore[union-attr]
            time.sleep(0.05)


def stop(proc: subprocess.Popen[bytes]) -> str:
    """SIGTERM, then a clean exit (status 0); what it printed."""
    proc.send_signal(signal.SIGTERM)
    try:
        code = proc.wait(30)
    finally:
        proc.kill()  # a no-op once it has exited
    out = proc.stdout.read().decode()  # type: ignore[union-attr]
    assert code == 0, out
    return out


@pytest.mark.slow
def test_the_real_command_serves_over_the_socket_and_stops_on_sigterm(demo_url, fake, sm):
    proc, url = start(demo_url, fake)
    try:
        sm.wait_connected(timeout=60)
        assert healthy(proc, url) == {"ok": True, "db": True, "socket": True}
        resp = SocketClient(url, fake, sm).command(ANA, "", command="/score")
        assert resp.json()["text"].startswith("Score · Ana Li")
    finally:
        out = stop(proc)
    assert "Traceback" not in out, out
    deadline = time.monotonic() + 10
    while sm.connected:  # the WebSocket was closed on the way out
        assert time.monotonic() < deadline, "the WebSocket is still open"
        time.sleep(0.02)


@pytest.mark.slow
def test_sigterm_stops_it_while_the_websocket_cannot_connect(demo_url, fake):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        fake.socket_url = f"ws://127.0.0.1:{s.getsockname()[1]}/link/"
    proc, url = start(demo_url, fake)
    try:
        # Serving, while the SDK retries the WebSocket every few seconds in the background;
        # /healthz says so (503: nothing from Slack can reach it meanwhile).
        assert healthy(proc, url) == {"ok": False, "db": True, "socket": False}
        assert httpx.get(url + "/healthz", timeout=5).status_code == 503
    finally:
        stop(proc)
