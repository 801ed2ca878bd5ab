"""The real Telegram app (python-telegram-bot) on the seeded demo company, talking to a fake
Bot API on loopback; updates shaped like the recorded samples go through process_update."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from telegram import Update

from bot.config import TelegramSettings
from bot.telegram.build import build_application
from bot.telegram.server import telegram_app
from handlers.identity import ChatAccount, link_identity
from store.models import Employee
from tests.fakes.telegram_bot_api import TOKEN, Call, FakeBotApi
from tests.fakes.telegram_updates import TgUser, Updates

ANA = TgUser(424242, "Alice", "alice")  # ana.li@: the recorded samples' user
CHEN = TgUser(515151, "Chen", "chenjing")  # chen.jing@: Ana's manager
ZHOU = TgUser(717171, "Zhou", None, "Tao")  # zhou.tao@: a peer with no username
ZHAO = TgUser(616161, "Zhao", "zhaomin_hr")  # zhao.min@: HR at headquarters
STRANGER = TgUser(999001, "Eve", "eve")  # nobody perfbot knows
EMAILS = {
    ANA: "ana.li@acme.example",
    CHEN: "chen.jing@acme.example",
    ZHOU: "zhou.tao@acme.example",
    ZHAO: "zhao.min@acme.example",
}


class Harness:
    """One TelegramApp, driven update by update; `sent` are the Bot API calls it made."""

    def __init__(self, rt: Any, api: FakeBotApi) -> None:
        self.rt, self.api = rt, api
        self.updates = Updates()
        self.runner = asyncio.Runner()
        settings = TelegramSettings(bot_token=TOKEN, api_url=api.base_url)
        self.app = build_application(settings)
        self.tg = telegram_app(rt, self.app)
        self.runner.run(self.tg.initialize())

    def close(self) -> None:
        self.runner.run(self.app.shutdown())
        self.runner.close()

    def link(self, *users: TgUser) -> None:
        """Link demo people to Telegram accounts, as a redeemed code would."""
        from sqlalchemy import select

        with self.rt.uow() as uow:
            for user in users:
                emp = uow.session.scalar(select(Employee.id).where(Employee.email == EMAILS[user]))
                link_identity(
                    uow, ChatAccount("telegram", str(user.id), user.username, str(user.id)), emp
                )
            uow.commit()

    def process(self, update: dict[str, Any]) -> list[Call]:
        """Run one update through Application.process_update; the calls it caused."""
        before = len(self.api.called())
        self.runner.run(self.app.process_update(Update.de_json(update, self.app.bot)))
        return self.api.called()[before:]

    def say(self, user: TgUser, text: str, **kw: Any) -> list[Call]:
        return self.process(self.updates.message(user, text, **kw))

    def press(self, user: TgUser, data: str, **kw: Any) -> list[Call]:
        return self.process(self.updates.press(user, data, **kw))


def texts(calls: list[Call]) -> list[str]:
    """The text (or caption) of every message sent."""
    return [
        c.params.get("text") or c.params.get("caption", "")
        for c in calls
        if c.method.startswith("send")
    ]


def buttons(call: Call) -> list[tuple[str, str]]:
    rows = (call.params.get("reply_markup") or {}).get("inline_keyboard") or []
    return [(b["text"], b["callback_data"]) for row in rows for b in row]


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as fake:
        yield fake


@pytest.fixture
def tg(demo_rt: Any, api: FakeBotApi) -> Iterator[Harness]:
    h = Harness(demo_rt, api)
    yield h
    h.close()
