"""The outbox's Feishu sender: a card to a person (by open_id) or a group chat, with
Feishu's refusals turned into what the dispatcher acts on. A card's chart is uploaded
first (im/v1/images) and shown in it; an upload Feishu refuses (no im:resource scope, too
large) leaves the chart named on the card, which is sent all the same.

A 429 (or code 99991400) becomes DeliveryError(retry_after=x-ogw-ratelimit-reset), so
the dispatcher pauses the platform for as long as Feishu said. Someone linked on no
platform yet is looked up by e-mail, else mobile (contact/v3/users/batch_get_id), and linked.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError

from bot import strings as bs
from bot.config import Settings
from bot.delivery import DeliveryError, Target
from bot.feishu import PLATFORM as PLATFORM  # the registry reads it here
from bot.feishu import render
from bot.feishu.errors import ConfigError, FeishuError
from handlers.cards import Card
from handlers.identity import ChatAccount, link_identity
from said import Said
from store.uow import UnitOfWork, UowFactory

if TYPE_CHECKING:  # the Lark SDK loads only when Feishu is configured (make_deliverer)
    from bot.feishu.api import FeishuApi

log = logging.getLogger(__name__)
_CHAT = re.compile(r"(?:feishu:)?(oc_[A-Za-z0-9_-]{1,64})")
# Feishu's codes for "the bot can't reach this person or chat" (im/v1/messages error
# codes): the bot isn't in the group, the user is outside its availability, the bot is
# off. Tell HR instead of retrying.
UNREACHABLE = frozenset({230002, 230006, 230013})
# A bad parameter or a card Feishu can't build: retrying the same request can't help.
PERMANENT = frozenset({230001, 230099})


def chat_for(target: Target) -> tuple[str, str] | None:
    """(receive_id_type, receive_id): a person by open_id, or a group `feishu:oc_…`."""
    if target.employee_id is not None:
        user = target.identities.get(PLATFORM)
        return ("open_id", user) if user else None
    m = _CHAT.fullmatch(target.channel or "")
    return ("chat_id", m[1]) if m else None


class FeishuDeliverer:
    """Implements bot.delivery.Deliverer for Feishu."""

    platform = PLATFORM
    # im/v1/messages allows an app 50 a second, and one user or one group 5 a second (shared
    # by the group's bots; the send and reply docs' 使用限制): 4 a second stays under it.
    per_second = 20.0
    per_target_interval = 0.25

    def __init__(self, api: FeishuApi, uow: Callable[[], UnitOfWork] | None = None) -> None:
        self._api, self._uow = api, uow

    def can_reach(self, target: Target) -> bool:
        """A linked Feishu user, a Feishu group, or (for someone linked on no platform yet)
        an e-mail or mobile the contact API may find; people only on another platform are
        left to it."""
        if chat_for(target) is not None:
            return True
        known = bool(target.email or target.mobile)
        return target.employee_id is not None and known and not target.identities

    async def deliver(self, target: Target, card: Card) -> str:
        """Send the card; `receive_id:message_id`."""
        where = chat_for(target) or await self._look_up(target)
        if where[0] == "chat_id" and card.private:
            # Personal figures never go to a group, whatever the caller asked.
            raise DeliveryError(Said(bs.PRIVATE_TO_GROUP), permanent=True)
        try:
            key = await self._api.image_key(card.image, raise_rate_limit=True)
            sent = await self._api.send(*where, render.card(card, image_key=key))
        except FeishuError as exc:
            raise _delivery_error(exc) from None
        known = target.dm_channels.get(PLATFORM)
        if where[0] == "open_id" and target.employee_id is not None and sent.chat_id != known:
            # Their p2p chat with the bot: a card pressed there is known to be private.
            await asyncio.to_thread(self._remember, target.employee_id, where[1], sent.chat_id)
        return f"{where[1]}:{sent.message_id}"

    async def _look_up(self, target: Target) -> tuple[str, str]:
        """The open_id of someone never seen: by e-mail, else mobile (one batch_get_id)."""
        if target.employee_id is None or not (target.email or target.mobile):
            raise DeliveryError(Said(bs.NO_FEISHU_TARGET), permanent=True)
        email, mobile = (target.email or "").lower(), target.mobile or ""
        try:
            found = await self._api.open_ids([email] if email else [], [mobile] if mobile else [])
        except FeishuError as exc:
            raise _delivery_error(exc) from None
        open_id = found.get(email) or found.get(mobile)
        if open_id is None:
            # The number itself stays out of the outbox's error column, which HR reads.
            why = Said(
                bs.NO_FEISHU_USER_OR_MOBILE if mobile else bs.NO_FEISHU_USER, email=target.email
            )
            raise DeliveryError(why, unreachable=True)
        await asyncio.to_thread(self._remember, target.employee_id, open_id, None)
        return "open_id", open_id

    def _remember(self, employee_id: int, open_id: str, dm_chat: str | None) -> None:
        """Link the open_id a lookup found (the next send skips the lookup), or remember the
        p2p chat a send landed in."""
        if self._uow is None:
            return
        try:
            with self._uow() as uow:
                link_identity(
                    uow, ChatAccount(PLATFORM, open_id, dm_channel=dm_chat or None), employee_id
                )
                uow.commit()
        except IntegrityError:
            log.info("feishu identity %s was linked concurrently", open_id)


def _delivery_error(exc: FeishuError) -> DeliveryError:
    if exc.retry_after is not None:
        return DeliveryError(f"feishu: rate limited ({exc.msg})", retry_after=exc.retry_after)
    if exc.code in UNREACHABLE:
        return DeliveryError(str(exc), unreachable=True)
    if exc.code in PERMANENT or (exc.status in (400, 403, 404) and exc.code != 0):
        return DeliveryError(str(exc), permanent=True)
    return DeliveryError(str(exc))  # 5xx, timeouts, connection trouble: worth retrying


def make_deliverer(settings: Settings, uow: UowFactory) -> FeishuDeliverer | None:
    """The Feishu deliverer when an app id and secret are configured (bot/platforms.py asks)."""
    if not settings.feishu.app_id or settings.feishu.app_secret is None:
        return None
    from bot.feishu.api import FeishuApi  # the SDK only when configured

    try:
        return FeishuDeliverer(FeishuApi(settings.feishu), uow)
    except ConfigError as exc:
        log.error("feishu delivery off: %s", exc)
        return None
