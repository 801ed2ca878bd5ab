"""The outbox's Telegram sender: a card to a person's private chat (or a group), with
Telegram's refusals turned into what the dispatcher acts on."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable

from telegram import Bot
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot import strings as bs
from bot.config import Settings
from bot.delivery import DeliveryError, Target
from bot.telegram.build import make_bot
from bot.telegram.send import retry_seconds, send_card
from handlers.cards import Card
from said import Said
from store.uow import UowFactory

PLATFORM = "telegram"
_CHAT = re.compile(r"(?:telegram:)?(-?[0-9]{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})")
# Telegram's words for "this person can't be reached by the bot at all".
_GONE = ("chat not found", "user is deactivated", "bot was kicked", "bot is not a member")
GROUP_INTERVAL = 3.0  # about 20 messages a minute to one group


def chat_for(target: Target) -> str | None:
    """The Telegram chat a target is reached in: the person's private chat (a private
    chat's id is the user's id), or a channel named `telegram:-100…`, `-100…` or `@name`."""
    if target.employee_id is not None:
        return target.dm_channels.get(PLATFORM) or target.identities.get(PLATFORM)
    m = _CHAT.fullmatch(target.channel or "")
    return m[1] if m else None


class TelegramDeliverer:
    """Sends outbox cards through the Bot API; the dispatcher paces it to `per_second`."""

    platform = PLATFORM
    per_second = 30.0  # Telegram's overall broadcast limit
    per_target_interval = 1.0  # one message a second to one chat

    def __init__(
        self,
        bot: Bot,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._bot, self._mono, self._sleep = bot, monotonic, sleep
        self._ready = False
        self._group_next: dict[str, float] = {}

    def can_reach(self, target: Target) -> bool:
        """True for a linked person or a Telegram chat channel."""
        return chat_for(target) is not None

    async def deliver(self, target: Target, card: Card) -> str:
        """Send the card; `chat:message_id` of the (last) message sent."""
        chat = chat_for(target)
        if chat is None:
            raise DeliveryError(Said(bs.NO_TELEGRAM_CHAT), permanent=True)
        group = target.employee_id is None
        if group and card.private:
            # Personal figures never go to a group, whatever the caller asked.
            raise DeliveryError(Said(bs.PRIVATE_TO_GROUP), permanent=True)
        if group:
            await self._space_group(chat)
        chat_id: int | str = int(chat) if chat.lstrip("-").isdigit() else chat
        try:
            if not self._ready:  # PTB wants getMe done once before the first call
                await self._bot.initialize()
                self._ready = True
            sent = await send_card(self._bot, chat_id, card, wait=False)
        except RetryAfter as exc:
            raise DeliveryError(str(exc), retry_after=retry_seconds(exc)) from exc
        except Forbidden as exc:  # blocked by the user, kicked from the group
            raise DeliveryError(str(exc), unreachable=True) from exc
        except BadRequest as exc:
            gone = any(words in exc.message.lower() for words in _GONE)
            raise DeliveryError(str(exc), unreachable=gone, permanent=not gone) from exc
        except TelegramError as exc:  # network trouble, timeouts, 5xx: worth retrying
            raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
        return f"{chat}:{sent.message_id}"

    async def _space_group(self, chat: str) -> None:
        """Groups take about 20 messages a minute; the dispatcher only spaces chats by 1 s."""
        now = self._mono()
        at = max(now, self._group_next.get(chat, 0.0))
        self._group_next[chat] = at + GROUP_INTERVAL
        if at > now:
            await self._sleep(at - now)


def make_deliverer(settings: Settings, uow: UowFactory) -> TelegramDeliverer | None:
    """The Telegram deliverer when a bot token is configured (bot/platforms.py asks)."""
    if settings.telegram.bot_token is None or not settings.telegram.bot_token.get_secret_value():
        return None
    return TelegramDeliverer(make_bot(settings.telegram))
