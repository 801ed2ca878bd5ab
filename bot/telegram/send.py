"""Send rendered cards through the Bot API (PTB), waiting out a 429 when Telegram asks."""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar

from telegram import (
    Bot,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    ReplyParameters,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, RetryAfter

from bot.telegram.parse import Keyboard, is_link
from bot.telegram.render import render
from handlers.cards import Card

log = logging.getLogger(__name__)
T = TypeVar("T")
MAX_WAIT = 30.0  # a person waiting on a reply: longer than this and we give up


def retry_seconds(exc: RetryAfter) -> float:
    """RetryAfter.retry_after is an int or a timedelta depending on PTB's settings."""
    with warnings.catch_warnings():  # the int form is deprecated in PTB 22
        warnings.simplefilter("ignore")
        value: Any = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def patiently(call: Callable[[], Awaitable[T]], max_wait: float = MAX_WAIT) -> T:
    """Run one Bot API call; on a 429, wait as long as Telegram says (once), then retry."""
    try:
        return await call()
    except RetryAfter as exc:
        wait = retry_seconds(exc)
        if wait > max_wait:
            raise
        log.warning("Telegram asked to wait %.0f s (429); waiting", wait)
        await asyncio.sleep(wait)
        return await call()


def markup(board: Keyboard) -> InlineKeyboardMarkup | None:
    """Our keyboard rows as PTB's inline keyboard (None when there are no buttons)."""
    if not board:
        return None
    rows = [
        [
            InlineKeyboardButton(label, url=data)
            if is_link(data)
            else InlineKeyboardButton(label, callback_data=data)
            for label, data in row
        ]
        for row in board
    ]
    return InlineKeyboardMarkup(rows)


async def send_card(
    bot: Bot, chat_id: int | str, card: Card, *, reply_to: int | None = None, wait: bool = True
) -> Message:
    """Photo (if any), then text messages, keyboard on the last; returns the last message.
    With `wait=False` a 429 is raised to the caller (the outbox dispatcher paces itself).
    A tg://user link refused by the person's privacy settings: sent again without links."""
    try:
        return await _send_card(bot, chat_id, card, reply_to, wait, links=True)
    except BadRequest as exc:
        if "privacy" not in exc.message.lower():
            raise
        return await _send_card(bot, chat_id, card, reply_to, wait, links=False)


async def _send_card(
    bot: Bot, chat_id: int | str, card: Card, reply_to: int | None, wait: bool, *, links: bool
) -> Message:
    out = render(card, links=links)
    keyboard = markup(out.keyboard)
    reply = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None
    steps: list[Callable[[], Awaitable[Message]]] = []
    if out.photo is not None:
        photo = InputFile(out.photo.data, filename=out.photo.filename)
        steps.append(
            lambda: bot.send_photo(
                chat_id,
                photo,
                caption=out.caption,
                parse_mode=ParseMode.HTML,
                reply_markup=None if out.texts else keyboard,
                reply_parameters=reply,
            )
        )
    for i, text in enumerate(out.texts):
        last = i == len(out.texts) - 1
        steps.append(_text_step(bot, chat_id, text, keyboard if last else None, reply))
    sent: Message | None = None
    for step in steps:
        sent = await (patiently(step) if wait else step())
    assert sent is not None  # render() always yields a photo or some text
    return sent


def _text_step(
    bot: Bot,
    chat_id: int | str,
    text: str,
    keyboard: InlineKeyboardMarkup | None,
    reply: ReplyParameters | None,
) -> Callable[[], Awaitable[Message]]:
    return lambda: bot.send_message(
        chat_id,
        text,
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard,
        reply_parameters=reply,
    )


async def send_html(
    bot: Bot, chat_id: int, html: str, *, reply_to: int | None = None, ask: str | None = None
) -> Message:
    """A short message of ours; `ask` makes the person's client reply to it (forms)."""
    force = ForceReply(selective=True, input_field_placeholder=ask[:64]) if ask else None
    reply = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None
    return await patiently(
        lambda: bot.send_message(
            chat_id, html, parse_mode=ParseMode.HTML, reply_markup=force, reply_parameters=reply
        )
    )
