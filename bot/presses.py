"""What every chat platform needs to know of a button's answer: whether the button only
showed something (the card it sits on stays as it is), and whether its work was already
done or no longer exists (the stale button goes instead of a result)."""

from __future__ import annotations

from handlers import strings_en as t
from handlers.cards import Reply

# Presses that only show something: the message they came from stays as it is.
INFO_ACTIONS = frozenset({"ex", "sc", "hm", "rt:pg"})


def is_stale(reply: Reply) -> bool:
    """True when the handler said the button's work was already done or no longer exists."""
    lines = [line for card in reply.cards for line in card.lines]
    titles = [card.title for card in reply.cards]
    return t.ALREADY_HANDLED in lines or t.UNKNOWN_ACTION in lines or t.STALE_TITLE in titles
