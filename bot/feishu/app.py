"""The Feishu app: one handler for every event and card callback, whichever transport
brought it (HTTP in server.py, the SDK's long connection in ws.py).

A message is acknowledged at once and answered through the Open API (Feishu wants the
event's 200 within 3 seconds). A card callback is answered in its response: a toast and,
after a decision, the card updated in place; work that outlasts ACK_BUDGET says "working
on it" and updates the card through the API when done. Private figures never go to a
group: they go to the person's own chat with the bot, and a pointer stays in the group.
A chart is uploaded before the card that shows it; a card updated in place gets its chart
in the callback's answer when the upload fits in the budget, else through a later PATCH.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from bot.background import Background
from bot.event_claims import EventClaims
from bot.feishu import PLATFORM, parse, render
from bot.feishu import texts as st
from bot.feishu.api import FeishuApi, FeishuError, Person
from bot.feishu.users import FeishuUsers
from bot.presses import INFO_ACTIONS, is_stale
from handlers import strings as t
from handlers.cards import Card, Reply
from handlers.commands import Start
from handlers.commands import parse as parse_command
from handlers.dispatch import Dispatcher
from handlers.people.link_account import link_account, welcome
from store.uow import Clock, UnitOfWork

log = logging.getLogger(__name__)
ACK_BUDGET = 2.5  # seconds of work inside a card callback (Feishu waits 3)
# A card updated through the API after the callback's answer waits this long after that
# answer: Feishu says an update made before its callback returns behaves unpredictably
# (delay-update-message-card's notes; assumed to hold for PATCH too).
AFTER_ANSWER = 0.5
_MENTIONED = re.compile(rf"<@{PLATFORM}:([A-Za-z0-9_-]{{1,64}})>")
Json = dict[str, Any]


class FeishuApp:
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
        env = parse.envelope(body)
        if env is None or env.event_type not in (parse.MESSAGE_EVENT, parse.CARD_EVENT):
            return {}
        # Feishu delivers again what it thinks failed: each event acts once, on any replica.
        key = f"{PLATFORM}:{env.event_id}"  # the table is shared by every platform
        if env.event_id and not await asyncio.to_thread(self.claims.claim, key):
            log.info("event %s already handled", env.event_id)
            return {}
        if env.event_type == parse.CARD_EVENT:
            return await self._on_card(env.event)
        self._later(self._on_message(env.event))
        return {}

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
            with contextlib.suppress(FeishuError):
                await self.api.reply(
                    m.message_id, render.card(_say(t.ERROR_TITLE, t.INTERNAL_ERROR))
                )

    async def _answer(self, m: parse.Message) -> None:
        cmd = parse_command(m.text)
        if isinstance(cmd, Start):
            await self._on_start(m, cmd)
            return
        await self._link_mentioned(m.text)
        actor, person = await self.users.actor(m.sender, m.chat_id if m.private else None)
        if actor is None:
            await self.api.reply(m.message_id, render.card(_stranger(m.private, person)))
            return
        reply = await asyncio.to_thread(self.dispatcher.command, actor, cmd)
        await self._send(reply, m.chat_id, m.private, m.sender, reply_to=m.message_id)

    async def _on_start(self, m: parse.Message, cmd: Start) -> None:
        """/start CODE links this account (in private only); a bare /start says hello."""
        if cmd.code and not m.private:
            await self.api.reply(
                m.message_id, render.card(_say(t.LINK_REFUSED_TITLE, st.START_IN_PRIVATE))
            )
            return
        if cmd.code:
            reply = await asyncio.to_thread(self._link, cmd.code, m.sender, m.chat_id)
        else:
            actor, person = await self.users.actor(m.sender, m.chat_id if m.private else None)
            reply = welcome(actor) if actor else Reply(cards=(_stranger(m.private, person),))
        await self._send(reply, m.chat_id, m.private, m.sender, reply_to=m.message_id)

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

    async def _send(
        self, reply: Reply, chat_id: str, private: bool, person: str, *, reply_to: str = ""
    ) -> None:
        """Each card where it may go: private cards from a group go to the person's own
        chat with the bot (a pointer stays in the group). Notices are the outbox's job."""
        moved = False
        for card in reply.cards:
            shown = await self._render(card)
            if private or not card.private:
                if reply_to:
                    await self.api.reply(reply_to, shown)
                else:
                    await self.api.send("chat_id", chat_id, shown)
            else:
                await self.api.send("open_id", person, shown)
                moved = True
        if moved:
            pointer = render.card(Card(title=st.PRIVATE_TITLE, lines=(st.PRIVATE_POINTER,)))
            if reply_to:
                await self.api.reply(reply_to, pointer)
            else:
                await self.api.send("chat_id", chat_id, pointer)

    async def _render(self, card: Card) -> Json:
        """A card as card JSON, its image (a chart) uploaded first to show in it; an upload
        that fails leaves the image named on the card instead, and the card is still sent."""
        return render.card(card, image_key=await self.api.image_key(card.image))

    # --- card callbacks ------------------------------------------------------------------

    async def _on_card(self, event: Mapping[str, Any]) -> Json:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.ack_budget  # the answer must be back within Feishu's 3 s
        action = parse.card_action(event)
        if action is None:
            return {}
        actor, _ = await self.users.actor(action.operator)
        if actor is None:
            return {"toast": {"type": "error", "content": t.UNLINKED_TITLE}}
        if action.form is not None:
            problems = parse.check_inputs(action.form, action.values)
            if problems:
                return _refused_form(action, problems)
        work = asyncio.ensure_future(asyncio.to_thread(self.dispatcher.press, actor, action.press))
        done, _ = await asyncio.wait({work}, timeout=max(0.0, deadline - loop.time()))
        if not done:
            self._later(self._finish_late(work, action))
            return {"toast": {"type": "info", "content": st.WORKING}}
        return await self._card_answer(work.result(), action, deadline=deadline)

    async def _card_answer(
        self, reply: Reply, action: parse.CardAction, *, deadline: float | None = None
    ) -> Json:
        """The callback's answer: a toast, and the card updated when the press decided
        something; what else the reply holds is sent as messages. The updated card's chart
        is uploaded first, if that is done by `deadline` (loop time; None: no limit);
        otherwise the card names the chart and is patched with it once uploaded."""
        if is_stale(reply):
            return {"toast": {"type": "info", "content": render.summary(reply)}}
        if reply.errors and action.form is not None:
            return _refused_form(action, reply.errors)
        private = await asyncio.to_thread(self._in_private, action)
        form_card = next((c for c in reply.cards if c.form is not None), None)
        decision = reply.ok and form_card is None and action.press.action not in INFO_ACTIONS
        answer: Json = {"toast": render.toast(reply)}
        rest = reply
        if decision and action.message_id:
            first = reply.cards[0] if reply.cards else Card(title=st.DONE)
            if private or not first.private:
                answer["card"] = {
                    "type": "raw",
                    "data": await self._decided(reply, action, deadline),
                }
                rest = Reply(cards=reply.cards[1:], ok=reply.ok)
            else:  # a group's card shows that it was handled; the figures go in private
                shown = Reply(cards=(Card(title=st.DONE, private=False),), ok=reply.ok)
                answer["card"] = {"type": "raw", "data": render.decided(shown)}
        if rest.cards:
            self._later(self._send(rest, action.chat_id, private, action.operator))
        return answer

    async def _decided(
        self, reply: Reply, action: parse.CardAction, deadline: float | None
    ) -> Json:
        """The card a decision leaves in place, with its chart when the upload is done by
        `deadline`. A slower upload goes on after the callback is answered (the card names
        the chart meanwhile) and the message is patched with the image when it is done;
        a refused upload leaves the chart named."""
        first = reply.cards[0] if reply.cards else None
        if first is None or first.image is None:
            return render.decided(reply)
        upload = asyncio.ensure_future(self.api.image_key(first.image))
        left = None if deadline is None else max(0.0, deadline - asyncio.get_running_loop().time())
        done, _ = await asyncio.wait({upload}, timeout=left)
        if done:
            return render.decided(reply, image_key=upload.result())
        answered = asyncio.get_running_loop().time()
        self._later(self._show_when_uploaded(upload, reply, action.message_id, answered))
        return render.decided(reply)

    async def _show_when_uploaded(
        self, upload: asyncio.Future[str], reply: Reply, message_id: str, answered: float
    ) -> None:
        """The decided card patched with its chart once the late upload is done (the card
        was answered, naming the chart, in the callback's response at loop time `answered`)."""
        key = await upload
        if not key:  # refused: the card keeps naming the chart
            return
        loop = asyncio.get_running_loop()
        await asyncio.sleep(max(0.0, answered + AFTER_ANSWER - loop.time()))
        await self.api.patch(message_id, render.decided(reply, image_key=key))

    async def _finish_late(self, work: asyncio.Future[Reply], action: parse.CardAction) -> None:
        """Work past the callback's budget: the card updated through the API when done."""
        reply = await work
        answer = await self._card_answer(reply, action)
        card = (answer.get("card") or {}).get("data")
        if card is not None and action.message_id:
            await self.api.patch(action.message_id, card)

    def _in_private(self, action: parse.CardAction) -> bool:
        """Whether the card sits in the operator's own chat with the bot."""
        return bool(action.chat_id) and action.chat_id == self.users.private_chat(action.operator)

    # --- plumbing ------------------------------------------------------------------------


def _say(title: str, *lines: str) -> Card:
    return Card(title=title, lines=lines, private=False)


def _stranger(private: bool, person: Person | None) -> Card:
    """The friendly explanation for someone perfbot doesn't know."""
    if not private:
        return _say(st.UNKNOWN_USER_TITLE, st.UNKNOWN_USER_GROUP)
    emails = ", ".join(person.emails) if person is not None and person.emails else st.NO_EMAIL
    return _say(st.UNKNOWN_USER_TITLE, st.UNKNOWN_USER.format(email=emails))


def _refused_form(action: parse.CardAction, problems: Sequence[tuple[str, str]]) -> Json:
    """The form shown again in place, each problem under its input, what was typed kept."""
    assert action.form is not None
    kept = tuple(
        replace(i, initial=action.values.get(i.name, i.initial)) for i in action.form.inputs
    )
    form = replace(action.form, inputs=kept)
    card = render.card(Card(title=form.title, form=form), problems=tuple(problems))
    first = problems[0][1] if problems else t.INVALID_TITLE
    return {
        "toast": {"type": "error", "content": render.cut(first, 100)},
        "card": {"type": "raw", "data": card},
    }
