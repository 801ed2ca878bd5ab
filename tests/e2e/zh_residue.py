"""Finds English left in what a chat platform was sent for a Chinese reader: any run of three
English words in a text a person reads (not ids, URLs, action values or product names)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

ENGLISH_RUN = re.compile(r"[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}")
_URL = re.compile(r"(?:https?|tg)://\S+|<[@#!][^>]*>")
# Names that stay as they are in Chinese: the product, the platforms, the demo's people.
_NAMES = re.compile(
    r"perfbot|Slack|Telegram|Feishu|Lark|Ana Li|Chen Jing|Zhou Tao|Zhao Min|Hu Bin|Sun Li"
    r"|Wang Fang|Li Na|Liu Yang|Zhang Wei|ACME"
)
# Keys that hold machine values (ids, callbacks, state), never words a person reads.
_MACHINE = {
    "action_id",
    "block_id",
    "callback_id",
    "value",
    "private_metadata",
    "type",
    "tag",
    "url",
    "image_url",
    "_auth",
    "channel",
    "user_id",
    "user",
    "ts",
    "trigger_id",
    "view_id",
    "external_id",
    "chat_id",
    "callback_data",
    "parse_mode",
    "file",
    "name",
    "img_key",
    "receive_id",
    "receive_id_type",
    "msg_type",
    "uuid",
    "token",
    "response_action",
    "response_type",
    "filename",
    "command",
    "thread_ts",
    "language_code",
    "scope",
}


def texts_in(node: Any, key: str = "") -> Iterable[str]:
    """Every string under `node` that a person reads (JSON strings inside are opened)."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k not in _MACHINE:
                yield from texts_in(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from texts_in(v, key)
    elif isinstance(node, str):
        if node[:1] in "{[":
            try:
                yield from texts_in(json.loads(node), key)
                return
            except ValueError:
                pass
        yield node


def english_runs(node: Any) -> list[str]:
    """The runs of three English words found in `node`'s readable texts."""
    found = []
    for text in texts_in(node):
        bare = _NAMES.sub("·", _URL.sub(" ", text))
        found += [m.group(0) for m in ENGLISH_RUN.finditer(bare)]
    return found


_CJK = re.compile(r"[\u4e00-\u9fff]")
_WORD = re.compile(r"[A-Za-z]{2,}")


def english_labels(node: Any) -> list[str]:
    """Button labels with an English word and no Chinese ("Cancel", "Submit"): a label is
    often one word, which the three-word rule lets through."""
    found = []
    for label in _labels(node):
        bare = _NAMES.sub("·", label)
        if _WORD.search(bare) and not _CJK.search(bare):
            found.append(label)
    return found


def _labels(node: Any) -> Iterable[str]:
    if isinstance(node, dict):
        text = node.get("text")
        if node.get("type") == "button" or node.get("tag") == "button":
            if isinstance(text, dict):
                yield str(text.get("text") or text.get("content") or "")
        elif "callback_data" in node and isinstance(text, str):  # Telegram's inline button
            yield text
        for v in node.values():
            yield from _labels(v)
    elif isinstance(node, list):
        for v in node:
            yield from _labels(v)
    elif isinstance(node, str) and node[:1] in "{[":
        yield from _labels(_json(node))


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None
