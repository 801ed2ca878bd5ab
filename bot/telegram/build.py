"""Build the PTB Application (or a bare Bot) from settings: token, Bot API URL, the update
processor that keeps each chat's updates in order, and the command menu."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import Bot, BotCommand, Update
from telegram.ext import Application, BaseUpdateProcessor

from bot import strings as bs
from bot.config import TelegramSettings
from handlers import strings as t
from handlers.commands import COMMAND_NAMES
from handlers.i18n import ENGLISH, available, speaking
from said import Said


class ConfigError(Exception):
    """Telegram settings that can't work (no token)."""


def api_base(url: str) -> str:
    """`TELEGRAM_API_URL` with or without the trailing `/bot`."""
    return url.strip().rstrip("/").removesuffix("/bot")


def _token(settings: TelegramSettings) -> str:
    token = settings.bot_token.get_secret_value().strip() if settings.bot_token else ""
    if not token:
        raise ConfigError(Said(bs.TELEGRAM_UNSET))
    return token


def make_bot(settings: TelegramSettings) -> Bot:
    """A bare Bot (no update handling), e.g. for delivering notices from another process."""
    if not settings.api_url:
        return Bot(_token(settings))
    base = api_base(settings.api_url)
    return Bot(_token(settings), base_url=f"{base}/bot", base_file_url=f"{base}/file/bot")


def build_application(
    settings: TelegramSettings, *, polling: bool = True, concurrency: int = 16
) -> Application[Any, Any, Any, Any, Any, Any]:
    """A PTB Application from settings; `TELEGRAM_API_URL` points it at another Bot API."""
    builder = (
        Application.builder().token(_token(settings)).concurrent_updates(PerChatOrder(concurrency))
    )
    if settings.api_url:
        base = api_base(settings.api_url)
        builder = builder.base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
    if not polling:
        builder = builder.updater(None)
    return builder.build()


class PerChatOrder(BaseUpdateProcessor):
    """Updates of one chat run in order (a form's answers), different chats concurrently."""

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}

    async def do_process_update(self, update: object, coroutine: Any) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        lock, users = self._locks.get(chat.id) or (asyncio.Lock(), 0)
        self._locks[chat.id] = (lock, users + 1)
        try:
            async with lock:
                await coroutine
        finally:
            lock, users = self._locks[chat.id]
            if users == 1:
                del self._locks[chat.id]
            else:
                self._locks[chat.id] = (lock, users - 1)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""


def menu(locale: str | None = None) -> list[BotCommand]:
    """The commands Telegram shows in its menu, from the one registry of commands, described
    in `locale` (English by default)."""
    with speaking(locale):
        return [BotCommand(name, t.SUMMARY[name][:256]) for name in (*COMMAND_NAMES, "cancel")]


def menus() -> list[tuple[str | None, list[BotCommand]]]:
    """The menu for everyone (English) and one per language perfbot speaks, keyed by the
    two-letter code setMyCommands takes: Telegram shows a user the menu of their app's
    language, else the default one."""
    languages = {loc.split("_")[0]: loc for loc in available() if loc != ENGLISH}
    return [(None, menu()), *((code, menu(loc)) for code, loc in sorted(languages.items()))]
