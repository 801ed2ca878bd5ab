"""Telegram updates shaped exactly like the recorded samples (telegram_payloads/), for any
user, chat and text: commands, group commands, text mentions, replies, button presses."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from tests.fakes.telegram_bot_api import BOT_USER

PAYLOADS = Path(__file__).parent / "telegram_payloads"
GROUP = {"id": -1001234567890, "title": "Sales East", "type": "supergroup"}


@cache
def _sample(name: str) -> str:
    return (PAYLOADS / f"telegram_{name}.json").read_text(encoding="utf-8")


def load(name: str) -> dict[str, Any]:
    """A fresh copy of a recorded payload."""
    return json.loads(_sample(name))


def utf16_len(text: str) -> int:
    """Telegram counts entity offsets and lengths in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class TgUser:
    id: int
    first_name: str
    username: str | None = None
    last_name: str | None = None
    language_code: str = "en"  # the user's Telegram app language

    def as_json(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            user["last_name"] = self.last_name
        if self.username:
            user["username"] = self.username
        user["language_code"] = self.language_code
        return user

    def private_chat(self) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.username:
            chat["username"] = self.username
        return chat


def mention(user: TgUser, text: str, before: str) -> dict[str, Any]:
    """A text_mention entity for `text`, placed after `before` (a person without @username)."""
    return {
        "type": "text_mention",
        "offset": utf16_len(before),
        "length": utf16_len(text),
        "user": user.as_json(),
    }


class Updates:
    """Numbered updates, built from the recorded samples."""

    def __init__(self, first_id: int = 100000100) -> None:
        self._update_id = first_id
        self._message_id = 1000

    def _ids(self) -> tuple[int, int]:
        self._update_id += 1
        self._message_id += 1
        return self._update_id, self._message_id

    def message(
        self,
        user: TgUser,
        text: str,
        *,
        chat: dict[str, Any] | None = None,
        entities: list[dict[str, Any]] | None = None,
        reply_to: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        update = load("command_update")
        update["update_id"], message_id = self._ids()
        msg = update["message"]
        msg["message_id"] = message_id
        msg["chat"] = copy.deepcopy(chat) if chat else user.private_chat()
        msg["from"] = user.as_json()
        msg["text"] = text
        found = list(entities or [])
        if text.startswith("/"):
            found.insert(
                0, {"type": "bot_command", "offset": 0, "length": utf16_len(text.split()[0])}
            )
        if found:
            msg["entities"] = found
        else:
            msg.pop("entities", None)
        if reply_to is not None:
            msg["reply_to_message"] = reply_to
        return update

    def bot_message(
        self, chat: dict[str, Any], text: str, keyboard: list[list[tuple[str, str]]] | None = None
    ) -> dict[str, Any]:
        """A message the bot sent earlier (what a button sits under, or what is replied to)."""
        _, message_id = self._ids()
        msg: dict[str, Any] = {
            "message_id": message_id,
            "date": 1700000001,
            "chat": copy.deepcopy(chat),
            "from": dict(BOT_USER),
            "text": text,
        }
        if keyboard:
            rows = [
                [{"text": label, "callback_data": data} for label, data in row] for row in keyboard
            ]
            msg["reply_markup"] = {"inline_keyboard": rows}
        return msg

    def press(
        self, user: TgUser, data: str, *, message: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        update = load("callback_query_update")
        update["update_id"], _ = self._ids()
        query = update["callback_query"]
        query["id"] = f"cbq{update['update_id']}"
        query["from"] = user.as_json()
        query["data"] = data
        query["message"] = message or self.bot_message(
            user.private_chat(), "card", [[("Button", data)]]
        )
        return update
