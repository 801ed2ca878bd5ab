"""Long polling (the default of `perfbot serve telegram`): getUpdates from the fake Bot API,
replies in order per chat, notices delivered by the outbox sweep, clean stop."""

from __future__ import annotations

import asyncio

from pydantic import SecretStr

from bot.config import TelegramSettings
from bot.telegram.server import serve_polling
from handlers.identity import ChatAccount
from tests.e2e.telegram.conftest import ANA, CHEN, EMAILS
from tests.fakes.telegram_bot_api import TOKEN, FakeBotApi
from tests.fakes.telegram_updates import Updates


def _link(rt, *users):
    from sqlalchemy import select

    from handlers.identity import link_identity
    from store.models import Employee

    with rt.uow() as uow:
        for user in users:
            emp = uow.session.scalar(select(Employee.id).where(Employee.email == EMAILS[user]))
            link_identity(
                uow, ChatAccount("telegram", str(user.id), user.username, str(user.id)), emp
            )
        uow.commit()


def test_polling_answers_commands_in_order_and_delivers_notices(demo_rt):
    _link(demo_rt, ANA, CHEN)
    u = Updates()
    with FakeBotApi() as api:
        demo_rt.settings = demo_rt.settings.model_copy(
            update={"telegram": TelegramSettings(bot_token=SecretStr(TOKEN), api_url=api.base_url)}
        )
        for text in ("/help", "/score", "/goals"):
            api.push_update(u.message(ANA, text))
        api.push_update(u.message(CHEN, "/praise @alice thanks for the demo"))

        def to_ana(title):
            return lambda c: (
                c.method == "sendMessage"
                and c.params["chat_id"] == ANA.id
                and title in c.params["text"]
            )

        async def run() -> list:
            stop = asyncio.Event()
            serving = asyncio.create_task(serve_polling(demo_rt, stop=stop))
            got = []
            for title in (
                "perfbot commands",
                "Score · Ana Li",
                "Goals · Ana Li",
                "Praise from Chen Jing",
            ):
                got.append(await asyncio.to_thread(api.wait_call, to_ana(title), timeout=30))
            stop.set()
            await serving
            return got

        help_, score, goals, praise = asyncio.run(run())
    methods = [c.method for c in api.called()]
    # the menus (English, Chinese), then polling drops any webhook
    assert methods[:4] == ["getMe", "setMyCommands", "setMyCommands", "deleteWebhook"]
    assert help_.at < score.at < goals.at  # one chat's updates in the order they were sent
    assert "thanks for the demo" in praise.params["text"]
