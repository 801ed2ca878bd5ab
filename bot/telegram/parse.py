"""Telegram update JSON to what perfbot acts on: a line of text or a button press (no SDK)."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from bot.telegram import PLATFORM
from handlers.press import Press

# Rows of (label, callback_data), or (label, URL) for a button that opens a link.
Keyboard = tuple[tuple[tuple[str, str], ...], ...]


def is_link(data: str) -> bool:
    """A keyboard entry holding a URL (callback data of ours never contains `://`)."""
    return "://" in data


_TYPED_ID = re.compile(r"<tg:([0-9]{1,20})>")  # the older written form of a text mention
_ADDRESSED = re.compile(
    r"^(/[A-Za-z0-9_]+)@[A-Za-z0-9_]+"
)  # `/score@perfbot_bot`: the bot named in groups


@dataclass(frozen=True)
class Sender:
    user_id: int
    username: str | None
    name: str
    language: str | None = None  # the user's Telegram app language (`language_code`)


@dataclass(frozen=True)
class Text:
    """A message for perfbot: a command, or an answer to a question the bot asked."""

    sender: Sender
    chat_id: int
    private: bool
    text: str  # in the neutral command language: mentions are <@telegram:ID>
    message_id: int
    command: bool  # starts with a slash


@dataclass(frozen=True)
class Tap:
    """An inline button pressed under one of the bot's messages."""

    sender: Sender
    query_id: str
    data: str
    chat_id: int | None  # None for inline-mode messages
    private: bool
    message_id: int | None
    keyboard: Keyboard


Incoming = Text | Tap


@dataclass(frozen=True)
class Me:
    """The bot itself, as getMe told us."""

    id: int
    username: str


def parse_update(update: Mapping[str, Any], me: Me) -> Incoming | None:
    """What an update asks of perfbot, or None when it isn't for us (other bots, groups'
    chatter, edits, channel posts)."""
    if (query := update.get("callback_query")) is not None:
        return _tap(query)
    message = update.get("message")
    if not isinstance(message, Mapping):
        return None
    sender = _sender(message.get("from"))
    text = message.get("text")
    chat = message.get("chat") or {}
    if sender is None or not isinstance(text, str) or not text.strip():
        return None
    if _forwarded(message):  # someone else's words: never run as the forwarder's command
        return None
    private = chat.get("type") == "private"
    if not private and not _addressed(message, text, me):
        return None
    return Text(
        sender=sender,
        chat_id=int(chat["id"]),
        private=private,
        text=neutral_text(text, message.get("entities") or ()).strip(),
        message_id=int(message.get("message_id", 0)),
        command=text.startswith("/"),
    )


def _forwarded(message: Mapping[str, Any]) -> bool:
    """Bot API 7.0+ says `forward_origin`; older servers `forward_from`, `forward_date`...;
    a channel post copied into its discussion group is `is_automatic_forward`."""
    return any(k.startswith("forward_") or k == "is_automatic_forward" for k in message)


def _tap(query: Mapping[str, Any]) -> Tap | None:
    sender = _sender(query.get("from"))
    data = query.get("data")
    if sender is None or not isinstance(data, str):
        return None  # games and foreign bots' buttons carry no callback data
    message = query.get("message") or {}
    chat = message.get("chat") or {}
    rows = (message.get("reply_markup") or {}).get("inline_keyboard") or ()
    keyboard = tuple(
        tuple(
            (str(b.get("text", "")), str(b["callback_data"] if "callback_data" in b else b["url"]))
            for b in row
            if isinstance(b, dict) and ("callback_data" in b or "url" in b)
        )
        for row in rows
    )
    return Tap(
        sender=sender,
        query_id=str(query["id"]),
        data=data,
        chat_id=int(chat["id"]) if "id" in chat else None,
        private=chat.get("type") == "private",
        message_id=int(message["message_id"]) if "message_id" in message else None,
        keyboard=keyboard,
    )


def _sender(user: Any) -> Sender | None:
    if not isinstance(user, Mapping) or user.get("is_bot") or "id" not in user:
        return None
    name = " ".join(p for p in (user.get("first_name"), user.get("last_name")) if p)
    language = user.get("language_code")
    return Sender(
        int(user["id"]),
        user.get("username"),
        name or str(user["id"]),
        language if isinstance(language, str) else None,
    )


def _addressed(message: Mapping[str, Any], text: str, me: Me) -> bool:
    """In groups: `/cmd@thisbot`, or a reply to one of the bot's messages."""
    replied = (message.get("reply_to_message") or {}).get("from") or {}
    if replied.get("id") == me.id:
        return True
    for entity in message.get("entities") or ():
        if entity.get("type") == "bot_command" and entity.get("offset") == 0:
            command = _utf16_slice(text, 0, int(entity.get("length", 0)))
            _, at, bot = command.partition("@")
            return bool(at) and bot.casefold() == me.username.casefold()
    return False


def neutral_text(text: str, entities: Any) -> str:
    """A message in the neutral command language: text mentions (and typed `<tg:ID>`)
    become `<@telegram:ID>`, and the bot's name after the command goes."""
    text = _TYPED_ID.sub(lambda m: _mention(m[1]), rewrite_mentions(text, entities))
    return _ADDRESSED.sub(r"\1", text, count=1)


def _mention(user_id: object) -> str:
    return f"<@{PLATFORM}:{user_id}>"


def rewrite_mentions(text: str, entities: Any) -> str:
    """Replace each text mention (a person without a username) by `<@telegram:ID>`, which
    the command parser reads as that chat user. Offsets count UTF-16 code units."""
    mentions = sorted(
        (
            (int(e["offset"]), int(e["length"]), int(e["user"]["id"]))
            for e in entities
            if e.get("type") == "text_mention" and "id" in (e.get("user") or {})
        ),
        reverse=True,
    )
    if not mentions:
        return text
    units = text.encode("utf-16-le")
    for offset, length, user_id in mentions:  # from the end, so earlier offsets stay valid
        tag = _mention(user_id).encode("utf-16-le")
        units = units[: 2 * offset] + tag + units[2 * (offset + length) :]
    # An offset inside an emoji (half a surrogate pair) leaves a lone half: shown as U+FFFD
    # rather than failing the whole message.
    return units.decode("utf-16-le", errors="replace")


def _utf16_slice(text: str, offset: int, length: int) -> str:
    units = text.encode("utf-16-le")
    return units[2 * offset : 2 * (offset + length)].decode("utf-16-le", errors="ignore")


def to_press(data: str, actions: Collection[str]) -> Press:
    """Split callback data `ap:acc:42` into the registered action and its value."""
    known = [a for a in actions if data == a or data.startswith(a + ":")]
    if known:
        action = max(known, key=len)
        return Press(action, data[len(action) + 1 :])
    action, _, value = data.rpartition(":")
    return Press(action, value) if action else Press(data, "")


def without_button(keyboard: Keyboard, data: str) -> Keyboard:
    """The keyboard minus the pressed button (a stale one), dropping emptied rows."""
    rows = (tuple(b for b in row if b[1] != data) for row in keyboard)
    return tuple(row for row in rows if row)
