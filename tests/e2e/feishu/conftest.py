"""The real Feishu app served over real HTTP (uvicorn on an ephemeral port, the one serving
shell), a fake Feishu Open API on loopback, and a client that sends encrypted, signed
events and card callbacks shaped like the documentation's."""

from __future__ import annotations

import asyncio
import dataclasses
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import select, update

from bot.config import FeishuSettings
from bot.feishu.deliver import FeishuDeliverer
from bot.feishu.server import started
from bot.outbox_dispatcher import OutboxDispatcher
from bot.serve import serve
from handlers.identity import ChatAccount, link_identity
from store.models import Employee, Outbox
from tests.fakes import feishu_events as ev
from tests.fakes.feishu_open_api import APP_ID, APP_SECRET, BOT_OPEN_ID, Call, FakeFeishu

ANA = "ou_ana00000000000000000000000000001"
CHEN = "ou_chen000000000000000000000000001"
ZHOU = "ou_zhou0000000000000000000000000001"
ZHAO = "ou_zhao0000000000000000000000000001"
STRANGER = "ou_eve00000000000000000000000000001"
EMAILS = {
    ANA: "ana.li@acme.example",
    CHEN: "chen.jing@acme.example",
    ZHOU: "zhou.tao@acme.example",
    ZHAO: "zhao.min@acme.example",
    STRANGER: "eve@elsewhere.example",
}
GROUP = "oc_group00000000000000000000000001"


def p2p(user: str) -> str:
    """The p2p chat between `user` and the bot (as the events name it)."""
    return f"oc_p2p_{user}"


def feishu_settings(fake: FakeFeishu, **overrides: Any) -> FeishuSettings:
    values: dict[str, Any] = {
        "app_id": APP_ID,
        "app_secret": SecretStr(APP_SECRET),
        "verification_token": SecretStr(ev.TOKEN),
        "encrypt_key": SecretStr(ev.ENCRYPT_KEY),
        "api_url": fake.base_url,
    }
    return FeishuSettings(**(values | overrides))


class Harness:
    """perfbot's Feishu app served in a thread; `say` and `press` post as Feishu would."""

    def __init__(self, rt: Any, fake: FakeFeishu, **feishu: Any) -> None:
        self.fake = fake
        settings = rt.settings.model_copy(update={"feishu": feishu_settings(fake, **feishu)})
        self.rt = dataclasses.replace(rt, settings=settings)
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        self.held: dict[str, Any] = {}
        self.thread = threading.Thread(target=self._run, args=(sock,), daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not (self.held.get("server") and self.held["server"].started):
            assert "error" not in self.held, self.held.get("error")
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.02)
        self.app, self.loop = self.held["app"], self.held["loop"]
        self.http = httpx.Client(base_url=self.url, timeout=30)

    def _run(self, sock: socket.socket) -> None:
        loop = asyncio.new_event_loop()
        self.held["loop"] = loop

        async def main() -> None:
            self.held["stop"] = asyncio.Event()

            def ready(server: Any, app: Any) -> None:
                self.held["server"], self.held["app"] = server, app

            await serve(
                self.rt, started(self.rt, "http"), listen=("127.0.0.1", 0), sockets=[sock],
                outbox=False, on_ready=ready, stop=self.held["stop"],
            )  # fmt: skip

        try:
            loop.run_until_complete(main())
        except BaseException as exc:
            self.held["error"] = exc
        finally:
            loop.close()

    def close(self) -> None:
        self.http.close()
        if self.thread.is_alive():
            self.loop.call_soon_threadsafe(self.held["stop"].set)
            self.thread.join(30)

    # --- acting as Feishu ----------------------------------------------------------------

    def post(self, body: dict[str, Any], **seal: Any) -> httpx.Response:
        raw, headers = ev.seal(body, **seal)
        return self.http.post("/feishu/events", content=raw, headers=headers)

    def say(self, user: str, text: str, **kw: Any) -> list[Call]:
        """A message from `user` (p2p unless `chat_type="group"`); the calls it caused."""
        kw.setdefault("chat_id", p2p(user) if kw.get("chat_type", "p2p") == "p2p" else GROUP)
        before = len(self.fake.called())
        resp = self.post(ev.message(user, text, **kw))
        assert resp.status_code == 200, resp.text
        self.drain()
        return messages(self.fake.called()[before:])

    def press(
        self,
        user: str,
        value: dict[str, Any],
        *,
        message_id: str = "om_card",
        chat_id: str = "",
        form_value: dict[str, Any] | None = None,
        event_id: str | None = None,
    ) -> tuple[dict[str, Any], list[Call]]:
        """A card.action.trigger callback; (the callback's answer, the calls it caused)."""
        before = len(self.fake.called())
        body = ev.card_action(
            user, value, message_id=message_id, chat_id=chat_id or p2p(user),
            form_value=form_value, event_id=event_id,
        )  # fmt: skip
        resp = self.post(body)
        assert resp.status_code == 200, resp.text
        self.drain()
        return resp.json(), messages(self.fake.called()[before:])

    def drain(self) -> None:
        """Wait until the app's work after the acknowledgements has finished."""
        asyncio.run_coroutine_threadsafe(self.app.drain(), self.loop).result(30)

    # --- the database --------------------------------------------------------------------

    def link(self, *users: str) -> None:
        """Link demo people to Feishu accounts with their p2p chats, as a first message would."""
        with self.rt.uow() as uow:
            for user in users:
                emp = uow.session.scalar(select(Employee.id).where(Employee.email == EMAILS[user]))
                assert emp is not None
                link_identity(uow, ChatAccount("feishu", user, None, p2p(user)), emp)
            uow.commit()

    def settle_seeded(self) -> None:
        """Seeded notices (goal proposals) out of the way, so each test sees its own."""
        with self.rt.uow() as uow:
            uow.session.execute(update(Outbox).values(status="sent"))
            uow.commit()

    def deliver(self) -> list[Call]:
        """Run the outbox dispatcher once through Feishu; the calls it made."""
        before = len(self.fake.called())
        deliverer = FeishuDeliverer(self.app.api, self.rt.uow)
        dispatcher = OutboxDispatcher(self.rt.uow, [deliverer])
        asyncio.run_coroutine_threadsafe(dispatcher.run_once(budget=30), self.loop).result(60)
        return messages(self.fake.called()[before:])


def messages(calls: list[Call]) -> list[Call]:
    """Messages sent, replied and patched (not lookups)."""
    return [c for c in calls if c.path.startswith("/open-apis/im/v1/messages")]


def to(calls: list[Call], receive_id: str) -> list[Call]:
    """Messages sent to a person or chat (not replies)."""
    return [
        c
        for c in calls
        if c.path == "/open-apis/im/v1/messages" and c.body.get("receive_id") == receive_id
    ]


def replies(calls: list[Call]) -> list[Call]:
    return [c for c in calls if c.path.endswith("/reply")]


def text_of(call: Call) -> str:
    return "\n".join(call.texts)


@pytest.fixture
def fake() -> Iterator[FakeFeishu]:
    with FakeFeishu() as f:
        for open_id, email in EMAILS.items():
            f.users[open_id] = {"name": email.split("@")[0], "email": email}
        yield f


@pytest.fixture
def fs(demo_rt: Any, fake: FakeFeishu) -> Iterator[Harness]:
    h = Harness(demo_rt, fake)
    yield h
    h.close()


__all__ = ["BOT_OPEN_ID"]
