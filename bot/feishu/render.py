"""Neutral cards to Feishu message cards (card JSON 2.0): text, fields, an image, buttons,
forms. An image shows when it was uploaded first (its image_key); else the card names it.

Everything a person typed is shown as `plain_text`, never as markdown, so nobody's words
can @everyone or forge a link. Buttons carry `{"a": action, "v": value}` back in the
card.action.trigger callback; a form's submit button also carries the form itself, so a
refused submission can be shown again with its problems under the inputs.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from bot import texts as bt
from bot.feishu import PLATFORM
from bot.feishu import texts as st
from handlers.cards import Button, Card, Form, Input, Reply

MAX_LINES = 60  # lines per card before "…and N more", as on the other platforms
TEXT_CHARS = 2000  # one element's text
TITLE_CHARS = 100
BUTTON_CHARS = 40
MAX_BUTTONS = 20
# Feishu's card JSON limit is 30 KB; a card near it is cut rather than refused.
MAX_CARD_BYTES = 28_000
APPLINK = "https://applink.feishu.cn/client/chat/open?openId={open_id}"
Json = dict[str, Any]


def cut(text: str, limit: int) -> str:
    """At most `limit` characters, ending in … when shortened."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def card(
    c: Card,
    *,
    problems: Sequence[tuple[str, str]] = (),
    outcome: str = "",
    buttons: bool = True,
    image_key: str = "",
) -> Json:
    """One card as card JSON 2.0. `problems`: a refused form's (input, message) pairs;
    `outcome`: a decision's note under a card updated in place (its buttons gone);
    `image_key`: the card's image as uploaded (without one, the card names the image)."""
    elements: list[Json] = _lines(c.lines)
    elements += [_text(f"{label}: {value}") for label, value in c.fields]
    if c.image is not None and image_key:
        elements.append(image(image_key, c.image.alt))
    elif c.image is not None:
        elements.append(_text(st.IMAGE_NOTE.format(alt=c.image.alt)))
    if c.form is not None and buttons:
        elements.append(form(c.form, problems))
    if buttons and c.buttons:
        elements += [_button(b) for b in c.buttons[:MAX_BUTTONS]]
    if c.footnote:
        elements.append(_text(c.footnote, size="notation"))
    if outcome:
        elements.append(_text(st.DECIDED.format(outcome=outcome), size="notation"))
    out = {
        "schema": "2.0",
        "config": {"update_multi": True},  # one card for everyone in a chat, updated in place
        "header": {
            "title": _plain(c.title or "perfbot", TITLE_CHARS),
            "template": "blue",
        },
        "body": {"elements": elements},
    }
    return _fit(out)


def cards(reply: Reply) -> list[Json]:
    """Each card of a reply as card JSON."""
    return [card(c) for c in reply.cards]


def content(c: Json) -> str:
    """A card as the `content` string of an `interactive` message."""
    return json.dumps(c, ensure_ascii=False, separators=(",", ":"))


def decided(reply: Reply, *, image_key: str = "") -> Json:
    """What a card becomes after a decision on it: the outcome, its buttons gone (its
    image shown when uploaded as `image_key`, else named)."""
    first = reply.cards[0] if reply.cards else Card(title=st.DONE)
    return card(first, outcome=summary(reply), buttons=False, image_key=image_key)


def form(f: Form, problems: Sequence[tuple[str, str]] = ()) -> Json:
    """A form container: one input per field, each problem under its input, and a submit
    button that carries the form back."""
    said = dict(problems)
    elements: list[Json] = []
    for item in f.inputs:
        elements += _select(item) if item.kind == "choice" and item.options else [_input(item)]
        if item.name in said:
            elements.append(_text("⚠ " + said[item.name], size="notation", color="red"))
    spec = Card(title="", form=f).to_dict()["form"]
    elements.append(
        {
            "tag": "button",
            "name": "submit",
            "type": "primary",
            "form_action_type": "submit",
            "text": _plain(f.submit or bt.SUBMIT, BUTTON_CHARS),
            "behaviors": [{"type": "callback", "value": {"a": f.action, "v": f.value, "f": spec}}],
        }
    )
    return {"tag": "form", "name": "form", "elements": elements}


def _field(tag: str, item: Input) -> Json:
    """What every form component of an Input starts with: its tag, name and requiredness."""
    return {"tag": tag, "name": item.name, "required": item.required}


def _input(item: Input) -> Json:
    box: Json = _field("input", item) | {
        "label": _plain(item.label, 100),
        "label_position": "top",
        "input_type": "text" if item.kind == "number" else "multiline_text",
        "max_length": 1000,
    }
    if item.initial:
        box["default_value"] = item.initial
    return box


def _select(item: Input) -> list[Json]:
    """A choice as a select_static: its form value is the picked option's value. It has no
    label of its own, so the question goes above it as text."""
    box: Json = _field("select_static", item) | {
        "placeholder": _plain(item.label, 100),
        "width": "fill",
        "options": [
            {"text": _plain(label or value, 100), "value": value} for value, label in item.options
        ],
    }
    if any(value == item.initial for value, _ in item.options):
        box["initial_option"] = item.initial
    return [_text(item.label), box]


def image(image_key: str, alt: str) -> Json:
    """An uploaded image at the card's full width, uncropped; a press shows it enlarged."""
    return {
        "tag": "img",
        "img_key": image_key,
        "alt": _plain(alt, TITLE_CHARS),
        "scale_type": "fit_horizontal",
        "preview": True,
    }


def toast(reply: Reply) -> Json:
    """The short note Feishu shows over the card after a press."""
    kind = "success" if reply.ok else "error"
    return {"type": kind, "content": cut(summary(reply), 100)}


def summary(reply: Reply) -> str:
    """A reply in one line: the first card's title and first line."""
    if not reply.cards:
        return st.DONE
    c = reply.cards[0]
    return f"{c.title}: {c.lines[0]}" if c.lines else c.title


def chat_link(b: Button) -> str | None:
    """A chat button's link into a direct chat with the person on Feishu (AppLink)."""
    account = b.account(PLATFORM) if b.chat else None
    if account is None or not account[0].startswith("ou_") or not account[0].isascii():
        return None
    return APPLINK.format(open_id=account[0])


def _button(b: Button) -> Json:
    link = chat_link(b)
    behaviour: Json
    if link is not None:
        behaviour = {"type": "open_url", "default_url": link}
    else:
        behaviour = {"type": "callback", "value": {"a": b.action, "v": b.value}}
    return {
        "tag": "button",
        "text": _plain(b.label, BUTTON_CHARS),
        "type": b.style,
        "behaviors": [behaviour],
    }


def _lines(lines: Sequence[str]) -> list[Json]:
    shown = list(lines[:MAX_LINES])
    if len(lines) > MAX_LINES:
        shown.append(bt.AND_MORE.format(n=len(lines) - MAX_LINES))
    out: list[Json] = []
    chunk = ""
    for line in shown:
        line = cut(line, TEXT_CHARS)
        if chunk and len(chunk) + 1 + len(line) > TEXT_CHARS:
            out.append(_text(chunk))
            chunk = ""
        chunk = f"{chunk}\n{line}" if chunk else line
    if chunk:
        out.append(_text(chunk))
    return out


def _plain(text: str, limit: int) -> Json:
    """Plain text of a title, label or button, cut to what Feishu shows."""
    return {"tag": "plain_text", "content": cut(text, limit)}


def _text(text: str, *, size: str = "normal", color: str = "default") -> Json:
    return {
        "tag": "div",
        "text": {
            "tag": "plain_text",
            "content": cut(text, TEXT_CHARS),
            "text_size": size,
            "text_color": color,
        },
    }


def _fit(out: Json) -> Json:
    """Drop text elements from the end (keeping the interactive ones) until the card fits."""
    elements: list[Json] = out["body"]["elements"]
    dropped = 0
    while len(content(out).encode()) > MAX_CARD_BYTES and elements:
        texts = [i for i, e in enumerate(elements) if e.get("tag") == "div"]
        del elements[texts[-1] if texts else -1]
        dropped += 1
    if dropped:
        elements.append(_text(bt.AND_MORE.format(n=dropped), size="notation"))
    return out
