"""The Telegram app: PTB updates in, the dispatcher's cards out (with build, send, deliver
and server, the only SDK wiring). Private figures never go to a group; forms become short
conversations."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from telegram import Bot, Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application, ContextTypes, TypeHandler

from bot import logs
from bot.event_claims import EventClaims
from bot.presses import is_stale
from bot.telegram import PLATFORM
from bot.telegram import texts as st
from bot.telegram.build import menus
from bot.telegram.conversation import Ask, Conversations, Key, Submit
from bot.telegram.parse import Me, Sender, Tap, Text, parse_update, to_press, without_button
from bot.telegram.render import esc, prompt, toast
from bot.telegram.send import markup, patiently, send_card, send_html
from handlers import strings as t
from handlers.actor import Actor
from handlers.cards import Card, Reply
from handlers.commands import Invalid, Start, parse
from handlers.dispatch import Dispatcher
from handlers.i18n import speaking
from handlers.identity import ChatAccount
from handlers.people.chat_actor import actor_for_chat, stranger_locale
from handlers.people.link_account import link_account, unlinked_reply, welcome
from handlers.registry import ACTIONS
from store.uow import Clock, UnitOfWork

log = logging.getLogger(__name__)


class TelegramApp:
    """Routes each update: link, answer a form, run a command or a button press."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        *,
        dispatcher: Dispatcher,
        uow: Callable[[], UnitOfWork],
        clock: Clock,
        start_links: dict[str, str],
    ) -> None:
        """`start_links`: where this bot's deep link is put once it knows its name."""
        self.application, self.dispatcher = application, dispatcher
        self.uow, self.clock = uow, clock
        self.start_links = start_links
        self.bot: Bot = application.bot
        self.conversations = Conversations()
        self.me = Me(0, "")
        self.claims = EventClaims(uow, PLATFORM)
        application.add_handler(TypeHandler(Update, self.on_update))
        application.add_error_handler(self._on_error)

    async def initialize(self) -> None:
        """getMe (a bad token fails here), then register the command menu."""
        await self.application.initialize()
        self.me = Me(self.bot.id, self.bot.username)
        self.start_links[PLATFORM] = f"https://t.me/{self.me.username}?start={{code}}"
        for language, commands in menus():
            try:
                await patiently(partial(self.bot.set_my_commands, commands, language_code=language))
            except TelegramError as exc:  # the menu is a convenience; commands work without it
                log.warning("could not register the command menu (setMyCommands): %s", exc)
                break

    async def on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Every update the application receives, its log lines tagged with its id."""
        with logs.bound(request=f"tg-{update.update_id}", on=PLATFORM):
            await self._on_update(update)

    async def _on_update(self, update: Update) -> None:
        incoming = parse_update(update.to_dict(), self.me)
        if incoming is None:
            return
        # Telegram delivers again what it thinks failed (a webhook answered late, polling
        # restarted before its offset was confirmed): each update acts once, on any replica.
        if not await asyncio.to_thread(self._claim, update.update_id):
            log.info("update %s already handled", update.update_id)
            return
        try:
            if isinstance(incoming, Tap):
                await self._on_tap(incoming)
            elif isinstance(incoming, Text):
                await self._on_text(incoming)
        except Exception:  # a bug must cost the person one apology, not their answer
            log.exception("Telegram update %s failed", update.update_id)
            await self._apologise(incoming)

    def _claim(self, update_id: int) -> bool:
        # Telegram keeps re-delivering an unconfirmed update for up to a day.
        return self.claims.claim(f"{PLATFORM}:{self.me.id}:{update_id}")  # ids count per bot

    async def _apologise(self, incoming: Text | Tap | None) -> None:
        if incoming is None:
            return
        with speaking(incoming.sender.language):  # who it was may be what failed to load
            await self._apologise_to(incoming)

    async def _apologise_to(self, incoming: Text | Tap) -> None:
        if isinstance(incoming, Tap):
            await self._answer(incoming, t.ERROR_TITLE)
        private = incoming.private and incoming.chat_id is not None
        chat = incoming.chat_id if private and incoming.chat_id else incoming.sender.user_id
        try:
            await send_html(self.bot, chat, esc(t.INTERNAL_ERROR))
        except TelegramError:
            log.warning("could not tell %s about the failure either", chat)

    async def _on_text(self, m: Text) -> None:
        key: Key = (m.chat_id, m.sender.user_id)
        now = self.clock()
        word = m.text.split(maxsplit=1)[0].lstrip("/").casefold()  # the bot's name is gone (parse)
        if m.command and word == "cancel":
            left = self.conversations.cancel(key)
            actor = await self._actor(m.sender, m.chat_id if m.private else None)
            with speaking(_language(actor, m.sender)):
                text = st.FORM_CANCELLED if left else st.NOTHING_TO_CANCEL
            await send_html(self.bot, m.chat_id, esc(text), reply_to=m.message_id)
            return
        if self.conversations.active(key, now) and (not m.command or word == "skip"):
            actor = await self._actor(m.sender, m.chat_id if m.private else None)
            with speaking(_language(actor, m.sender)):
                step = self.conversations.answer(key, m.text, now)  # its problem, worded
            if actor is not None and step is not None:
                await self._step(step, key, actor, m.sender)
            return
        self.conversations.cancel(key)  # a new command leaves a half-filled form
        if m.command and word == "start":
            await self._on_start(m)
            return
        if not m.private and not m.command:
            return  # a group reply to the bot that isn't a command: chatter
        dm = m.chat_id if m.private else None
        actor, reply = await self._as(m.sender, dm, lambda a: self.dispatcher.text(a, m.text))
        if actor is None or reply is None:
            await self._unlinked(m.chat_id, m.private, m.sender, m.message_id)
            return
        await self._send(reply, m.chat_id, m.private, m.sender, actor, reply_to=m.message_id)

    async def _on_start(self, m: Text) -> None:
        with speaking(await self._stranger_locale(m.sender)):  # not linked yet, perhaps
            await self._on_start_in(m)

    async def _on_start_in(self, m: Text) -> None:
        cmd = parse(m.text)
        if isinstance(cmd, Start) and cmd.code and not m.private:
            await send_html(self.bot, m.chat_id, esc(st.START_IN_PRIVATE), reply_to=m.message_id)
            return
        if isinstance(cmd, Start) and cmd.code:
            reply = await asyncio.to_thread(self._link, cmd.code, m.sender, m.chat_id)
        elif isinstance(cmd, Invalid):
            reply = Reply.say(t.INVALID_TITLE, cmd.problem, cmd.usage, ok=False)
        else:
            actor = await self._actor(m.sender, m.chat_id if m.private else None)
            if actor is None:
                await self._unlinked(m.chat_id, m.private, m.sender, m.message_id)
                return
            reply = welcome(actor)
        await self._send(reply, m.chat_id, m.private, m.sender, None, reply_to=m.message_id)

    def _link(self, code: str, sender: Sender, chat_id: int) -> Reply:
        return link_account(
            code,
            uow=self.uow(),
            user_id=str(sender.user_id),
            username=sender.username,
            dm_channel=str(chat_id),
            platform=PLATFORM,
        )

    async def _on_tap(self, tap: Tap) -> None:
        chat_id = tap.chat_id if tap.chat_id is not None else tap.sender.user_id
        private = tap.private or tap.chat_id is None
        press = to_press(tap.data, ACTIONS.keys())
        dm = chat_id if tap.private else None
        actor, reply = await self._as(tap.sender, dm, lambda a: self.dispatcher.press(a, press))
        if actor is None or reply is None:
            with speaking(await self._stranger_locale(tap.sender)):
                await self._answer(tap, t.UNLINKED_TITLE)
            return
        with speaking(_language(actor, tap.sender)):  # the toasts' own words
            await self._after_tap(tap, reply, actor, chat_id, private)

    async def _after_tap(
        self, tap: Tap, reply: Reply, actor: Actor, chat_id: int, private: bool
    ) -> None:
        if is_stale(reply):
            await self._stale(tap, reply)
            return
        await self._answer(tap, toast(reply))
        await self._send(reply, chat_id, private, tap.sender, actor)

    async def _answer(self, tap: Tap, text: str) -> None:
        """Stop the button's spinner with a short note; if Telegram refuses (a query older
        than it keeps), the reply itself still goes out."""
        try:
            await patiently(lambda: self.bot.answer_callback_query(tap.query_id, text))
        except TelegramError as exc:
            log.info("answerCallbackQuery refused: %s", exc)

    async def _stale(self, tap: Tap, reply: Reply) -> None:
        """Say so on the button and take the stale button off the message."""
        lines = {line for card in reply.cards for line in card.lines}
        text = t.ALREADY_HANDLED if t.ALREADY_HANDLED in lines else toast(reply)
        await self._answer(tap, text)
        if tap.chat_id is None or tap.message_id is None:
            return
        board = markup(without_button(tap.keyboard, tap.data))
        try:
            await patiently(
                lambda: self.bot.edit_message_reply_markup(
                    tap.chat_id, tap.message_id, reply_markup=board
                )
            )
        except TelegramError as exc:  # e.g. the message is too old to edit: harmless
            log.info("could not remove a stale button: %s", exc)

    async def _send(
        self,
        reply: Reply,
        chat_id: int,
        private: bool,
        sender: Sender,
        actor: Actor | None,
        *,
        reply_to: int | None = None,
    ) -> None:
        """Each card where it may go: private cards from a group go to the person's own chat
        (a pointer stays in the group). Notices are the outbox's job, not ours. In the
        reader's language (the linked person's, else their Telegram app's)."""
        with speaking(_language(actor, sender)):
            moved = False
            for card in reply.cards:
                dest = chat_id if private or not card.private else sender.user_id
                try:
                    await self._card(
                        card, dest, reply_to if dest == chat_id else None, sender, actor
                    )
                except Forbidden:  # they never opened a private chat with the bot
                    if dest == chat_id:
                        raise
                    link = f"https://t.me/{self.me.username}"
                    text = esc(st.OPEN_PRIVATE).format(name=_mention(sender), link=esc(link))
                    await send_html(self.bot, chat_id, text, reply_to=reply_to)
                    return
                moved = moved or dest != chat_id
            if moved:
                text = esc(st.PRIVATE_POINTER).format(name=_mention(sender))
                await send_html(self.bot, chat_id, text, reply_to=reply_to)

    async def _card(
        self, card: Card, chat_id: int, reply_to: int | None, sender: Sender, actor: Actor | None
    ) -> None:
        if card.form is None or actor is None:
            await send_card(self.bot, chat_id, card, reply_to=reply_to)
            return
        if card.lines or card.fields or card.image or card.buttons:
            await send_card(self.bot, chat_id, card, reply_to=reply_to)
        key: Key = (chat_id, sender.user_id)
        await self._step(self.conversations.begin(key, card.form, self.clock()), key, actor, sender)

    async def _step(self, step: Ask | Submit, key: Key, actor: Actor, sender: Sender) -> None:
        with speaking(actor.locale):
            await self._step_in(step, key, actor, sender)

    async def _step_in(self, step: Ask | Submit, key: Key, actor: Actor, sender: Sender) -> None:
        """Ask the next question, or submit the answers and show what came of them."""
        chat_id = key[0]
        if isinstance(step, Ask):
            html = prompt(step.title, step.item, step.problem)
            await send_html(self.bot, chat_id, html, ask=step.item.label)
            return
        reply = await asyncio.to_thread(self.dispatcher.press, actor, step.press)
        if reply.errors:  # ask again only what the use case refused
            again = self.conversations.begin(
                key,
                step.form,
                self.clock(),
                only=[name for name, _ in reply.errors],
                answers=step.press.form,
                problems=dict(reply.errors),
            )
            await self._step(again, key, actor, sender)
            return
        await self._send(reply, chat_id, chat_id == sender.user_id, sender, actor)

    async def _actor(self, sender: Sender, private_chat: int | None) -> Actor | None:
        actor, _ = await self._as(sender, private_chat, None)
        return actor

    async def _as(
        self, sender: Sender, private_chat: int | None, run: Callable[[Actor], Reply] | None
    ) -> tuple[Actor | None, Reply | None]:
        """Who this is and, if linked, what `run` replies: one trip to a worker thread,
        since both talk to the database."""

        def work() -> tuple[Actor | None, Reply | None]:
            dm = str(private_chat) if private_chat is not None else None
            uid = str(sender.user_id)
            account = ChatAccount(PLATFORM, uid, sender.username, dm, sender.language)
            actor = actor_for_chat(self.uow(), account)
            return actor, (run(actor) if actor is not None and run is not None else None)

        return await asyncio.to_thread(work)

    async def _unlinked(self, chat_id: int, private: bool, sender: Sender, reply_to: int) -> None:
        with speaking(await self._stranger_locale(sender)):
            await self._unlinked_in(chat_id, private, sender, reply_to)

    async def _stranger_locale(self, sender: Sender) -> str | None:
        """Someone not linked: their app's language, else the company's."""
        return await asyncio.to_thread(stranger_locale, self.uow(), sender.language)

    async def _unlinked_in(
        self, chat_id: int, private: bool, sender: Sender, reply_to: int
    ) -> None:
        if private:
            await send_card(self.bot, chat_id, unlinked_reply().cards[0], reply_to=reply_to)
            return
        text = esc(st.UNLINKED_GROUP).format(name=_mention(sender))
        await send_html(self.bot, chat_id, text, reply_to=reply_to)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("Telegram update failed: %s", context.error, exc_info=context.error)


def _language(actor: Actor | None, sender: Sender) -> str | None:
    """Whose words a reply is in: the linked person's language, else their Telegram app's."""
    return actor.locale if actor is not None and actor.locale else sender.language


def _mention(sender: Sender) -> str:
    """The sender's name, as a mention that notifies them (HTML)."""
    return f'<a href="tg://user?id={sender.user_id}">{esc(sender.name)}</a>'
