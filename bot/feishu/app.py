"""The Feishu app: one handler for every event and card callback, whichever transport
brought it (HTTP in server.py, the SDK's long connection in ws.py).

A message is acknowledged at once and answered through the Open API (Feishu wants the
event's 200 within 3 seconds). A card callback is answered in its response (callbacks.py).
Private figures never go to a group: they go to the person's own chat with the bot, and a
pointer stays in the group (sending.py). Events perfbot doesn't subscribe to, schema 1.0
events among them, are acknowledged with an empty answer and otherwise ignored.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Callable, Mapping
from typing import Any

from bot import texts as bt
from bot.background import Background
from bot.event_claims import EventClaims
from bot.feishu import PLATFORM, parse, render, sending
from bot.feishu import texts as st
from bot.feishu.api import FeishuApi, FeishuError, Person
from bot.feishu.callbacks import ACK_BUDGET, CardCallbacks
from bot.feishu.users import FeishuUsers
from handlers import strings as t
from handlers.cards import Card, Reply
from handlers.commands import Start
from handlers.commands import parse as parse_command
from handlers.dispatch import Dispatcher
from handlers.i18n import speaking
from handlers.people.chat_actor import stranger_locale
from handlers.people.link_account import link_account, welcome
from store.uow import Clock, UnitOfWork

log = logging.getLogger(__name__)
_MENTIONED = re.compile(rf"<@{PLATFORM}:([A-Za-z0-9_-]{{1,64}})>")
Json = dict[str, Any]
__all__ = ["ACK_BUDGET", "FeishuApp"]


class FeishuApp(CardCallbacks):
    """Routes each event body: a message to a command, a card action to its use case."""

    def __init__(
        self,
        api: FeishuApi,
        *,
        dispatcher: Dispatcher,
        uow: Callable[[], UnitOfWork],
        clock: Clock,
        bot_open_id: str = "",
    ) -> None:
        self.api, self.dispatcher, self.uow, self.clock = api, dispatcher, uow, clock
        self.users = FeishuUsers(api, uow)
        self.bot_open_id = bot_open_id
        self.ack_budget = ACK_BUDGET
        self.claims = EventClaims(uow, PLATFORM)
        self.background = Background(PLATFORM)
        self._later = self.background.later

    async def initialize(self) -> None:
        """The credentials checked (a tenant_access_token fetched) and the bot's open_id."""
        await self.api.check()
        self.bot_open_id = await self.api.bot_open_id() or self.bot_open_id

    async def handle(self, body: Mapping[str, Any]) -> Json:
        """One decrypted, checked event or callback body; the JSON to answer it with."""
        if parse.legacy_card(body):
            # No event_id: its card-update token is unique to the interaction.
            token = str(body.get("token") or "")
            if token and not await self._first(f"card:{token}"):
                return {}
            return await self._on_legacy_card(body)
        env = parse.envelope(body)
        if env is None or env.event_type not in (parse.MESSAGE_EVENT, parse.CARD_EVENT):
            return {}
        # Feishu delivers again what it thinks failed: each event acts once, on any replica.
        key = parse.delivery_key(env)
        if key and not await self._first(key):
            log.info("event %s already handled", env.event_id)
            return {}
        if env.event_type == parse.CARD_EVENT:
            return await self._on_card(env.event)
        self._later(self._on_message(env.event))
        return {}

    async def _first(self, key: str) -> bool:
        """Whether this is the first delivery of `key` (claimed in the shared table)."""
        return await asyncio.to_thread(self.claims.claim, f"{PLATFORM}:{key}")

    async def drain(self) -> None:
        """Wait for the work started after the acknowledgements (shutdown, tests)."""
        await self.background.drain()

    # --- messages ------------------------------------------------------------------------

    async def _on_message(self, event: Mapping[str, Any]) -> None:
        m = parse.message(event, self.bot_open_id)
        if m is None:
            return
        try:
            await self._answer(m)
        except Exception:  # a bug must cost the person one apology, not their answer
            log.exception("Feishu message %s failed", m.message_id)
            with speaking(self.users.locale(m.sender)):
                sorry = render.card(_say(t.ERROR_TITLE, t.INTERNAL_ERROR))
            with contextlib.suppress(FeishuError):
                await self.api.reply(m.message_id, sorry)

    async def _answer(self, m: parse.Message) -> None:
        cmd = parse_command(m.text)
        if isinstance(cmd, Start):
            await self._on_start(m, cmd)
            return
        await self._link_mentioned(m.text)
        actor, person = await self.users.actor(m.sender, m.chat_id if m.private else None)
        if actor is None:
            await self.api.reply(m.message_id, await self._stranger(m.private, person))
            return
        with speaking(actor.locale):  # the pointer and the cards' own words too
            reply = await asyncio.to_thread(self.dispatcher.command, actor, cmd)
            await sending.send(
                self.api, reply, m.chat_id, m.private, m.sender, reply_to=m.message_id
            )

    async def _on_start(self, m: parse.Message, cmd: Start) -> None:
        """/start CODE links this account (in private only); a bare /start says hello."""
        with speaking(await self._company_locale()):  # not linked yet, perhaps
            await self._on_start_in(m, cmd)

    async def _on_start_in(self, m: parse.Message, cmd: Start) -> None:
        if cmd.code and not m.private:
            await self.api.reply(
                m.message_id, render.card(_say(t.LINK_REFUSED_TITLE, st.START_IN_PRIVATE))
            )
            return
        if cmd.code:
            reply = await asyncio.to_thread(self._link, cmd.code, m.sender, m.chat_id)
        else:
            actor, person = await self.users.actor(m.sender, m.chat_id if m.private else None)
            if actor is not None:
                with speaking(actor.locale):
                    reply = welcome(actor)
                    await sending.send(
                        self.api, reply, m.chat_id, m.private, m.sender, reply_to=m.message_id
                    )
                return
            reply = Reply(cards=(_stranger(m.private, person),))
        await sending.send(self.api, reply, m.chat_id, m.private, m.sender, reply_to=m.message_id)

    def _link(self, code: str, open_id: str, chat_id: str) -> Reply:
        return link_account(
            code, uow=self.uow(), user_id=open_id, username=None, dm_channel=chat_id,
            platform=PLATFORM,
        )  # fmt: skip

    async def _link_mentioned(self, text: str) -> None:
        """People named who never wrote to perfbot are linked by e-mail first, so the command
        finds them; bounded, so a slow contact API leaves the name unresolved instead."""
        ids = set(_MENTIONED.findall(text))
        if ids:
            with contextlib.suppress(TimeoutError):
                lookups = (self.users.actor(i) for i in ids)
                await asyncio.wait_for(asyncio.gather(*lookups), timeout=self.ack_budget)

    async def _stranger(self, private: bool, person: Person | None) -> render.Json:
        """The friendly explanation for someone perfbot doesn't know."""
        with speaking(await self._company_locale()):
            return render.card(_stranger(private, person))

    async def _company_locale(self) -> str | None:
        """What a stranger reads: Feishu's events name nobody's language, so the company's."""
        return await asyncio.to_thread(stranger_locale, self.uow())

    # --- plumbing ------------------------------------------------------------------------


def _say(title: str, *lines: str) -> Card:
    return Card(title=title, lines=lines, private=False)


def _stranger(private: bool, person: Person | None) -> Card:
    """The friendly explanation for someone perfbot doesn't know."""
    if not private:
        return _say(bt.UNKNOWN_USER_TITLE, st.UNKNOWN_USER_GROUP)
    emails = ", ".join(person.emails) if person is not None and person.emails else st.NO_EMAIL
    return _say(bt.UNKNOWN_USER_TITLE, st.UNKNOWN_USER.format(email=emails))
