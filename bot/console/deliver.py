"""The console platform's deliverer: prints each notice with its recipient."""

from __future__ import annotations

import sys
from itertools import count
from typing import TextIO

from bot.config import Settings
from bot.console.render import render
from bot.delivery import Target
from handlers.cards import Card
from store.uow import UowFactory

PLATFORM = "console"


def make_deliverer(settings: Settings, uow: UowFactory) -> ConsoleDeliverer:
    """The console reaches everyone; bot/platforms.py adds it when asked, or when no
    other platform is configured."""
    return ConsoleDeliverer()


class ConsoleDeliverer:
    """Reaches everyone (it only prints); used by the demo and when no chat app is set up."""

    platform = PLATFORM
    per_second = float("inf")
    per_target_interval = 0.0

    def __init__(self, out: TextIO | None = None) -> None:
        self._out = out
        self._seq = count(1)

    def can_reach(self, target: Target) -> bool:
        return True

    async def deliver(self, target: Target, card: Card) -> str:
        to = f"{target.name} <{target.email}>" if target.email else target.channel or "?"
        body = "\n".join("    " + line for line in render(card).splitlines())
        out = self._out or sys.stdout
        out.write(f"→ {to}\n{body}\n\n")
        out.flush()
        return f"console:{next(self._seq)}"
