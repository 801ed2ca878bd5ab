"""Neutral cards to Block Kit, built with slack_sdk.models so Slack's own limits are checked.

slack_sdk validates lengths only in `to_dict()` and never the blocks-per-message limit, so
everything here is cut to size first: long content ends in "…and N more", never a rejection.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot import texts as bt
from bot.slack import PLATFORM
from bot.slack import texts as st
from bot.slack.block_dicts import as_dict
from handlers.cards import Button, Card, Form, Input, Reply

MESSAGE_BLOCKS = 50  # chat.postMessage, responses
VIEW_BLOCKS = 100  # modals and the Home tab
SECTION_CHARS = 3000
FIELD_CHARS = 2000
FALLBACK_CHARS = 3000
SELECT_OPTIONS = 100  # a static_select's options
OPTION_CHARS = 75  # an option's text
OPTION_VALUE_CHARS = 150  # an option's value
MAX_LINES = 60  # lines per card before "…and N more": a phone screen, not a spreadsheet
FORM_OPEN = "pf:form"  # a button that opens a card's form as a modal (see app.py)
LINK = "pf:link"  # a button that opens a URL; Slack still reports the click, ignored
SUBMIT_CALLBACK = "pf_form"
RESULT_CALLBACK = "pf_result"


def escape(text: str) -> str:
    """Make user text inert in mrkdwn: `<!channel>` and `<@U1>` stay literal text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cut(text: str, limit: int) -> str:
    """At most `limit` characters, ending in … when shortened."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fallback(cards: Sequence[Card]) -> str:
    """The plain `text` Slack shows in notifications and on clients without blocks."""
    if not cards:
        return "perfbot"
    first = cards[0]
    head = first.title + (f": {first.lines[0]}" if first.lines else "")
    return cut(escape(head), FALLBACK_CHARS)


def card_blocks(card: Card) -> list[Block]:
    """One card as blocks: header, text, fields, buttons, footnote."""
    blocks: list[Block] = [HeaderBlock(text=cut(escape(card.title or "perfbot"), 150))]
    blocks += _sections(card.lines)
    for i in range(0, len(card.fields), 10):
        fields = [
            MarkdownTextObject(text=cut(f"*{escape(label)}*\n{escape(value)}", FIELD_CHARS))
            for label, value in card.fields[i : i + 10]
        ]
        blocks.append(SectionBlock(fields=fields))
    if card.image is not None:
        blocks.append(_context(st.IMAGE_SENT.format(alt=card.image.alt)))
    # A chat button with no Slack account and no action to fall back on has nothing to do.
    shown = [b for b in card.buttons if b.action or chat_link(b)]
    buttons = [b for b in shown if len(b.callback) <= 255]
    if card.form is not None:
        buttons.append(form_button(card.form))
    for i in range(0, len(buttons), 5):  # five to a row reads well on a phone
        blocks.append(ActionsBlock(elements=[_button(b) for b in buttons[i : i + 5]]))
    if card.footnote:
        blocks.append(_context("※ " + card.footnote))
    return blocks


def message(cards: Sequence[Card], limit: int = MESSAGE_BLOCKS) -> dict[str, Any]:
    """`text` and `blocks` for chat.postMessage, chat.update, respond() or ack()."""
    return {"text": fallback(cards), "blocks": fit(_stacked(cards), limit)}


def _stacked(cards: Sequence[Card]) -> list[Block]:
    """The cards' blocks one under another, a divider between two."""
    blocks: list[Block] = []
    for i, card in enumerate(cards):
        if i:
            blocks.append(DividerBlock())
        blocks += card_blocks(card)
    return blocks


def reply_message(reply: Reply) -> dict[str, Any]:
    """A reply as an ephemeral response (the actor alone sees it)."""
    return {"response_type": "ephemeral", **message(reply.cards)}


def fit(blocks: Sequence[Block], limit: int) -> list[dict[str, Any]]:
    """Validated block dicts, at most `limit`, the last one saying how many were left out."""
    if len(blocks) > limit:
        dropped = len(blocks) - (limit - 1)
        blocks = [*blocks[: limit - 1], _context(bt.AND_MORE.format(n=dropped))]
    return [as_dict(b) for b in blocks]


def form_button(form: Form) -> Button:
    """A button that opens the form later (for cards that arrive without a trigger_id)."""
    payload = json.dumps(_form_spec(form), separators=(",", ":"))
    if len(payload) > 2000:  # a long list goes first: its field is typed, words still resolve
        typed = tuple(replace(i, options=()) for i in form.inputs)
        payload = json.dumps(_form_spec(replace(form, inputs=typed)), separators=(",", ":"))
    return Button(form.title, FORM_OPEN, payload if len(payload) <= 2000 else "", "primary")


def form_from_button(value: str) -> Form | None:
    """The form a FORM_OPEN button carries; None when the value isn't one."""
    try:
        spec = json.loads(value)
        return Card.from_dict({"title": "", "form": spec}).form
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def modal(form: Form, metadata: str) -> dict[str, Any]:
    """A form as a modal view; each input's block_id is its name, so errors land inline."""
    blocks: list[Block] = []
    for field in form.inputs:
        element: Any
        if _selectable(field):
            element = _select(field)
        elif field.kind == "number":
            element = NumberInputElement(
                action_id="v", is_decimal_allowed=True, initial_value=field.initial or None
            )
        else:
            element = PlainTextInputElement(
                action_id="v", multiline=True, initial_value=field.initial or None
            )
        blocks.append(
            InputBlock(
                block_id=field.name,
                label=cut(field.label, 2000),
                element=element,
                optional=not field.required,
            )
        )
    view = View(
        type="modal",
        callback_id=SUBMIT_CALLBACK,
        title=cut(form.title, 24),
        submit=cut(form.submit or bt.SUBMIT, 24),
        close=st.CANCEL,
        private_metadata=metadata,
        blocks=fit(blocks, VIEW_BLOCKS),
    )
    return as_dict(view)


def _selectable(field: Input) -> bool:
    """A choice Slack can list: options within its limits (a value is cut nowhere, since the
    value cut would pick nothing); beyond them the field is typed, as the use case allows."""
    return (
        field.kind == "choice"
        and 0 < len(field.options) <= SELECT_OPTIONS
        and all(0 < len(value) <= OPTION_VALUE_CHARS for value, _ in field.options)
    )


def _select(field: Input) -> StaticSelectElement:
    options = [
        Option(value=value, text=cut(label or value, OPTION_CHARS))
        for value, label in field.options
    ]
    initial = next((o for o in options if o.value == field.initial), None)
    return StaticSelectElement(action_id="v", options=options, initial_option=initial)


def result_view(reply: Reply) -> dict[str, Any]:
    """What a modal turns into after a successful submission."""
    title = reply.cards[0].title if reply.cards else st.DONE
    blocks = [b for card in reply.cards for b in card_blocks(card)]
    view = View(
        type="modal",
        callback_id=RESULT_CALLBACK,
        title=cut(title, 24),
        close=st.DONE,
        blocks=fit(blocks, VIEW_BLOCKS),
    )
    return as_dict(view)


def home_view(cards: Sequence[Card]) -> dict[str, Any]:
    """The App Home tab: the cards one under another."""
    return as_dict(View(type="home", blocks=fit(_stacked(cards), VIEW_BLOCKS)))


def decided(
    blocks: Iterable[dict[str, Any]], action_id: str, outcome: Sequence[Card]
) -> list[dict[str, Any]]:
    """The original message with the pressed button gone and the outcome added under it.
    Buttons of the same feature with the pressed one's value act on the same thing
    (Accept/Reject #4) and go too; a digest's other buttons on other things stay."""
    blocks = list(blocks)
    elements = [e for b in blocks if b.get("type") == "actions" for e in b.get("elements", [])]
    value = next((e.get("value") for e in elements if e.get("action_id") == action_id), None)
    feature = action_id.split(":")[0]

    def stale(e: dict[str, Any]) -> bool:
        same = str(e.get("action_id", "")).split(":")[0] == feature
        return e.get("action_id") == action_id or (bool(value) and same and e.get("value") == value)

    kept: list[dict[str, Any]] = []
    for block in blocks:
        if block.get("type") == "actions":
            elements = [e for e in block.get("elements", []) if not stale(e)]
            if not elements:
                continue
            block = {**block, "elements": elements}
        kept.append(block)
    note = "; ".join(f"{c.title}: {' '.join(c.lines)}" if c.lines else c.title for c in outcome)
    done = as_dict(_context("✓ " + note))
    return [*kept[: MESSAGE_BLOCKS - 1], done]


def _sections(lines: Sequence[str]) -> list[Block]:
    """Lines as sections of at most 3,000 characters; past MAX_LINES, "…and N more"."""
    shown = [escape(line) for line in lines[:MAX_LINES]]
    if len(lines) > MAX_LINES:
        shown.append("_" + bt.AND_MORE.format(n=len(lines) - MAX_LINES) + "_")
    out: list[Block] = []
    chunk = ""
    for line in shown:
        line = cut(line, SECTION_CHARS)
        if chunk and len(chunk) + 1 + len(line) > SECTION_CHARS:
            out.append(SectionBlock(text=MarkdownTextObject(text=chunk)))
            chunk = ""
        chunk = f"{chunk}\n{line}" if chunk else line
    if chunk:
        out.append(SectionBlock(text=MarkdownTextObject(text=chunk)))
    return out


def _context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=cut(escape(text), SECTION_CHARS))])


def chat_link(b: Button) -> str | None:
    """A chat button's link to a direct message with the person on Slack (app_redirect
    takes a member id as the channel and opens the DM in the reader's workspace)."""
    account = b.account(PLATFORM) if b.chat else None
    if account is None or not account[0].isascii() or not account[0].isalnum():
        return None
    return f"https://slack.com/app_redirect?channel={account[0]}"


def _button(b: Button) -> ButtonElement:
    link = chat_link(b)
    if link is not None:
        return ButtonElement(text=cut(b.label, 75), action_id=f"{LINK}:{b.value}", url=link)
    return ButtonElement(
        text=cut(b.label, 75),
        # action_id must be unique in a message; a form button's digest keeps it so.
        action_id=b.callback if b.action != FORM_OPEN else f"{FORM_OPEN}:{_digest(b.value)}",
        value=b.value[:2000] or None,
        style=b.style if b.style in ("primary", "danger") else None,
    )


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:12]


def _form_spec(form: Form) -> dict[str, Any]:
    spec: dict[str, Any] = Card(title="", form=form).to_dict()["form"]
    return spec
