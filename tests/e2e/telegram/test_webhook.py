"""`perfbot serve telegram --webhook` as a real process: setWebhook with the secret, the
secret token and content type enforced, and whole flows posted as Telegram would post them."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
from click.testing import CliRunner

from bot.cli import main
from tests.conftest import PG_ADMIN
from tests.e2e.telegram.conftest import ANA, CHEN
from tests.fakes.ports import free_port
from tests.fakes.telegram_bot_api import TOKEN, FakeBotApi
from tests.fakes.telegram_updates import TgUser, Updates

SECRET = "s3cret_Token-for-perfbot"
HOOK = "/telegram/hook"
ROOT = Path(__file__).resolve().parents[3]


def start(
    db_url: str, api: FakeBotApi, *extra: str, secret: str | None = SECRET, token: str = TOKEN
):
    port = free_port()
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_API_URL": api.base_url,
        "DATABASE_URL": db_url,
    }
    env.pop("TELEGRAM_WEBHOOK_SECRET", None)
    if secret is not None:
        env["TELEGRAM_WEBHOOK_SECRET"] = secret
    url = f"http://127.0.0.1:{port}{HOOK}"
    args = [
        "serve",
        "telegram",
        "--webhook",
        url,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        *extra,
    ]
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return proc, port


class Server:
    """The running process and a client that posts updates the way Telegram does."""

    def __init__(self, db_url: str, api: FakeBotApi) -> None:
        self.db_url, self.api = db_url, api
        self.proc, self.port = start(db_url, api)
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=30)
        self.updates = Updates(first_id=200000000)
        deadline = time.monotonic() + 60
        while True:
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited: {self.proc.stdout.read()}")
            try:
                if self.http.get("/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("server did not come up")
            time.sleep(0.1)

    def post(
        self, update: dict, *, secret: str | None = SECRET, ctype: str = "application/json"
    ) -> httpx.Response:
        headers = {"Content-Type": ctype}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        return self.http.post(HOOK, content=json.dumps(update).encode(), headers=headers)

    def send(self, update: dict, match, timeout: float = 20.0):
        """Post an update (as Telegram: right secret, application/json) and wait for the reply."""
        mark = self.api.mark()
        assert self.post(update).status_code == 200
        return self.api.wait_call(match, after=mark, timeout=timeout)

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=30)
        finally:
            self.http.close()


def _to(chat: int, text: str):
    return lambda c: (
        c.method == "sendMessage"
        and c.params.get("chat_id") == chat
        and text in c.params.get("text", "")
    )


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def server(request, tmp_path_factory) -> Iterator[Server]:
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("webhook") / "demo.db"
        shutil.copy(request.getfixturevalue("seeded_sqlite"), path)
        url, drop = f"sqlite:///{path}", None
    else:
        name = f"perfbot_test_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(
                f'CREATE DATABASE "{name}" TEMPLATE "{request.getfixturevalue("seeded_pg")}"'
            )
        url, drop = PG_ADMIN.rsplit("/", 1)[0] + "/" + name, name
    with FakeBotApi() as api:
        srv = Server(url, api)
        yield srv
        assert srv.stop() == 0
    if drop:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{drop}" WITH (FORCE)')


def test_startup_registers_the_webhook_with_the_secret(server):
    methods = [c.method for c in server.api.called()]
    assert methods[:4] == ["getMe", "setMyCommands", "setMyCommands", "setWebhook"]  # en, zh
    [hook] = server.api.called("setWebhook")
    assert hook.params["url"] == f"http://127.0.0.1:{server.port}{HOOK}"
    assert hook.params["secret_token"] == SECRET
    assert hook.params["allowed_updates"] == ["message", "callback_query"]


@pytest.mark.parametrize(
    ("secret", "ctype", "status"),
    [
        (None, "application/json", 403),
        ("wrong", "application/json", 403),
        (SECRET + "x", "application/json", 403),
        ("", "application/json", 403),
        (SECRET, "application/json; charset=utf-8", 415),
        (SECRET, "text/plain", 415),
        (SECRET, "application/x-www-form-urlencoded", 415),
    ],
)
def test_requests_without_the_secret_or_not_json_are_refused(server, secret, ctype, status):
    mark = server.api.mark()
    update = server.updates.message(ANA, "/help")
    assert server.post(update, secret=secret, ctype=ctype).status_code == status
    time.sleep(0.3)  # nothing may be sent for a refused request (checked after a pause)
    assert [
        c
        for c in server.api.called()[mark:]
        if c.method == "sendMessage" and c.params["chat_id"] == ANA.id
    ] == []


def test_malformed_bodies_and_other_methods_are_refused(server):
    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}
    assert server.http.post(HOOK, content=b"{not json", headers=headers).status_code == 400
    assert server.http.post(HOOK, content=b"[1, 2]", headers=headers).status_code == 400
    assert server.http.post(HOOK, content=b'{"update_id": "x"}', headers=headers).status_code == 400
    broken = b'{"update_id": 7, "message": {"message_id": 1}}'  # no date, no chat
    assert server.http.post(HOOK, content=broken, headers=headers).status_code == 400
    big = b'{"update_id": 1, "pad": "' + b"x" * (1 << 20) + b'"}'
    assert server.http.post(HOOK, content=big, headers=headers).status_code == 413
    assert server.http.get(HOOK).status_code == 405


def test_link_then_help_score_goals_and_buttons_through_the_webhook(server):
    u = server.updates
    unlinked = server.send(u.message(ANA, "/score"), _to(ANA.id, "know who you are"))
    assert "/start CODE" in unlinked.params["text"]
    result = CliRunner().invoke(
        main, ["link-code", "ana.li@acme.example", "--db", server.db_url, "--json"]
    )
    code = json.loads(result.output)["code"]
    server.send(u.message(ANA, f"/start {code}"), _to(ANA.id, "Welcome, Ana Li"))
    reused = server.send(u.message(CHEN, f"/start {code}"), _to(CHEN.id, "doesn't work"))
    assert "Codes are single-use" in reused.params["text"]
    server.send(u.message(ANA, "/help"), _to(ANA.id, "perfbot commands"))
    score = server.send(u.message(ANA, "/score"), _to(ANA.id, "Score · Ana Li"))
    assert "<b>Total</b>" in score.params["text"]
    goals = server.send(u.message(ANA, "/goals"), _to(ANA.id, "Goals · Ana Li"))
    rows = goals.params["reply_markup"]["inline_keyboard"]
    data = next(
        b["callback_data"] for row in rows for b in row if b["callback_data"].startswith("gl:ack:")
    )
    card = u.bot_message(ANA.private_chat(), "goals", [[("Acknowledge", data)]])
    answered = server.send(
        u.press(ANA, data, message=card), lambda c: c.method == "answerCallbackQuery"
    )
    assert answered.params["text"].startswith("Goals acknowledged")
    stale = server.send(
        u.press(ANA, data, message=card), lambda c: c.method == "answerCallbackQuery"
    )
    assert stale.params["text"] == "Already handled: nothing changed."


def test_wrong_codes_then_throttling_through_the_webhook(server):
    u, eve = server.updates, TgUser(880001, "Eve", "eve")
    for i in range(5):
        wrong = server.send(u.message(eve, f"/start NOPE{i}"), _to(eve.id, "doesn't work"))
        assert "Codes are single-use" in wrong.params["text"]
    result = CliRunner().invoke(
        main, ["link-code", "zhou.tao@acme.example", "--db", server.db_url, "--json"]
    )
    good = json.loads(result.output)["code"]
    throttled = server.send(u.message(eve, f"/start {good}"), _to(eve.id, "Too many attempts"))
    assert "Welcome" not in throttled.params["text"]


def test_praise_through_the_webhook_reaches_the_person_via_the_outbox(server):
    u = server.updates
    for who, email in ((CHEN, "chen.jing@acme.example"), (ANA, "ana.li@acme.example")):
        result = CliRunner().invoke(main, ["link-code", email, "--db", server.db_url, "--json"])
        server.send(
            u.message(who, f"/start {json.loads(result.output)['code']}"), _to(who.id, "Welcome")
        )
    mark = server.api.mark()
    assert (
        server.post(u.message(CHEN, "/praise @alice shipped the <i>ACME</i> demo")).status_code
        == 200
    )
    praised = server.api.wait_call(_to(ANA.id, "Praise from Chen Jing"), after=mark, timeout=30)
    assert "shipped the &lt;i&gt;ACME&lt;/i&gt; demo" in praised.params["text"]


def test_a_bad_token_fails_fast_without_printing_it(seeded_sqlite, tmp_path):
    path = tmp_path / "demo.db"
    shutil.copy(seeded_sqlite, path)
    with FakeBotApi() as api:
        proc, _ = start(f"sqlite:///{path}", api, token="999:not-the-right-token")
        out, _ = proc.communicate(timeout=60)
        assert proc.returncode == 1
        assert "Telegram rejected TELEGRAM_BOT_TOKEN" in out and "not-the-right-token" not in out
        assert [c.method for c in api.called()] == []  # the fake only records its own token's calls


def test_the_webhook_needs_a_secret(seeded_sqlite, tmp_path):
    path = tmp_path / "demo.db"
    shutil.copy(seeded_sqlite, path)
    with FakeBotApi() as api:
        proc, _ = start(f"sqlite:///{path}", api, secret=None)
        out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 1 and "TELEGRAM_WEBHOOK_SECRET must be set" in out
