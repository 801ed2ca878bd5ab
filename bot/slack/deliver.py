"""The Slack deliverer: outbox cards to a person's DM (or a channel), charts as files.

A 429 is turned into DeliveryError(retry_after=...) so the outbox dispatcher pauses the
whole platform; the client itself waits out one 429 at most (RateLimitErrorRetryHandler).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.exc import IntegrityError

from bot import strings as bs
from bot.config import Settings
from bot.delivery import DeliveryError, Target
from bot.slack import render
from bot.slack.client import make_client
from bot.slack.users import PLATFORM as PLATFORM  # the registry reads it here
from bot.slack.users import lookup_user_id
from handlers.cards import Card
from handlers.identity import ChatAccount, link_identity
from said import Said
from store.uow import UnitOfWork, UowFactory

log = logging.getLogger(__name__)
# The person can't be reached on Slack: tell HR instead of retrying.
UNREACHABLE = frozenset(
    {"user_not_found", "users_not_found", "account_inactive", "user_disabled", "cannot_dm_bot",
     "channel_not_found", "is_archived", "not_in_channel", "user_is_restricted"}
)  # fmt: skip
# Retrying the same request can't help.
PERMANENT = frozenset(
    {"invalid_blocks", "invalid_blocks_format", "msg_too_long", "no_text", "invalid_arguments",
     "too_many_attachments", "invalid_auth", "not_authed", "missing_scope", "token_revoked"}
)  # fmt: skip


def make_deliverer(settings: Settings, uow: UowFactory) -> SlackDeliverer | None:
    """The Slack deliverer when a bot token is configured (bot/platforms.py asks)."""
    token = settings.slack.bot_token.get_secret_value() if settings.slack.bot_token else ""
    return SlackDeliverer(make_client(token, settings.slack.api_url), uow) if token else None


class SlackDeliverer:
    """Implements bot.delivery.Deliverer for Slack."""

    platform = PLATFORM
    per_second = 10.0  # overall; chat.postMessage allows about 1/s per channel (below)
    per_target_interval = 1.0

    def __init__(self, client: AsyncWebClient, uow: Callable[[], UnitOfWork] | None = None) -> None:
        self._client, self._uow = client, uow
        self._dms: dict[str, str] = {}  # user id -> DM channel (conversations.open is Tier 3)

    def can_reach(self, target: Target) -> bool:
        """A channel, a linked Slack user, or (for someone linked on no platform yet) an
        e-mail users.lookupByEmail may find; people only on another platform are left to it."""
        if target.channel or target.identities.get(PLATFORM):
            return True
        return bool(target.email) and not target.identities

    async def deliver(self, target: Target, card: Card) -> str:
        try:
            channel = await self._channel(target)
            msg = render.message((card,))
            resp = await self._client.chat_postMessage(
                channel=channel, text=msg["text"], blocks=msg["blocks"], unfurl_links=False
            )
            posted_in, ts = str(resp.get("channel") or channel), str(resp.get("ts") or "")
            if card.image is not None:
                await self._client.files_upload_v2(
                    channel=posted_in,
                    content=card.image.data,
                    filename=card.image.filename,
                    title=card.image.alt,
                    thread_ts=ts or None,
                )
            return f"{posted_in}:{ts}"
        except SlackApiError as exc:
            raise _delivery_error(exc) from None
        except DeliveryError:
            raise
        except Exception as exc:  # connection trouble: the dispatcher retries with backoff
            raise DeliveryError(f"slack: {type(exc).__name__}: {exc}") from None

    async def _channel(self, target: Target) -> str:
        if target.channel:
            return target.channel
        user = target.identities.get(PLATFORM)
        if user is None and target.email:
            user = await lookup_user_id(self._client, target.email)
            if user is None:
                raise DeliveryError(Said(bs.NO_SLACK_USER, email=target.email), unreachable=True)
            await asyncio.to_thread(self._remember, target, user, None)
        if user is None:
            raise DeliveryError(Said(bs.NO_SLACK_IDENTITY), unreachable=True)
        known = target.dm_channels.get(PLATFORM) or self._dms.get(user)
        if known:
            return known
        opened = await self._client.conversations_open(users=user)
        channel = str(opened["channel"]["id"])
        self._dms[user] = channel
        await asyncio.to_thread(self._remember, target, user, channel)
        return channel

    def _remember(self, target: Target, user: str, dm: str | None) -> None:
        """Store the user id (found by e-mail) and DM channel, so the next send skips lookups."""
        if self._uow is None or target.employee_id is None:
            return
        try:
            with self._uow() as uow:
                if dm is None:
                    link_identity(uow, ChatAccount(PLATFORM, user), target.employee_id)
                else:
                    uow.delivery.remember_dm(PLATFORM, user, dm)
                uow.commit()
        except IntegrityError:
            log.info("slack identity %s was linked concurrently", user)


def _delivery_error(exc: SlackApiError) -> DeliveryError:
    status = getattr(exc.response, "status_code", 200)
    error = str(exc.response.get("error") or "")
    if status == 429 or error == "ratelimited":
        headers = getattr(exc.response, "headers", {}) or {}
        after = next((v for k, v in headers.items() if k.lower() == "retry-after"), "1")
        retry_after = float(after[0] if isinstance(after, list) else after)
        return DeliveryError(f"slack: rate limited ({error})", retry_after=retry_after)
    if error in UNREACHABLE:
        return DeliveryError(f"slack: {error}", unreachable=True)
    if error in PERMANENT:
        return DeliveryError(f"slack: {error}", permanent=True)
    return DeliveryError(f"slack: {error or status}")
