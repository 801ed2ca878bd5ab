"""The real Slack app served over real HTTP (uvicorn on an ephemeral port), a fake Slack
Web API on loopback, and a client that sends correctly signed requests."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import socket
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import update

from bot.config import SlackSettings
from bot.slack.server import serve_slack
from store.models import Outbox
from tests.e2e.slack.fake_slack import TOKEN, FakeSlack

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
# Slack user ids of demo people (the demo company has no Slack identities yet).
CHEN, ANA, ZHOU, ZHAO = "UCHENJING", "UANALI", "UZHOUTAO", "UZHAOMIN"
STRANGER, NO_EMAIL = "USTRANGER", "UNOMAIL"


def sign(body: bytes, ts: int | None = None, secret: str = SECRET) -> dict[str, str]:
    """Slack's v0 signature of the exact bytes sent."""
    stamp = str(int(time.time()) if ts is None else ts)
    base = b"v0:" + stamp.encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": "v0=" + digest}


class SlackClient:
    """Builds Slack's payloads and posts them, signed, to the running app."""

    def __init__(self, url: str, fake: FakeSlack) -> None:
        self.url, self.fake = url, fake
        self.http = httpx.Client(base_url=url, timeout=30)
        self._n = 0

    def post(
        self, body: bytes, ctype: str, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        h = {"Content-Type": ctype, **sign(body), **(headers or {})}
        return self.http.post("/slack/events", content=body, headers=h)

    def command(self, user: str, text: str, command: str = "/perf") -> httpx.Response:
        body = urlencode(
            {
                "token": "x",
                "team_id": "T111",
                "team_domain": "acme",
                "channel_id": "C0GENERAL",
                "channel_name": "general",
                "user_id": user,
                "user_name": user.lower(),
                "command": command,
                "text": text,
                "api_app_id": "A111",
                "is_enterprise_install": "false",
                "response_url": self.fake.response_url(f"cmd-{self._next()}"),
                "trigger_id": f"trig-{self._n}",
            }
        ).encode()
        return self.post(body, "application/x-www-form-urlencoded")

    def press(
        self,
        user: str,
        button: dict[str, Any],
        blocks: list[dict[str, Any]] | None = None,
        *,
        container: str = "message",
        view_type: str = "home",
        ephemeral: bool = True,
        channel: str = "C0GENERAL",
        ts: str = "1700000000.000200",
    ) -> httpx.Response:
        """Press a button as rendered in `blocks` (a dict with action_id and value)."""
        n = self._next()
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": {"id": user, "username": user.lower(), "team_id": "T111"},
            "api_app_id": "A111",
            "team": {"id": "T111", "domain": "acme"},
            "trigger_id": f"trig-{n}",
            "response_url": self.fake.response_url(f"act-{n}"),
            "actions": [
                {
                    "type": "button",
                    "action_id": button["action_id"],
                    "block_id": "b1",
                    "value": button.get("value", ""),
                    "action_ts": "1700000001.000300",
                }
            ],
        }
        if container == "message":
            payload["container"] = {
                "type": "message",
                "message_ts": ts,
                "channel_id": channel,
                "is_ephemeral": ephemeral,
            }
            payload["channel"] = {"id": channel}
            payload["message"] = {"ts": ts, "text": "x", "blocks": blocks or []}
        else:
            payload["container"] = {"type": "view", "view_id": "V1"}
            payload["view"] = {"id": "V1", "type": view_type, "blocks": blocks or []}
        return self.post(urlencode({"payload": json.dumps(payload)}).encode(), FORM)

    def submit(self, user: str, view: dict[str, Any], values: dict[str, str]) -> httpx.Response:
        """Submit a modal as it was opened (the view dict sent to views.open)."""
        state = {
            b["block_id"]: {"v": _state_of(b["element"], values.get(b["block_id"]))}
            for b in view["blocks"]
            if b.get("type") == "input"
        }
        payload = {
            "type": "view_submission",
            "team": {"id": "T111", "domain": "acme"},
            "user": {"id": user, "username": user.lower(), "team_id": "T111"},
            "api_app_id": "A111",
            "trigger_id": f"trig-{self._next()}",
            "view": {**view, "id": "VMODAL", "team_id": "T111", "state": {"values": state}},
            "response_urls": [],
        }
        return self.post(urlencode({"payload": json.dumps(payload)}).encode(), FORM)

    def event(
        self, event: dict[str, Any], event_id: str, retry: int | None = None
    ) -> httpx.Response:
        body = json.dumps(
            {
                "token": "x",
                "team_id": "T111",
                "api_app_id": "A111",
                "event": event,
                "type": "event_callback",
                "event_id": event_id,
                "event_time": 1700000003,
                "authorizations": [{"team_id": "T111", "user_id": "U0BOT", "is_bot": True}],
            }
        ).encode()
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return self.post(body, "application/json", headers if retry else None)

    def drain(self) -> None:
        """Wait until the app's background work (after the acks) has finished."""
        asyncio.run_coroutine_threadsafe(self.app.drain(), self.loop).result(30)

    def _next(self) -> int:
        self._n += 1
        return self._n


FORM = "application/x-www-form-urlencoded"


def _state_of(element: dict[str, Any], value: str | None) -> dict[str, Any]:
    """An input's state as Slack sends it: a select's picked option (its text as rendered),
    else the typed value."""
    if element["type"] != "static_select":
        return {"type": element["type"], "value": value}
    picked = next((o for o in element["options"] if o["value"] == value), None)
    return {"type": "static_select", "selected_option": picked}


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as f:
        f.add_user(CHEN, "chen.jing@acme.example", "chen")
        f.add_user(ANA, "Ana.Li@acme.example", "ana")
        f.add_user(ZHOU, "zhou.tao@acme.example", "zhou")
        f.add_user(ZHAO, "zhao.min@acme.example", "zhao")
        f.add_user(STRANGER, "someone@elsewhere.example", "someone")
        f.add_user(NO_EMAIL, None, "guest")
        yield f


@dataclass
class Served:
    """A server running in a test thread: its HTTP port, the Slack app and its event loop."""

    port: int
    app: Any
    loop: asyncio.AbstractEventLoop


@contextlib.contextmanager
def served_in_thread(
    serve: Callable[..., Coroutine[Any, Any, None]], *, backlog: int
) -> Iterator[Served]:
    """Run `serve(sockets=..., on_ready=...)` (serve_slack) in a thread on a free
    port until the block ends; it must start within 30 s and stop cleanly."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(backlog)
    held: dict[str, Any] = {}

    def on_ready(server: Any, app: Any) -> None:
        held["server"], held["app"] = server, app

    def run() -> None:
        loop = asyncio.new_event_loop()
        held["loop"] = loop
        try:
            loop.run_until_complete(serve(sockets=[sock], on_ready=on_ready))
        except BaseException as exc:
            held["error"] = exc
        finally:
            loop.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not (held.get("server") and held["server"].started):
        assert "error" not in held, held.get("error")
        assert time.monotonic() < deadline and thread.is_alive(), "server did not start"
        time.sleep(0.02)
    try:
        yield Served(sock.getsockname()[1], held["app"], held["loop"])
    finally:
        held["server"].should_exit = True
        thread.join(30)
        sock.close()
    assert not thread.is_alive() and "error" not in held, held.get("error")


@contextlib.contextmanager
def serving(demo, fake: FakeSlack, *, outbox: bool) -> Iterator[SlackClient]:  # type: ignore[no-untyped-def]
    """`perfbot serve slack`'s server on the demo company, in a thread, on a free port."""
    demo.settings = demo.settings.model_copy(
        update={
            "slack": SlackSettings(
                bot_token=SecretStr(TOKEN), signing_secret=SecretStr(SECRET), api_url=fake.api_url
            )
        }
    )

    def serve(**kw: Any) -> Coroutine[Any, Any, None]:
        return serve_slack(demo, "127.0.0.1", 0, outbox=outbox, **kw)

    with served_in_thread(serve, backlog=512) as served:
        client = SlackClient(f"http://127.0.0.1:{served.port}", fake)
        client.app, client.loop = served.app, served.loop  # type: ignore[attr-defined]
        # Answers are checked for content, not speed: a busy machine must not turn them into
        # "working on it" (test_commands.py tests that path on purpose).
        client.app.ack_budget = 30.0  # type: ignore[attr-defined]
        try:
            yield client
        finally:
            client.http.close()


def every_answer_slow(client: SlackClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """No answer within the ack budget: the budget is 0 and every answer takes 0.3 s (a
    fast one could finish before the budget's timer fired; seen in CI)."""
    app: Any = client.app  # type: ignore[attr-defined]
    app.ack_budget = 0.0
    answer = app.dispatcher.command

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.3)
        return answer(*args, **kwargs)

    monkeypatch.setattr(app.dispatcher, "command", slow)


@pytest.fixture
def slack(demo, fake: FakeSlack) -> Iterator[SlackClient]:  # type: ignore[no-untyped-def]
    """The served app; tests deliver the outbox themselves (helpers.deliver)."""
    with serving(demo, fake, outbox=False) as client:
        yield client


@pytest.fixture
def flows(slack, demo):  # type: ignore[no-untyped-def]
    """The running app, with the demo's own queued notices out of the way."""
    with demo.uow() as uow:
        uow.session.execute(update(Outbox).values(status="sent"))
        uow.commit()
    for user in (ANA, CHEN, ZHAO):  # everyone has used the app once: mentions resolve
        slack.command(user, "", command="/help")
    return slack
