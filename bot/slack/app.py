"""The Bolt AsyncApp: slash commands, buttons, modals and the Home tab, wired to the handlers.

Handlers are synchronous SQLAlchemy code, so calls run in a worker thread
(`asyncio.to_thread`) and the event loop stays free to ack other requests; except the
quick reads (help, one's own score) on an embedded database (SQLite), which are answered
on the event loop: a fraction of a millisecond that holds the GIL wherever it runs, for
which the trip to a thread and back cost more than the work (bench/slack_load.py).
`process_before_response=True`: a slash command is acked with its answer when the
handler is quick (one round trip, no extra API call); after ACK_BUDGET the ack says
"working on it" and the answer follows on the response_url. Buttons, events and
everything else that needs Web API calls run after the ack, as background tasks.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot import texts as bt
from bot.background import Background
from bot.event_claims import EventClaims
from bot.presses import INFO_ACTIONS
from bot.slack import PLATFORM, parse, render
from bot.slack import texts as st
from bot.slack.users import SlackUsers
from bot.slack.web import SlackWeb
from handlers import strings as t
from handlers.actor import Actor
from handlers.cards import Card, Form, Reply
from handlers.commands import Command, Invalid
from handlers.commands import parse as parse_command
from handlers.dispatch import Dispatcher
from handlers.i18n import speaking
from handlers.people.chat_actor import stranger_locale
from handlers.press import Press
from store.uow import Clock, KeptConnection, UnitOfWork, UowFactory

log = logging.getLogger(__name__)
ACK_BUDGET = 2.0  # seconds a command may take before the ack says "working on it"
MENTIONED = f"<@{PLATFORM}:"  # a neutral mention of a Slack user in a command's text
Ack = Callable[..., Awaitable[None]]
ParsedCommand = Command | Invalid


class _TokenFromEnvironment(logging.Filter):
    """Drops Bolt's start-up warning "As you gave `client` as well, `token` will be unused.":
    Bolt reads SLACK_BOT_TOKEN from the environment by itself, and the client perfbot hands
    it was made with that same token. Not ours to say, and nothing an operator can act on."""

    notice = warning_client_prioritized_and_token_skipped()

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != self.notice


_BOLT_LOG = logging.getLogger(f"slack_bolt.{AsyncApp.__name__}")  # Bolt's own, for its app
_BOLT_LOG.addFilter(_TokenFromEnvironment())


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
        reads_on: KeptConnection | None = None,
    ) -> None:
        """`reads_on`: answer quick reads on the event loop, on this connection (for an
        embedded database; None: every command goes to a worker thread)."""
        self.dispatcher, self.uow, self.clock, self.client = dispatcher, uow, clock, client
        self.kept = reads_on
        self._loop_uow: UowFactory | None = (
            (lambda: uow().reads_on(reads_on)) if reads_on is not None else None
        )
        self.users = SlackUsers(uow)
        self.web = SlackWeb(client)
        self.ack_budget = ACK_BUDGET
        self.claims = EventClaims(uow, PLATFORM)
        self.background = Background(PLATFORM)
        self._later = self.background.later
        self.app = AsyncApp(
            client=client,
            signing_secret=signing_secret,
            process_before_response=True,
            # server.asgi checks every signature over the raw bytes before Bolt sees the
            # request (and Socket Mode needs none): checking again here is only cost.
            request_verification_enabled=False,
        )
        self.app.command(re.compile(r"^/"))(self._on_command)
        self.app.action(re.compile(r".+"))(self._on_action)
        self.app.view(render.SUBMIT_CALLBACK)(self._on_submit)
        self.app.event("app_home_opened")(self._on_home)
        self.app.error(self._on_error)

    async def drain(self) -> None:
        """Wait for background work (shutdown, tests), then close the kept connection."""
        await self.background.drain()
        if self.kept is not None:
            self.kept.close()

    # --- listeners ----------------------------------------------------------------------

    async def _on_command(self, ack: Ack, body: dict[str, Any], respond: Any) -> None:
        cmd = parse.slash_command(body)
        command = parse_command(cmd.text)
        loop = asyncio.get_running_loop()
        started = loop.time()
        if MENTIONED in cmd.text:
            await self._link_mentioned(cmd.text)
        work: asyncio.Future[Any]
        if self._loop_uow is not None and self.dispatcher.quick(command):
            # A quick read of an embedded database is a fraction of a millisecond of work
            # that holds the GIL wherever it runs: the trip to a thread and back cost more
            # than the read itself (bench/slack_load.py). So it is answered right here.
            work = loop.create_future()
            work.set_result(self._answer(cmd.user_id, command, self._loop_uow))
        else:
            # One trip to a worker thread for a linked person: who, the use case, the
            # blocks. (run_in_executor's future directly: to_thread would make a task.)
            # The context goes along, so the thread's log lines carry the request id.
            context = contextvars.copy_context()
            work = loop.run_in_executor(None, context.run, self._answer, cmd.user_id, command)
        done = {work} if work.done() else (await asyncio.wait({work}, timeout=self.ack_budget))[0]
        if done and work.result() is None:
            # Not linked yet (users.info, then link or explain): within what is left of the
            # budget too, or a first-time user's slow command would miss Slack's 3 seconds.
            work = asyncio.ensure_future(self._answer_first(cmd.user_id, command))
            left = self.ack_budget - (loop.time() - started)
            done, _ = await asyncio.wait({work}, timeout=max(0.0, left))
        if not done:
            with speaking(self.users.locale(cmd.user_id)):  # who it is isn't known yet
                await ack(response_type="ephemeral", text=st.WORKING)
            self._later(self._answer_late(work, respond, cmd.user_id, command))
            return
        reply, rendered = work.result()
        form = _form(reply)
        if form is not None and cmd.trigger_id:
            meta = parse.form_metadata(form.action, form.value, None)
            rest = _without_form(reply)
            with speaking(self.users.locale(cmd.user_id)):  # the modal's Cancel, Submit
                view, shown = render.modal(form, meta), render.reply_message(rest)
            if await self.web.open(cmd.trigger_id, view):
                await ack(**shown) if rest.cards else await ack()
                return
        await ack(**rendered)
        self._send_images(reply, cmd.user_id)

    async def _on_action(self, ack: Ack, body: dict[str, Any]) -> None:
        await ack()
        press = parse.button_press(body)
        if press.action_id.startswith(render.LINK):
            return  # a link button: the client opened the link, nothing to run
        self._later(self._press(press))

    async def _on_submit(self, ack: Ack, body: dict[str, Any]) -> None:
        sub = parse.form_submission(body)
        blocks = body["view"].get("blocks") or []
        actor = await self.users.actor(sub.user_id, self.client)
        first = next((b.get("block_id") for b in blocks if b.get("block_id")), "")
        if actor is None:
            with speaking(self.users.locale(sub.user_id)):
                await ack(response_action="errors", errors={first: bt.UNKNOWN_USER_TITLE})
            return
        with speaking(actor.locale):  # the modal's answer, in the person's language
            await self._submitted(ack, sub, blocks, actor, first)

    async def _submitted(
        self, ack: Ack, sub: parse.FormSubmission, blocks: list[Any], actor: Actor, first: str
    ) -> None:
        problems = parse.check_inputs(blocks, sub.press.form)
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
            self._later(self.web.mark_decided(sub.origin, reply))
        self._send_images(reply, sub.user_id)

    async def _on_home(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        if not await self._first_delivery(body):
            return
        if event.get("tab", "home") == "home":
            self._later(self._publish_home(str(event["user"])))

    async def _first_delivery(self, body: dict[str, Any]) -> bool:
        """False for a retried event (X-Slack-Retry-Num) whose id was already claimed: it is
        acked, not run. (Checked in the event listener, not in a global middleware, which
        every slash command and button would pay for too.)"""
        event_id = body.get("event_id")
        if isinstance(event_id, str) and event_id:
            first = await asyncio.to_thread(self.claims.claim, event_id)
            if not first:
                log.info("event %s already handled; retry ignored", event_id)
                return False
        return True

    async def _on_error(self, error: Exception, body: dict[str, Any]) -> BoltResponse:
        log.error("slack listener failed: %r", error, exc_info=error)
        if "command" in body:  # the person still gets an answer, not Slack's "failed" line
            with speaking(self.users.locale(str(body.get("user_id", "")))):
                reply = Reply.say(t.ERROR_TITLE, t.INTERNAL_ERROR, ok=False)
                return BoltResponse(status=200, body=render.reply_message(reply))
        return BoltResponse(status=200, body="")

    # --- the work after the ack ---------------------------------------------------------

    async def _press(self, bp: parse.ButtonPress) -> None:
        actor = await self.users.actor(bp.user_id, self.client)
        if actor is None:
            await self.web.show(bp, Reply(cards=(await self._stranger(bp.user_id),)))
            return
        with speaking(actor.locale):  # the answer and Slack's own words on it
            await self._press_as(bp, actor)

    async def _press_as(self, bp: parse.ButtonPress, actor: Actor) -> None:
        if bp.press.action == render.FORM_OPEN:
            form = render.form_from_button(bp.press.value)
            if form is None:
                await self.web.show(bp, Reply.say(t.STALE_TITLE, bt.FORM_GONE))
            else:
                meta = parse.form_metadata(form.action, form.value, bp)
                await self._modal(bp, render.modal(form, meta))
            return
        reply = await asyncio.to_thread(self.dispatcher.press, actor, bp.press)
        form = _form(reply)
        if form is not None and bp.trigger_id:
            meta = parse.form_metadata(form.action, form.value, bp)
            if await self._modal(bp, render.modal(form, meta)):
                return
        self._send_images(reply, bp.user_id)
        if bp.in_modal:  # a button on a result modal: the answer goes on top of it
            await self._modal(bp, render.result_view(reply))
            return
        if bp.container == "view":  # the Home tab: refresh it, show the answer in a modal
            if bp.press.action == "hm":
                await self.web.publish(bp.user_id, reply.cards)
                return
            await self.web.open(bp.trigger_id, render.result_view(reply))
            await self._publish_home(bp.user_id, actor)
            return
        if reply.ok and form is None and bp.press.action not in INFO_ACTIONS and bp.message_ts:
            await self.web.mark_decided(bp.origin(), reply, bp.blocks)
            return
        await self.web.show(bp, reply)

    async def _link_mentioned(self, text: str) -> None:
        """Slack turns every @name into a user id: link the people named who never used
        perfbot (users.info gives their e-mail, cached), so the command finds them. Bounded:
        a slow lookup leaves the name unresolved rather than missing Slack's 3 seconds."""
        ids = set(parse.mentioned_ids(text))
        lookups = [self.users.actor(uid, self.client) for uid in ids if not self.users.cached(uid)]
        if lookups:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.gather(*lookups), timeout=self.ack_budget / 2)

    def _answer(
        self, user_id: str, cmd: ParsedCommand, uow: UowFactory | None = None
    ) -> tuple[Reply, dict[str, Any]] | None:
        """A linked person's command, answered and rendered; None for someone not linked."""
        actor = self.users.known(user_id, uow)
        if actor is None:
            return None
        with speaking(actor.locale):  # the blocks' own words too
            reply = self.dispatcher.command(actor, cmd, uow=uow)
            return reply, render.reply_message(reply)

    async def _answer_first(self, user_id: str, cmd: ParsedCommand) -> tuple[Reply, dict[str, Any]]:
        """Someone not linked yet: found through users.info and linked, or told why not."""
        actor = await self.users.actor(user_id, self.client)
        if actor is None:
            reply = Reply(cards=(await self._stranger(user_id),))
        else:
            reply = await asyncio.to_thread(self.dispatcher.command, actor, cmd)
        with speaking(actor.locale if actor else self.users.locale(user_id)):
            return reply, render.reply_message(reply)

    async def _answer_late(
        self, work: asyncio.Future[Any], respond: Any, user_id: str, cmd: ParsedCommand
    ) -> None:
        answered = await work
        if answered is None:
            answered = await self._answer_first(user_id, cmd)
        reply, rendered = answered
        await respond(**rendered)
        self._send_images(reply, user_id)

    async def _modal(self, bp: parse.ButtonPress, view: dict[str, Any]) -> bool:
        """Open a modal, or push it onto the one the button was pressed in."""
        if bp.in_modal:
            return await self.web.push(bp.trigger_id, view)
        return await self.web.open(bp.trigger_id, view)

    async def _publish_home(self, user_id: str, actor: Actor | None = None) -> None:
        actor = actor or await self.users.actor(user_id, self.client)
        if actor is None:
            await self.web.publish(user_id, (await self._stranger(user_id),))
            return
        with speaking(actor.locale):
            reply = await asyncio.to_thread(self.dispatcher.press, actor, Press("hm", ""))
            await self.web.publish(user_id, reply.cards)

    def _send_images(self, reply: Reply, user_id: str) -> None:
        images = [c.image for c in reply.cards if c.image is not None]
        if images:
            self._later(self.web.upload(images, user_id))

    async def _stranger(self, user_id: str) -> Card:
        """The friendly explanation for someone perfbot doesn't know."""
        email, _ = await self.users.email(user_id, self.client)
        says = self.users.locale(user_id)  # their Slack app's, else the company's language
        with speaking(await asyncio.to_thread(stranger_locale, self.uow(), says)):
            return Card(
                title=bt.UNKNOWN_USER_TITLE,
                lines=(st.UNKNOWN_USER.format(email=email or st.NO_EMAIL),),
            )


def _form(reply: Reply) -> Form | None:
    return next((c.form for c in reply.cards if c.form is not None), None)


def _without_form(reply: Reply) -> Reply:
    return Reply(cards=tuple(c for c in reply.cards if c.form is None), ok=reply.ok)
