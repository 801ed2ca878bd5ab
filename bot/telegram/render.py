"""A neutral card as Telegram HTML plus an inline keyboard (no SDK; every user text escaped)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from bot.telegram import PLATFORM
from bot.telegram import texts as st
from bot.telegram.parse import Keyboard
from handlers.cards import Button, Card, Image, Input, Reply
from handlers.format import exact

MAX_TEXT = 4096  # characters of a message
MAX_CAPTION = 1024  # characters of a photo caption
MAX_CALLBACK = 64  # bytes of callback_data
MAX_TOAST = 200  # characters of an answerCallbackQuery text
# 800 raw characters escape to at most 4,000 (`&` -> `&amp;`), inside one message.
_PIECE = 800


class CallbackTooLong(ValueError):
    """A button's `action:value` exceeds Telegram's 64 bytes: a programming error."""


@dataclass(frozen=True)
class Rendered:
    """What to send for one card: an optional photo (with caption), then text messages;
    the keyboard goes under the last message sent."""

    texts: tuple[str, ...]
    keyboard: Keyboard
    photo: Image | None = None
    caption: str = ""


def esc(text: object) -> str:
    """Escape user text for Telegram's HTML parse mode."""
    return html.escape(str(text), quote=False)


def render(card: Card, *, links: bool = True) -> Rendered:
    """The card's HTML, split at line boundaries into messages Telegram accepts. `links`:
    chat buttons open a private chat (a t.me or tg:// link); without, they press back."""
    blocks = [f"<b>{esc(card.title)}</b>"] if card.title else []
    blocks += [esc(piece) for line in card.lines for piece in _pieces(line)]
    blocks += [f"<b>{esc(label)}</b>: {esc(value)}" for label, value in card.fields]
    if card.footnote:
        blocks += [f"<i>※ {esc(piece)}</i>" for piece in _pieces(card.footnote)]
    texts = _chunks(blocks or [esc(st.DONE)], MAX_TEXT - 96)  # margin: emoji count twice
    board = keyboard(card.buttons, links=links)
    if card.image is None:
        return Rendered(texts, board)
    if len(texts) == 1 and len(texts[0]) <= MAX_CAPTION:
        return Rendered((), board, card.image, texts[0])
    return Rendered(texts, board, card.image, f"<b>{esc(card.title[:_PIECE])}</b>")


def chat_link(b: Button) -> str | None:
    """A chat button's link to a private chat with the person on Telegram: their public
    username when they have one (always opens), else tg://user by numeric id."""
    account = b.account(PLATFORM)
    if account is None:
        return None
    user, username = account
    if username:
        return f"https://t.me/{username.lstrip('@')}"
    return f"tg://user?id={user}" if user.isascii() and user.isdigit() else None


def keyboard(buttons: tuple[Button, ...], *, links: bool = True) -> Keyboard:
    """Buttons two to a row (a long label gets its own row); checks the 64-byte limit.
    A chat button becomes a link (a URL in place of callback data; see send.markup)."""
    rows: list[list[tuple[str, str]]] = []
    for b in buttons:
        data = (chat_link(b) if links and b.chat else None) or b.callback
        if not b.action and "://" not in data:
            continue  # a chat button with no account here and nothing to press instead
        if "://" not in data and not 1 <= len(data.encode()) <= MAX_CALLBACK:
            raise CallbackTooLong(f"callback data {data!r} is not 1-{MAX_CALLBACK} bytes")
        wide = len(b.label) > 20
        if rows and len(rows[-1]) == 1 and not wide and len(rows[-1][0][0]) <= 20:
            rows[-1].append((b.label, data))
        else:
            rows.append([(b.label, data)])
    return tuple(tuple(row) for row in rows)


def prompt(title: str, item: Input, problem: str = "") -> str:
    """One question of a form conversation, with what the person can answer."""
    hints = [st.FORM_NUMBER] if item.kind == "number" else []
    # A choice is a numbered list answered by its number (or by name: the use case resolves
    # words too), since a form here is a conversation of replies rather than a dialog.
    listed = [f"{n}. {esc(label or value)}" for n, (value, label) in enumerate(item.options, 1)]
    if item.kind == "choice" and listed:
        hints.append(st.FORM_CHOICE)
    if item.initial:
        hints.append(st.FORM_KEEP.format(initial=_shown(item)))
    elif not item.required:
        hints.append(st.FORM_OPTIONAL)
    hints.append(st.FORM_CANCEL)
    head = f"<b>{esc(title)}</b>\n" if title else ""
    lead = f"{esc(problem)}\n" if problem else ""
    choices = "".join(f"\n{line}" for line in listed if item.kind == "choice")
    return f"{lead}{head}{esc(item.label)}{choices}\n<i>{esc('; '.join(hints))}</i>"


def _shown(item: Input) -> str:
    """A pre-filled answer as the person reads it: a number grouped (`1,000,000`), a choice
    by its label."""
    if item.kind == "choice":
        return next((label for value, label in item.options if value == item.initial), item.initial)
    if item.kind != "number":
        return item.initial
    try:
        return exact(Decimal(item.initial.replace(",", "")))
    except InvalidOperation:
        return item.initial


def plain(text: str) -> str:
    """A short notice of ours as HTML."""
    return esc(text)


def toast(reply: Reply) -> str:
    """A one-line summary for answerCallbackQuery (plain text, no HTML)."""
    if not reply.cards:
        return st.DONE
    card = reply.cards[0]
    text = f"{card.title}: {card.lines[0]}" if card.lines else card.title
    return text if len(text) <= MAX_TOAST else text[: MAX_TOAST - 1] + "…"


def _pieces(text: str) -> list[str]:
    """A long line cut (at a space when there is one) into pieces that fit one message."""
    pieces = []
    while len(text) > _PIECE:
        cut = text.rfind(" ", _PIECE // 2, _PIECE)
        cut = cut if cut > 0 else _PIECE
        pieces.append(text[:cut])
        text = text[cut:].lstrip(" ")
    return [*pieces, text]


def _chunks(blocks: list[str], limit: int) -> tuple[str, ...]:
    chunks: list[str] = []
    for block in blocks:
        if chunks and len(chunks[-1]) + 1 + len(block) <= limit:
            chunks[-1] += "\n" + block
        else:
            chunks.append(block)
    return tuple(chunks)
