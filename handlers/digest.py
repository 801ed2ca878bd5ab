"""Several cards for one person as one: a digest (each card's title as a heading line)."""

from __future__ import annotations

from collections.abc import Sequence

from handlers.cards import Card


def merge(title: str, cards: Sequence[Card]) -> Card:
    """One card: each part's title as a heading line, then its lines, fields and buttons in
    order (button values name what they act on, so the parts' buttons stay distinct)."""
    if len(cards) == 1:
        return cards[0]
    lines: list[str] = []
    for c in cards:
        lines += [f"■ {c.title}", *c.lines]
    feet = list(dict.fromkeys(c.footnote for c in cards if c.footnote))
    return Card(
        title=title,
        lines=tuple(lines),
        fields=tuple(f for c in cards for f in c.fields),
        buttons=tuple(b for c in cards for b in c.buttons),
        footnote=" ".join(feet),
        private=any(c.private for c in cards),
    )
