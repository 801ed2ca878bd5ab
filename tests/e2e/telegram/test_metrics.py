"""Telegram by polling has no HTTP server: /metrics is on PERFBOT_METRICS_PORT, and its
commands are counted under platform="telegram"."""

from __future__ import annotations

import asyncio

import httpx
from pydantic import SecretStr

from bot.config import TelegramSettings
from bot.telegram.server import serve_polling
from tests.e2e.telegram.conftest import ANA
from tests.e2e.telegram.test_polling import _link
from tests.fakes.ports import free_port
from tests.fakes.scrape import scrape, value
from tests.fakes.telegram_bot_api import TOKEN, FakeBotApi
from tests.fakes.telegram_updates import Updates


def test_polling_serves_metrics_on_its_port(demo_rt):  # type: ignore[no-untyped-def]
    _link(demo_rt, ANA)
    port = free_port()
    url = f"http://127.0.0.1:{port}/metrics"
    with FakeBotApi() as api:
        tg = TelegramSettings(bot_token=SecretStr(TOKEN), api_url=api.base_url)
        demo_rt.settings = demo_rt.settings.model_copy(
            update={"telegram": tg, "metrics_port": port}
        )
        api.push_update(Updates().message(ANA, "/score"))

        async def run() -> dict:  # type: ignore[type-arg]
            stop = asyncio.Event()
            serving = asyncio.create_task(serve_polling(demo_rt, stop=stop))
            await asyncio.to_thread(
                api.wait_call, lambda c: c.method == "sendMessage" and "Score" in c.params["text"]
            )
            ok = {"platform": "telegram", "command": "score", "outcome": "ok"}
            for _ in range(100):  # counted right after the answer was sent
                got = await asyncio.to_thread(scrape, url)
                if value(got, "perfbot_commands_total", **ok) == 1:
                    break
                await asyncio.sleep(0.1)
            stop.set()
            await serving
            return got

        scraped = asyncio.run(run())
    assert value(scraped, "perfbot_commands_total", platform="telegram", command="score",
                 outcome="ok") == 1  # fmt: skip
    assert value(scraped, "perfbot_command_seconds_count", platform="telegram") == 1
    try:
        httpx.get(url, timeout=2)
        raise AssertionError("the listener outlived the server")
    except httpx.TransportError:
        pass
