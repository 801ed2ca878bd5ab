"""The Bolt AsyncApp: slash commands, buttons, modals and the Home tab, wired to the handlers.

Handlers are synchronous SQLAlchemy code, so every call runs in a worker thread
(`asyncio.to_thread`) and the event loop stays free to ack other requests.
`process_before_response=True`: a slash command is acked with its answer when the
handler is quick (one round trip, no extra API call); after ACK_BUDGET the ack says
"working on it" and the answer follows on the response_url. Buttons, events and
everything else that needs Web API calls run after the ack, as background tasks.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack import parse, render
from bot.slack.users import SlackUsers
from handlers import strings_en as t
from handlers.actor import Actor
from handlers.cards import Card, Form, Reply
from handlers.dispatch import Dispatcher
from handlers.press import Press
from store import processed
from store.uow import Clock, UnitOfWork

log = logging.getLogger(__name__)
ACK_BUDGET = 2.0  # seconds a command may take before the ack says "working on it"
# Presses that only show something: the message they came from stays as it is.
INFO_ACTIONS = frozenset({"ex", "sc", "hm"})
Ack = Callable[..., Awaitable[None]]


class SlackApp:
    """Owns the Bolt app and the few background tasks it starts."""

    def __init__(
        self,
        *,
        dispatcher: Dispatcher,
        uow: Callable[[], UnitOfWork],
        clock: Clock,
        client: AsyncWebClient,
        signing_secret: str,
    ) -> None:
        self.dispatcher, self.uow, self.clock, self.client = dispatcher, uow, clock, client
        self.users = SlackUsers(uow)
        self.ack_budget = ACK_BUDGET
        self._tasks: set[asyncio.Task[None]] = set()
        self.app = AsyncApp(
            client=client,
            signing_secret=signing_secret,
            process_before_response=True,
            # server.asgi checks every signature over the raw bytes before Bolt sees the
            # request (and Socket Mode needs none): checking again here is only cost.
            request_verification_enabled=False,
        )
        self.app.middleware(self._dedupe_events)
        self.app.command(re.compile(r"^/"))(self._on_command)
        self.app.action(re.compile(r".+"))(self._on_action)
        self.app.view(render.SUBMIT_CALLBACK)(self._on_submit)
        self.app.event("app_home_opened")(self._on_home)
        self.app.error(self._on_error)

    async def drain(self) -> None:
        """Wait for background work (shutdown, tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    # --- listeners ----------------------------------------------------------------------

    async def _on_command(self, ack: Ack, body: dict[str, Any], respond: Any) -> None:
        cmd = parse.slash_command(body)
        # One trip to a worker thread for a linked person: who, the use case, the blocks.
        work = asyncio.ensure_future(asyncio.to_thread(self._answer, cmd.user_id, cmd.text))
        done, _ = await asyncio.wait({work}, timeout=self.ack_budget)
        if not done:
            await ack(response_type="ephemeral", text=t.SLACK_WORKING)
            self._later(self._answer_late(work, respond, cmd.user_id, cmd.text))
            return
        answered = work.result()
        if answered is None:  # not linked yet: users.info, then link (or explain)
            actor = await self.users.actor(cmd.user_id, self.client)
            if actor is None:
                stranger = Reply(cards=(await self._stranger(cmd.user_id),))
                await ack(**render.reply_message(stranger))
                return
            reply = await asyncio.to_thread(self.dispatcher.text, actor, cmd.text)
            answered = reply, render.reply_message(reply)
        reply, rendered = answered
        form = _form(reply)
        if form is not None and cmd.trigger_id:
            meta = parse.form_metadata(form.action, form.value, None)
            if await self._open(cmd.trigger_id, render.modal(form, meta)):
                rest = _without_form(reply)
                await ack(**render.reply_message(rest)) if rest.cards else await ack()
                return
        await ack(**rendered)
        self._send_images(reply, cmd.user_id)

    async def _on_action(self, ack: Ack, body: dict[str, Any], respond: Any) -> None:
        await ack()
        self._later(self._press(parse.button_press(body), respond))

    async def _on_submit(self, ack: Ack, body: dict[str, Any]) -> None:
        sub = parse.form_submission(body)
        blocks = body["view"].get("blocks") or []
        actor = await self.users.actor(sub.user_id, self.client)
        first = next((b.get("block_id") for b in blocks if b.get("block_id")), "")
        if actor is None:
            await ack(response_action="errors", errors={first: t.SLACK_UNKNOWN_USER_TITLE})
            return
        problems = _check_inputs(blocks, sub.press.form)
        if problems:
            await ack(response_action="errors", errors=problems)
            return
        reply = await asyncio.to_thread(self.dispatcher.press, actor, sub.press)
        if reply.errors:
            ids = {b.get("block_id") for b in blocks}
            errors = {(k if k in ids else first): v for k, v in reply.errors}
            await ack(response_action="errors", errors=errors)
            return
        form = _form(reply)
        if form is not None:  # a follow-up form, e.g. "tell us more"
            meta = parse.form_metadata(form.action, form.value, None)
            await ack(response_action="update", view=render.modal(form, meta))
            return
        await ack(response_action="update", view=render.result_view(reply))
        if reply.ok and sub.origin.get("t") and sub.press.action not in INFO_ACTIONS:
            self._later(self._mark_decided(sub.origin, reply))
        self._send_images(reply, sub.user_id)

    async def _on_home(self, event: dict[str, Any]) -> None:
        if event.get("tab", "home") == "home":
            self._later(self._publish_home(str(event["user"])))

    async def _dedupe_events(self, body: dict[str, Any], next: Callable[[], Awaitable[Any]]) -> Any:
        """A retried event (X-Slack-Retry-Num) whose id was already claimed is acked, not run."""
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if isinstance(event_id, str) and event_id:
            first = await asyncio.to_thread(self._claim, event_id)
            if not first:
                log.info("event %s already handled; retry ignored", event_id)
                return BoltResponse(status=200, body="")
        return await next()

    async def _on_error(self, error: Exception, body: dict[str, Any]) -> BoltResponse:
        log.error("slack listener failed: %r", error, exc_info=error)
        if "command" in body:  # the person still gets an answer, not Slack's "failed" line
            reply = Reply.say(t.ERROR_TITLE, t.INTERNAL_ERROR, ok=False)
            return BoltResponse(status=200, body=render.reply_message(reply))
        return BoltResponse(status=200, body="")

    # --- the work after the ack ---------------------------------------------------------

    async def _press(self, bp: parse.ButtonPress, respond: Any) -> None:
        actor = await self.users.actor(bp.user_id, self.client)
        if actor is None:
            await self._show(bp, respond, Reply(cards=(await self._stranger(bp.user_id),)))
            return
        if bp.press.action == render.FORM_OPEN:
            form = render.form_from_button(bp.press.value)
            if form is None:
                await self._show(bp, respond, Reply.say(t.STALE_TITLE, t.SLACK_FORM_GONE))
            else:
                meta = parse.form_metadata(form.action, form.value, bp)
                await self._open(bp.trigger_id, render.modal(form, meta))
            return
        reply = await asyncio.to_thread(self.dispatcher.press, actor, bp.press)
        form = _form(reply)
        if form is not None and bp.trigger_id:
            meta = parse.form_metadata(form.action, form.value, bp)
            if await self._open(bp.trigger_id, render.modal(form, meta)):
                return
        self._send_images(reply, bp.user_id)
        if bp.container == "view":  # the Home tab: refresh it, show the answer in a modal
            if bp.press.action == "hm":
                await self._publish(bp.user_id, reply.cards)
                return
            await self._open(bp.trigger_id, render.result_view(reply))
            await self._publish_home(bp.user_id, actor)
            return
        if reply.ok and form is None and bp.press.action not in INFO_ACTIONS and bp.message_ts:
            origin = {
                "c": bp.channel_id,
                "t": bp.message_ts,
                "e": bp.ephemeral,
                "u": bp.response_url,
                "i": bp.action_id,
            }
            await self._mark_decided(origin, reply, bp.blocks)
            return
        await self._show(bp, respond, reply)

    async def _mark_decided(
        self, origin: dict[str, Any], reply: Reply, blocks: tuple[dict[str, Any], ...] = ()
    ) -> None:
        """Update the original card in place so nobody presses its stale button again."""
        channel, ts = str(origin.get("c") or ""), str(origin.get("t") or "")
        if not blocks and channel and ts and not origin.get("e"):
            blocks = await self._message_blocks(channel, ts)
        updated = render.decided(blocks, str(origin.get("i") or ""), reply.cards)
        text = render.fallback(reply.cards)
        try:
            if origin.get("e") and origin.get("u"):
                await self._post_response(str(origin["u"]), text, updated, replace=True)
            elif channel and ts:
                await self.client.chat_update(channel=channel, ts=ts, text=text, blocks=updated)
        except SlackApiError as exc:
            log.warning("could not update message %s/%s: %s", channel, ts, exc)

    async def _message_blocks(self, channel: str, ts: str) -> tuple[dict[str, Any], ...]:
        """A message's blocks, for a form submitted long after its button was pressed."""
        try:
            resp = await self.client.conversations_history(
                channel=channel, latest=ts, inclusive=True, limit=1
            )
        except SlackApiError:
            return ()
        messages = resp.get("messages") or []
        return tuple(messages[0].get("blocks") or ()) if messages else ()

    async def _show(self, bp: parse.ButtonPress, respond: Any, reply: Reply) -> None:
        """An ephemeral answer to the person who pressed (the message stays as it was)."""
        if bp.response_url:
            msg = render.message(reply.cards)
            await self._post_response(bp.response_url, msg["text"], msg["blocks"], replace=False)
        elif bp.trigger_id:
            await self._open(bp.trigger_id, render.result_view(reply))

    async def _post_response(
        self, url: str, text: str, blocks: list[dict[str, Any]], *, replace: bool
    ) -> None:
        from slack_sdk.webhook.async_client import AsyncWebhookClient

        resp = await AsyncWebhookClient(url).send(
            text=text,
            blocks=blocks,
            response_type="ephemeral",
            replace_original=replace,
        )
        if resp.status_code >= 400:
            log.warning("response_url answered %s: %s", resp.status_code, resp.body[:200])

    def _answer(self, user_id: str, text: str) -> tuple[Reply, dict[str, Any]] | None:
        """A linked person's command, answered and rendered; None for someone not linked."""
        actor = self.users.known(user_id)
        if actor is None:
            return None
        reply = self.dispatcher.text(actor, text)
        return reply, render.reply_message(reply)

    async def _answer_late(
        self,
        work: asyncio.Future[tuple[Reply, dict[str, Any]] | None],
        respond: Any,
        user_id: str,
        text: str,
    ) -> None:
        answered = await work
        if answered is None:
            actor = await self.users.actor(user_id, self.client)
            if actor is None:
                await respond(**render.reply_message(Reply(cards=(await self._stranger(user_id),))))
                return
            answered = await asyncio.to_thread(self._answer, user_id, text)
            if answered is None:
                return
        reply, rendered = answered
        await respond(**rendered)
        self._send_images(reply, user_id)

    async def _publish_home(self, user_id: str, actor: Actor | None = None) -> None:
        actor = actor or await self.users.actor(user_id, self.client)
        if actor is None:
            await self._publish(user_id, (await self._stranger(user_id),))
            return
        reply = await asyncio.to_thread(self.dispatcher.press, actor, Press("hm", ""))
        await self._publish(user_id, reply.cards)

    async def _publish(self, user_id: str, cards: tuple[Card, ...]) -> None:
        await self.client.views_publish(user_id=user_id, view=render.home_view(cards))

    async def _open(self, trigger_id: str, view: dict[str, Any]) -> bool:
        if not trigger_id:
            return False
        try:
            await self.client.views_open(trigger_id=trigger_id, view=view)
            return True
        except SlackApiError as exc:  # e.g. an expired trigger: fall back to a message
            log.warning("views.open failed: %s", exc.response.get("error"))
            return False

    def _send_images(self, reply: Reply, user_id: str) -> None:
        images = [c.image for c in reply.cards if c.image is not None]
        if images:
            self._later(self._upload(images, user_id))

    async def _upload(self, images: list[Any], user_id: str) -> None:
        opened = await self.client.conversations_open(users=user_id)
        channel = opened["channel"]["id"]
        for image in images:
            await self.client.files_upload_v2(
                channel=channel, content=image.data, filename=image.filename, title=image.alt
            )

    async def _stranger(self, user_id: str) -> Card:
        """The friendly explanation for someone perfbot doesn't know."""
        email, _ = await self.users.email(user_id, self.client)
        return Card(
            title=t.SLACK_UNKNOWN_USER_TITLE,
            lines=(t.SLACK_UNKNOWN_USER.format(email=email or t.SLACK_NO_EMAIL),),
        )

    def _claim(self, event_id: str) -> bool:
        with self.uow() as uow:
            now = uow.clock()
            first = processed.claim(uow.session, platform="slack", event_id=event_id, now=now)
            uow.commit()
            return first

    def _later(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(_logged(coro))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


async def _logged(coro: Coroutine[Any, Any, None]) -> None:
    try:
        await coro
    except Exception:  # background work has nobody to raise to; the log has it
        log.exception("slack background task failed")


def _form(reply: Reply) -> Form | None:
    return next((c.form for c in reply.cards if c.form is not None), None)


def _without_form(reply: Reply) -> Reply:
    return Reply(cards=tuple(c for c in reply.cards if c.form is None), ok=reply.ok)


def _check_inputs(blocks: list[dict[str, Any]], form: Mapping[str, str]) -> dict[str, str]:
    """Inline errors for empty required inputs and numbers that aren't, before any handler."""
    problems: dict[str, str] = {}
    for block in blocks:
        if block.get("type") != "input":
            continue
        name, value = str(block.get("block_id")), form.get(str(block.get("block_id")), "")
        if not value and not block.get("optional"):
            problems[name] = t.SLACK_REQUIRED
        elif value and (block.get("element") or {}).get("type") == "number_input":
            try:
                Decimal(value.replace(",", ""))
            except InvalidOperation:
                problems[name] = t.SLACK_NOT_NUMBER
    return problems
