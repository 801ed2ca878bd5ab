"""The platforms this code knows, by name, each with its deliverer: one explicit registry.

A platform's `deliver` module is its entry here: `PLATFORM` (its name) and
`make_deliverer(settings, uow)` (None when it isn't configured). Adding a platform is
one import and one line in PLATFORMS; their order is the order of preference when a
person can be reached on several.
"""

from __future__ import annotations

import logging
from typing import Protocol

from bot.config import Settings
from bot.console import deliver as console_deliver
from bot.delivery import Deliverer
from bot.feishu import deliver as feishu
from bot.slack import deliver as slack
from bot.telegram import deliver as telegram
from bot.webhook import deliver as webhook
from store.uow import UowFactory

log = logging.getLogger(__name__)


class Platform(Protocol):
    """What the shell needs of a platform: its name, and its outbox sender from settings."""

    PLATFORM: str

    def make_deliverer(self, settings: Settings, uow: UowFactory) -> Deliverer | None:
        """The platform's deliverer, or None when it isn't configured."""
        ...


PLATFORMS: dict[str, Platform] = {
    slack.PLATFORM: slack,
    telegram.PLATFORM: telegram,
    feishu.PLATFORM: feishu,
    webhook.PLATFORM: webhook,
}
# Prints every notice: the demo's, and the fallback when no platform is configured.
CONSOLE = console_deliver


def build_deliverers(
    settings: Settings, uow: UowFactory, *, console: bool | None = None
) -> list[Deliverer]:
    """Configured platforms in order of preference; the console alone when none is
    configured (or always last when `console` is True, never when False)."""
    found = [
        d
        for platform in PLATFORMS.values()
        if (d := platform.make_deliverer(settings, uow)) is not None
    ]
    if console or (console is None and not found):
        found.append(CONSOLE.make_deliverer(settings, uow))
    log.info("delivering through: %s", ", ".join(d.platform for d in found))
    return found
