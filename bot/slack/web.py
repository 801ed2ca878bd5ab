"""Web API follow-ups after an ack: update a decided card, answer privately, open a modal,
publish the Home tab, upload a chart."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.slack import parse, render
from handlers.cards import Card, Image, Reply

log = logging.getLogger(__name__)


class SlackWeb:
    """The calls perfbot makes after acknowledging a request."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    async def mark_decided(
        self, origin: dict[str, Any], reply: Reply, blocks: tuple[dict[str, Any], ...] = ()
    ) -> None:
        """Update the original card in place so nobody presses its stale button again."""
        channel, ts = str(origin.get("c") or ""), str(origin.get("t") or "")
        if not blocks and channel and ts and not origin.get("e"):
            blocks = await self.message_blocks(channel, ts)
        updated = render.decided(blocks, str(origin.get("i") or ""), reply.cards)
        text = render.fallback(reply.cards)
        try:
            if origin.get("e") and origin.get("u"):
                await self.post_response(str(origin["u"]), text, updated, replace=True)
            elif channel and ts:
                await self.client.chat_update(channel=channel, ts=ts, text=text, blocks=updated)
        except SlackApiError as exc:
            log.warning("could not update message %s/%s: %s", channel, ts, exc)

    async def message_blocks(self, channel: str, ts: str) -> tuple[dict[str, Any], ...]:
        """A message's blocks, for a form submitted long after its button was pressed."""
        try:
            resp = await self.client.conversations_history(
                channel=channel, latest=ts, inclusive=True, limit=1
            )
        except SlackApiError:
            return ()
        messages = resp.get("messages") or []
        return tuple(messages[0].get("blocks") or ()) if messages else ()

    async def show(self, bp: parse.ButtonPress, reply: Reply) -> None:
        """An ephemeral answer to the person who pressed (the message stays as it was)."""
        if bp.response_url:
            msg = render.message(reply.cards)
            await self.post_response(bp.response_url, msg["text"], msg["blocks"], replace=False)
        elif bp.trigger_id:
            await self.open(bp.trigger_id, render.result_view(reply))

    async def post_response(
        self, url: str, text: str, blocks: list[dict[str, Any]], *, replace: bool
    ) -> None:
        resp = await AsyncWebhookClient(url).send(
            text=text,
            blocks=blocks,
            response_type="ephemeral",
            replace_original=replace,
        )
        if resp.status_code >= 400:
            log.warning("response_url answered %s: %s", resp.status_code, resp.body[:200])

    async def publish(self, user_id: str, cards: tuple[Card, ...]) -> None:
        await self.client.views_publish(user_id=user_id, view=render.home_view(cards))

    async def push(self, trigger_id: str, view: dict[str, Any]) -> bool:
        """A modal on top of the open one (views.open can't be used from inside a modal)."""
        try:
            await self.client.views_push(trigger_id=trigger_id, view=view)
            return True
        except SlackApiError as exc:
            log.warning("views.push failed: %s", exc.response.get("error"))
            return False

    async def open(self, trigger_id: str, view: dict[str, Any]) -> bool:
        if not trigger_id:
            return False
        try:
            await self.client.views_open(trigger_id=trigger_id, view=view)
            return True
        except SlackApiError as exc:  # e.g. an expired trigger: fall back to a message
            log.warning("views.open failed: %s", exc.response.get("error"))
            return False

    async def upload(self, images: list[Image], user_id: str) -> None:
        opened = await self.client.conversations_open(users=user_id)
        channel = opened["channel"]["id"]
        for image in images:
            await self.client.files_upload_v2(
                channel=channel, content=image.data, filename=image.filename, title=image.alt
            )
