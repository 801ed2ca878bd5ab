"""A neutral card as plain text (the console, and the webhook's `text`): buttons shown as
`[action:value] Label`."""

from __future__ import annotations

import textwrap

from handlers.cards import Card


def render(card: Card, width: int = 78) -> str:
    """Plain-text card with a rule under the title, fields aligned, buttons pressable."""
    out = [card.title, "─" * min(width, max(len(card.title), 20))]
    for line in card.lines:
        out.extend(textwrap.wrap(line, width, subsequent_indent="  ") or [""])
    if card.fields:
        pad = max(len(label) for label, _ in card.fields)
        out.extend(f"{label.ljust(pad)}  {value}" for label, value in card.fields)
    if card.image:
        out.append(f"(image: {card.image.filename}, {card.image.alt})")
    if card.form:
        names = ", ".join(f"{i.name}=…" for i in card.form.inputs)
        out.append(f"(form: press {card.form.action} {card.form.value} {names})")
    # A chat-opening button without a fallback action has nothing to press here.
    buttons = [b for b in card.buttons if b.action]
    if buttons:
        out.append("  ".join(f"[{b.callback}] {b.label}" for b in buttons))
    if card.footnote:
        out.extend(textwrap.wrap(f"※ {card.footnote}", width))
    return "\n".join(out)
