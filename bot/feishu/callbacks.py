"""FeishuApp's card callbacks, answered in their response: a toast and, after a decision,
the card updated in place; work that outlasts ACK_BUDGET says "working on it" and updates
the card through the API when done. A card updated in place gets its chart in the answer
when the upload fits in the budget, else through a later PATCH.

The message-card request URL's legacy callback (card.action.trigger_v1) acts the same,
but its answer may hold only a toast or a card JSON 1.0 (消息卡片回传交互（旧）, 响应回调
的结构体), and perfbot's cards are 2.0: the decided card is patched in after the answer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import replace
from typing import Any

from bot.feishu import parse, render, sending
from bot.feishu import texts as st
from bot.feishu.api import FeishuApi
from bot.feishu.users import FeishuUsers
from bot.presses import INFO_ACTIONS, is_stale
from handlers import strings as t
from handlers.actor import Actor
from handlers.cards import Card, Reply
from handlers.dispatch import Dispatcher
from handlers.i18n import speaking

ACK_BUDGET = 2.5  # seconds of work inside a card callback (Feishu waits 3)
# A card updated through the API after the callback's answer waits this long after that
# answer: Feishu says an update made before its callback returns behaves unpredictably
# (delay-update-message-card's notes; assumed to hold for PATCH too).
AFTER_ANSWER = 0.5
Json = dict[str, Any]


class CardCallbacks:
    """The card-callback half of FeishuApp (which sets these attributes)."""

    api: FeishuApi
    dispatcher: Dispatcher
    users: FeishuUsers
    ack_budget: float
    _later: Callable[[Coroutine[Any, Any, None]], None]

    async def _on_legacy_card(self, body: Mapping[str, Any]) -> Json:
        """A card.action.trigger_v1 callback: the press done as any other, the answer's
        toast kept and its 2.0 card patched onto the message once the answer is back."""
        answer = await self._on_card(body)
        card = answer.pop("card", None)
        message_id = str(body.get("open_message_id") or "")
        if isinstance(card, Mapping) and isinstance(card.get("data"), Mapping) and message_id:
            answered = asyncio.get_running_loop().time()
            self._later(self._patch_after(message_id, dict(card["data"]), answered))
        return answer

    async def _on_card(self, event: Mapping[str, Any]) -> Json:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.ack_budget  # the answer must be back within Feishu's 3 s
        action = parse.card_action(event)
        if action is None:
            return {}
        actor, _ = await self.users.actor(action.operator)
        if actor is None:
            return {"toast": {"type": "error", "content": t.UNLINKED_TITLE}}
        with speaking(actor.locale):  # the toasts, refused forms and updated card's own words
            return await self._on_card_as(actor, action, deadline)

    async def _on_card_as(self, actor: Actor, action: parse.CardAction, deadline: float) -> Json:
        loop = asyncio.get_running_loop()
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
            self._later(sending.send(self.api, rest, action.chat_id, private, action.operator))
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
        if key:  # refused: the card keeps naming the chart
            await self._patch_after(message_id, render.decided(reply, image_key=key), answered)

    async def _patch_after(self, message_id: str, card: Json, answered: float) -> None:
        """`card` onto the message, AFTER_ANSWER past the answer given at loop time `answered`."""
        loop = asyncio.get_running_loop()
        await asyncio.sleep(max(0.0, answered + AFTER_ANSWER - loop.time()))
        await self.api.patch(message_id, card)

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
