"""A reply's cards sent where each may go, answering a message and a card callback alike:
private cards from a group go to the person's own chat with the bot (a pointer stays in
the group). A card's chart is uploaded first to show in it; a refused upload leaves the
chart named on the card, and the card is still sent."""

from __future__ import annotations

from typing import Any

from bot.feishu import render
from bot.feishu import texts as st
from bot.feishu.api import FeishuApi
from handlers.cards import Card, Reply

Json = dict[str, Any]


async def send(
    api: FeishuApi, reply: Reply, chat_id: str, private: bool, person: str, *, reply_to: str = ""
) -> None:
    """Each card of `reply` to `chat_id` (as a reply to `reply_to` when given), a private
    card from a group to `person` instead. With neither a chat nor a message to answer (a
    legacy card callback names no chat) every card goes to `person`. Notices are the
    outbox's job."""
    if not chat_id and not reply_to:
        for card in reply.cards:
            await api.send("open_id", person, await rendered(api, card))
        return
    moved = False
    for card in reply.cards:
        shown = await rendered(api, card)
        if private or not card.private:
            if reply_to:
                await api.reply(reply_to, shown)
            else:
                await api.send("chat_id", chat_id, shown)
        else:
            await api.send("open_id", person, shown)
            moved = True
    if moved:
        pointer = render.card(Card(title=st.PRIVATE_TITLE, lines=(st.PRIVATE_POINTER,)))
        if reply_to:
            await api.reply(reply_to, pointer)
        else:
            await api.send("chat_id", chat_id, pointer)


async def rendered(api: FeishuApi, card: Card) -> Json:
    """A card as card JSON, its image (a chart) uploaded first to show in it."""
    return render.card(card, image_key=await api.image_key(card.image))
