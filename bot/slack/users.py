"""Slack user ids to employees: a stored ChatIdentity, else the e-mail from users.info."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from functools import partial

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from handlers.actor import Actor
from handlers.identity import ChatAccount, actor_by_email, actor_by_identity
from handlers.people.chat_actor import link_on_first_contact
from store.uow import UnitOfWork, UowFactory

log = logging.getLogger(__name__)
PLATFORM = "slack"


class SlackUsers:
    """Resolves who is acting. Linked people are cached for ACTOR_TTL seconds (a role change
    or a deactivation applies within that); e-mails from users.info for longer."""

    ACTOR_TTL = 30.0

    def __init__(self, uow: Callable[[], UnitOfWork], ttl: float = 600.0) -> None:
        self._uow = uow
        self._ttl = ttl
        self._emails: dict[str, tuple[float, str | None, str | None]] = {}
        # users.info's `locale`: for linking, and for words to people not (yet) known.
        self._locales: dict[str, str | None] = {}
        self._actors: dict[str, tuple[float, Actor]] = {}

    async def actor(self, user_id: str, client: AsyncWebClient) -> Actor | None:
        """The employee behind a Slack user, linking them on first use; None if unknown."""
        known = self.cached(user_id) or await asyncio.to_thread(self.known, user_id)
        if known is not None:
            return known
        email, handle = await self.email(user_id, client)
        if email is None:
            return None
        return await asyncio.to_thread(self._link, user_id, email, handle)

    async def email(self, user_id: str, client: AsyncWebClient) -> tuple[str | None, str | None]:
        """(e-mail, handle) from the profile; (None, None) when Slack shares none."""
        hit = self._emails.get(user_id)
        if hit is not None and hit[0] > time.monotonic():
            return hit[1], hit[2]
        try:
            resp = await client.users_info(user=user_id, include_locale=True)
        except SlackApiError as exc:
            log.warning("users.info %s failed: %s", user_id, exc.response.get("error"))
            return None, None
        user = resp.get("user") or {}
        email = (user.get("profile") or {}).get("email")
        entry = (time.monotonic() + self._ttl, email, user.get("name"))
        self._emails[user_id] = entry
        locale = user.get("locale")  # `zh-CN`: the language of the person's Slack
        self._locales[user_id] = locale if isinstance(locale, str) else None
        return entry[1], entry[2]

    def locale(self, user_id: str) -> str | None:
        """The language to use before the person's own is read (an ack) or for someone
        perfbot doesn't know: a cached employee's, else their Slack app's; no lookup."""
        actor = self.cached(user_id)
        return actor.locale if actor is not None else self._locales.get(user_id)

    def cached(self, user_id: str) -> Actor | None:
        hit = self._actors.get(user_id)
        return hit[1] if hit is not None and hit[0] > time.monotonic() else None

    def known(self, user_id: str, units: UowFactory | None = None) -> Actor | None:
        """A linked person (cache, else the database; `units`: instead of the usual units
        of work); blocking, so call it from a thread unless the read is known to be quick."""
        actor = self.cached(user_id)
        if actor is None:
            with (units or self._uow)().reading() as uow:
                actor = actor_by_identity(uow, PLATFORM, user_id)
            if actor is not None:
                self._remember(user_id, actor)
        return actor

    def _remember(self, user_id: str, actor: Actor) -> None:
        if len(self._actors) > 100_000:  # bounded: a huge workspace just re-reads sooner
            self._actors.clear()
        self._actors[user_id] = (time.monotonic() + self.ACTOR_TTL, actor)

    def _link(self, user_id: str, email: str, handle: str | None) -> Actor | None:
        find = partial(actor_by_email, email=email, platform=PLATFORM)
        locale = self._locales.get(user_id)
        account = ChatAccount(PLATFORM, user_id, username=handle, language=locale)
        actor = link_on_first_contact(self._uow(), account, find)
        if actor is not None:
            self._remember(user_id, actor)
        return actor


async def lookup_user_id(client: AsyncWebClient, email: str) -> str | None:
    """The Slack user id of someone who never used the app (users.lookupByEmail)."""
    try:
        resp = await client.users_lookupByEmail(email=email)
    except SlackApiError as exc:
        if exc.response.get("error") == "users_not_found":
            return None
        raise
    user = resp.get("user") or {}
    return str(user["id"]) if user.get("id") else None
