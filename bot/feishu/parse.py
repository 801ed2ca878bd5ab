"""Feishu event JSON to what perfbot acts on: a line of text or a card action (no SDK).

Pure functions on the decrypted event body (schema 2.0: `header` and `event`), so they are
tested on the documentation's recorded payloads (tests/adapters/feishu/, tests/fixtures/feishu/).
Fields perfbot doesn't use (tenant_key, union_id, user_id, mentioned_type, user_agent) are
ignored; a text or rich-text (`post`) message is read, any other kind is not for perfbot.
The message-card request URL's legacy callback (card.action.trigger_v1: no schema, the
operator and the card's ids at the top) reads as a card action too; schema 1.0 events
(`uuid`, `event.type`) are none perfbot subscribes to.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from bot import texts as bt
from bot.feishu import PLATFORM
from handlers.cards import Card, Form
from handlers.press import Press

MESSAGE_EVENT = "im.message.receive_v1"
TEXT_KINDS = ("text", "post")  # message_type values that can carry a command
CARD_EVENT = "card.action.trigger"
ALL = "@_all"  # the key Feishu gives an @everyone mention
_SPACES = re.compile(r"[ \t\u00a0\u2005]+")  # Feishu puts U+2005 after a mention


@dataclass(frozen=True)
class Envelope:
    """The header of a schema 2.0 event or callback, and its `event` body."""

    event_id: str
    event_type: str
    token: str
    create_time_ms: int | None
    event: Mapping[str, Any]


@dataclass(frozen=True)
class Message:
    """A text message for perfbot, in the neutral command language."""

    sender: str  # open_id
    chat_id: str
    private: bool  # a p2p chat with the bot
    text: str  # mentions are <@feishu:open_id>; the bot's own mention is gone
    message_id: str

    @property
    def command(self) -> bool:
        return self.text.startswith("/")


@dataclass(frozen=True)
class CardAction:
    """A button pressed, or a form submitted, on one of the bot's cards."""

    operator: str  # open_id
    press: Press
    message_id: str
    chat_id: str
    form: Form | None = None  # the submitted form as it was sent (for errors shown inline)
    values: Mapping[str, str] = field(default_factory=dict)


def envelope(body: Mapping[str, Any]) -> Envelope | None:
    """The schema 2.0 header; None for anything else (1.0 events perfbot never subscribes)."""
    header = body.get("header")
    event = body.get("event")
    if body.get("schema") != "2.0" or not isinstance(header, Mapping):
        return None
    event = event if isinstance(event, Mapping) else {}
    if "context" not in event and isinstance(body.get("context"), Mapping):
        # The checker component's documented callback prints `context` beside `event`.
        event = {**event, "context": body["context"]}
    stamp = str(header.get("create_time") or "")
    return Envelope(
        event_id=str(header.get("event_id") or ""),
        event_type=str(header.get("event_type") or ""),
        token=str(header.get("token") or ""),
        create_time_ms=_millis(stamp),
        event=event,
    )


def legacy_card(body: Mapping[str, Any]) -> bool:
    """Whether `body` is a card.action.trigger_v1 callback: never encrypted, signed with the
    Verification Token (envelope.py), its fields at the top (no `schema`, `header`, `event`)."""
    return (
        not any(k in body for k in ("schema", "header", "event", "encrypt", "type"))
        and isinstance(body.get("action"), Mapping)
        and bool(_open_id(body) or body.get("open_message_id"))
    )


def delivery_key(env: Envelope) -> str:
    """What makes a delivery the same one again: a message's message_id (the receive doc:
    a duplicate push may carry a new event_id), else the event_id."""
    msg = env.event.get("message")
    message_id = msg.get("message_id") if isinstance(msg, Mapping) else None
    if env.event_type == MESSAGE_EVENT and isinstance(message_id, str) and message_id:
        return f"om:{message_id}"
    return env.event_id


def message(event: Mapping[str, Any], bot_open_id: str) -> Message | None:
    """A person's text message to the bot; None for other senders and kinds, and for group
    chatter that doesn't mention the bot."""
    sender = event.get("sender") or {}
    msg = event.get("message") or {}
    if not isinstance(sender, Mapping) or not isinstance(msg, Mapping):
        return None
    open_id = _open_id(sender.get("sender_id"))
    kind = msg.get("message_type")
    if sender.get("sender_type") != "user" or not open_id or kind not in TEXT_KINDS:
        return None
    text = _text(msg.get("content")) if kind == "text" else _post_text(msg.get("content"))
    chat_id, message_id = str(msg.get("chat_id") or ""), str(msg.get("message_id") or "")
    if text is None or not chat_id or not message_id:
        return None
    private = msg.get("chat_type") == "p2p"
    mentions = [m for m in msg.get("mentions") or () if isinstance(m, Mapping)]
    mine = [m for m in mentions if bot_open_id and _open_id(m.get("id")) == bot_open_id]
    if not private and not mine:
        return None  # in groups perfbot answers only when it is mentioned
    text = neutral_text(text, mentions, bot_open_id)
    if not text:
        return None
    return Message(open_id, chat_id, private, text, message_id)


def neutral_text(text: str, mentions: list[Mapping[str, Any]], bot_open_id: str) -> str:
    """`@_user_1` placeholders become `<@feishu:open_id>` (the bot's own and @all vanish)."""
    # Longest keys first, so `@_user_1` never eats the start of `@_user_10`.
    for m in sorted(mentions, key=lambda m: -len(str(m.get("key") or ""))):
        key = str(m.get("key") or "")
        if not key.startswith("@"):
            continue
        who = _open_id(m.get("id"))
        mine = bool(bot_open_id) and who == bot_open_id
        text = text.replace(key, "" if mine or key == ALL or not who else f"<@{PLATFORM}:{who}>")
    return _SPACES.sub(" ", text.replace(ALL, "")).strip()


def card_action(event: Mapping[str, Any]) -> CardAction | None:
    """A card.action.trigger callback's press (or form submission), or a legacy callback's
    (its operator and ids at the top); None when it carries no value of ours (a link
    button, a foreign card)."""
    operator = _open_id(event.get("operator")) or _open_id(event)
    action = event.get("action") or {}
    context = event.get("context") or event
    if not operator or not isinstance(action, Mapping) or not isinstance(context, Mapping):
        return None
    value = action.get("value")
    if isinstance(value, str):  # a 1.0 card's string value: JSON of ours
        value = _json(value)
    if not isinstance(value, Mapping) or not isinstance(value.get("a"), str) or not value["a"]:
        return None
    raw = action.get("form_value") or {}
    values = {str(k): _form_text(v) for k, v in raw.items()} if isinstance(raw, Mapping) else {}
    form = form_from_spec(value.get("f"))
    press = Press(value["a"], str(value.get("v") or ""), _inputs_only(values, form))
    return CardAction(
        operator=operator,
        press=press,
        message_id=str(context.get("open_message_id") or ""),
        chat_id=str(context.get("open_chat_id") or ""),
        form=form,
        values=values,
    )


def form_from_spec(spec: Any) -> Form | None:
    """The form a submit button carries (Card.to_dict's shape); None when it isn't one."""
    if not isinstance(spec, Mapping):
        return None
    try:
        return Card.from_dict({"title": "", "form": dict(spec)}).form
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def check_inputs(form: Form, values: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """Empty required inputs and numbers that aren't, before any handler runs (Feishu's
    client checks `required` itself, but a callback can be sent by anyone holding the keys)."""
    problems: list[tuple[str, str]] = []
    for item in form.inputs:
        given = values.get(item.name, "").strip()
        if not given and item.required:
            problems.append((item.name, bt.REQUIRED))
        elif given and item.kind == "number":
            try:
                Decimal(given.replace(",", ""))
            except InvalidOperation:
                problems.append((item.name, bt.NOT_NUMBER))
    return tuple(problems)


def _inputs_only(values: Mapping[str, str], form: Form | None) -> dict[str, str]:
    """The submitted values of the form's own inputs, trimmed (buttons' names are dropped)."""
    if form is None:
        return dict(values)
    names = {i.name for i in form.inputs}
    return {k: v.strip() for k, v in values.items() if k in names}


def _form_text(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return "" if value is None else str(value)


def _millis(stamp: str) -> int | None:
    """header.create_time in milliseconds (card callbacks may carry microseconds)."""
    if not (stamp.isascii() and stamp.isdigit() and len(stamp) < 20):
        return None
    value = int(stamp)
    return value // 1000 if value >= 10**14 else value


def _open_id(ids: Any) -> str:
    if not isinstance(ids, Mapping):
        return ""
    value = ids.get("open_id")
    return value if isinstance(value, str) and 0 < len(value) <= 64 else ""


def _json(content: Any) -> Any:
    """`content` read as JSON; None when it is not a string holding JSON."""
    if not isinstance(content, str):
        return None
    try:
        return json.loads(content)
    except ValueError:
        return None


def _text(content: Any) -> str | None:
    """A text message's `content`: a JSON string holding {"text": ...}."""
    data = _json(content)
    text = data.get("text") if isinstance(data, dict) else None
    return text if isinstance(text, str) and text.strip() else None


def _post_text(content: Any) -> str | None:
    """A rich-text message's body as plain text: `text` and `a` elements as written, an `at`
    element as its `@_user_N` placeholder (resolved through `mentions` like a text message's),
    paragraphs on their own lines. The title is left out: a command is typed in the body."""
    data = _json(content)
    if isinstance(data, dict) and "content" not in data:  # a locale-keyed post, as sent
        data = next((v for v in data.values() if isinstance(v, dict)), None)
    body = data.get("content") if isinstance(data, dict) else None
    if not isinstance(body, list):
        return None
    lines = ["".join(_post_piece(e) for e in row) for row in body if isinstance(row, list)]
    text = "\n".join(line.strip() for line in lines if line.strip())
    return text or None


def _post_piece(element: Any) -> str:
    if not isinstance(element, Mapping):
        return ""
    tag, text = element.get("tag"), element.get("text")
    if tag in ("text", "a") and isinstance(text, str):
        return text
    key = element.get("user_id")
    if tag == "at" and isinstance(key, str) and key.startswith("@"):
        return f" {key} "  # spaces, so the placeholder never runs into the next word
    return ""  # images, emoji, code blocks: nothing a command needs
