"""Neutral reply objects: what a handler returns, rendered natively by each platform."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Style = Literal["primary", "danger", "default"]


@dataclass(frozen=True)
class Button:
    """A button; `action` is a compact id (`ap:acc`) and `value` its argument (`42`)."""

    label: str
    action: str
    value: str = ""
    style: Style = "default"
    # Set on an "open a chat with this person" button: the person's chat accounts as
    # (platform, user id, username). Each renderer links its own platform's account (a
    # deep link into a direct message) and falls back to pressing `action` without one.
    chat: tuple[tuple[str, str, str], ...] = ()

    @property
    def callback(self) -> str:
        """The compact `action:value` string a platform carries (<= 64 bytes on every platform)."""
        return f"{self.action}:{self.value}" if self.value else self.action

    def account(self, platform: str) -> tuple[str, str] | None:
        """(user id, username) of the person on `platform`, for a chat button; else None."""
        return next(((u, n) for p, u, n in self.chat if p == platform), None)


def chat_button(label: str, action: str, person_id: int, accounts: Any) -> Button:
    """A button opening a direct chat with the person; `accounts`: their chat identities
    (objects with platform, platform_user_id, username), `action` the fallback press."""
    chat = tuple((a.platform, a.platform_user_id, a.username or "") for a in accounts)
    return Button(label, action, str(person_id), chat=chat)


@dataclass(frozen=True)
class Input:
    """One field of a form: free text, a number, or a choice of `options` (value, label):
    the person picks a label and the value is what's submitted. Typed words stay accepted
    for a choice (a platform without a list, an old client), so its use case resolves them."""

    name: str
    label: str
    kind: Literal["text", "number", "choice"] = "text"
    required: bool = True
    initial: str = ""
    options: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Form:
    """Inputs asked for before an action runs (a modal, or one question at a time)."""

    title: str
    action: str
    value: str
    inputs: tuple[Input, ...]
    submit: str = ""  # empty: the platform's own word for sending it, in the reader's language


@dataclass(frozen=True)
class Image:
    """An image attached to a card, e.g. a PNG chart."""

    data: bytes
    filename: str
    alt: str


@dataclass(frozen=True)
class Card:
    """A message: title, text lines, label/value fields, buttons and an optional footnote."""

    title: str
    lines: tuple[str, ...] = ()
    fields: tuple[tuple[str, str], ...] = ()
    buttons: tuple[Button, ...] = ()
    footnote: str = ""
    image: Image | None = None
    form: Form | None = None
    private: bool = True

    def to_dict(self, *, image_data: bool = True) -> dict[str, Any]:
        """A JSON-ready dict of the card; `image_data=False` leaves the image's bytes out
        (a listing for people to read), so the dict no longer rebuilds the chart."""
        return {
            "title": self.title,
            "lines": list(self.lines),
            "fields": [list(f) for f in self.fields],
            "buttons": [
                {"label": b.label, "action": b.action, "value": b.value, "style": b.style}
                | ({"chat": [list(c) for c in b.chat]} if b.chat else {})
                for b in self.buttons
            ],
            "footnote": self.footnote,
            "image": _image_dict(self.image, image_data),
            "form": _form_dict(self.form),
            "private": self.private,
        }

    @staticmethod
    def from_dict(data: dict[str, Any]) -> Card:
        """Rebuild a card stored by `to_dict` (outbox payloads)."""
        form = data.get("form")
        return Card(
            title=str(data.get("title", "")),
            lines=tuple(data.get("lines", ())),
            fields=tuple((str(a), str(b)) for a, b in data.get("fields", ())),
            buttons=tuple(
                Button(
                    b["label"],
                    b["action"],
                    b.get("value", ""),
                    b.get("style", "default"),
                    tuple((str(p), str(u), str(n)) for p, u, n in b.get("chat", ())),
                )
                for b in data.get("buttons", ())
            ),
            footnote=str(data.get("footnote", "")),
            image=_image_of(data.get("image")),
            form=Form(
                form["title"],
                form["action"],
                form["value"],
                tuple(_input_of(i) for i in form["inputs"]),
                str(form.get("submit", "")),
            )
            if form
            else None,
            private=bool(data.get("private", True)),
        )


def _image_dict(image: Image | None, with_data: bool) -> dict[str, str] | None:
    if image is None:
        return None
    named = {"filename": image.filename, "alt": image.alt}
    # base64 because the outbox keeps the card as JSON: a queued chart must survive the wait
    return (named | {"data": base64.b64encode(image.data).decode()}) if with_data else named


def _image_of(stored: object) -> Image | None:
    # Rows queued before images were kept hold the filename alone: the chart is gone, and
    # the card goes out without it rather than failing.
    if not isinstance(stored, dict) or "data" not in stored:
        return None
    try:
        data = base64.b64decode(str(stored["data"]), validate=True)
    except binascii.Error as exc:
        raise ValueError(f"image data is not base64: {exc}") from exc
    return Image(data, str(stored.get("filename", "chart.png")), str(stored.get("alt", "")))


def _input_of(stored: dict[str, Any]) -> Input:
    options = tuple((str(v), str(label)) for v, label in stored.get("options", ()))
    return Input(**{k: v for k, v in stored.items() if k != "options"}, options=options)


def _form_dict(form: Form | None) -> dict[str, Any] | None:
    if form is None:
        return None
    return {
        "title": form.title,
        "action": form.action,
        "value": form.value,
        "submit": form.submit,
        "inputs": [
            {
                "name": i.name,
                "label": i.label,
                "kind": i.kind,
                "required": i.required,
                "initial": i.initial,
            }
            | ({"options": [list(o) for o in i.options]} if i.options else {})
            for i in form.inputs
        ],
    }


@dataclass(frozen=True)
class Notice:
    """A card for someone else (employee id) or a channel, delivered later via the outbox."""

    card: Card
    dedupe_key: str
    recipient_id: int | None = None
    channel: str | None = None


@dataclass(frozen=True)
class Refusal:
    """A permission refusal: what was attempted, on whom (employee id) and why. Handlers
    return it inside the Reply; the dispatcher audits it, so no handler can forget."""

    action: str
    target_id: int | None
    why: str


@dataclass(frozen=True)
class Reply:
    """What the actor sees now, plus notices queued for others (already in the outbox)."""

    cards: tuple[Card, ...] = ()
    notices: tuple[Notice, ...] = field(default=())
    ok: bool = True
    # Form validation problems, input name -> message (a modal shows them inline).
    errors: tuple[tuple[str, str], ...] = ()
    # Set when the actor was refused for lack of permission (see permissions.deny).
    refusal: Refusal | None = None

    @staticmethod
    def say(title: str, *lines: str, ok: bool = True, notices: Sequence[Notice] = ()) -> Reply:
        """A reply of one simple card (with the notices queued for others)."""
        return Reply(cards=(Card(title=title, lines=tuple(lines)),), notices=tuple(notices), ok=ok)
