"""Feishu open_ids to employees: a stored ChatIdentity, else the e-mail (then the mobile)
the contact API shares, linked then and there; link codes (/start CODE) are the fallback."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from functools import partial

from bot.feishu import PLATFORM
from bot.feishu.api import FeishuApi, FeishuError, Person
from handlers.actor import Actor
from handlers.identity import ChatAccount, actor_by_email, actor_by_mobile
from handlers.people.chat_actor import actor_for_chat, link_on_first_contact
from store.uow import UnitOfWork

log = logging.getLogger(__name__)


class FeishuUsers:
    """Resolves who is acting, linking people by e-mail or mobile on first use."""

    def __init__(self, api: FeishuApi, uow: Callable[[], UnitOfWork]) -> None:
        self.api, self._uow = api, uow
        self._locales: dict[str, str | None] = {}  # open_id: language last spoken to them

    def locale(self, open_id: str) -> str | None:
        """The language this person was last answered in (an apology when reading the
        database is what failed); no lookup."""
        return self._locales.get(open_id)

    def known(self, open_id: str, dm_chat: str | None = None) -> Actor | None:
        """A linked person (blocking: call from a thread); `dm_chat` is remembered as their
        private chat with the bot."""
        return actor_for_chat(self._uow(), ChatAccount(PLATFORM, open_id, dm_channel=dm_chat))

    def private_chat(self, open_id: str) -> str | None:
        """The person's p2p chat with the bot, when known (blocking)."""
        with self._uow().reading() as uow:
            ident = uow.org.identity(PLATFORM, open_id)
            return ident.dm_channel if ident is not None else None

    async def actor(
        self, open_id: str, dm_chat: str | None = None
    ) -> tuple[Actor | None, Person | None]:
        """The employee behind an open_id, linked through the contact API on first use (by
        e-mail, then mobile); (None, what Feishu shares of them) when neither matches."""
        actor = await asyncio.to_thread(self.known, open_id, dm_chat)
        if actor is not None:
            self._locales[open_id] = actor.locale
            return actor, None
        try:
            person = await self.api.person(open_id)
        except FeishuError as exc:
            log.warning("contact lookup of %s failed: %s", open_id, exc)
            return None, None
        if person is None:
            return None, None
        finders = [partial(actor_by_email, email=e, platform=PLATFORM) for e in person.emails]
        if person.mobile:  # only when no e-mail matches: an e-mail is the stronger tie
            finders.append(partial(actor_by_mobile, mobile=person.mobile, platform=PLATFORM))
        for find in finders:
            actor = await asyncio.to_thread(self._link, open_id, find, dm_chat)
            if actor is not None:
                self._locales[open_id] = actor.locale
                return actor, person
        return None, person

    def _link(
        self, open_id: str, find: Callable[[UnitOfWork], Actor | None], dm_chat: str | None
    ) -> Actor | None:
        """Link the open_id to the employee `find` names, if any (blocking)."""
        if link_on_first_contact(
            self._uow(), ChatAccount(PLATFORM, open_id, dm_channel=dm_chat), find
        ):
            return self.known(open_id)
        return None
