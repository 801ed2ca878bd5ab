"""The platforms this code knows, by name, each with its deliverer: one explicit registry.

A platform's `deliver` module is its entry here: `PLATFORM` (its name) and
`make_deliverer(settings, uow)` (None when it isn't configured). Adding a platform is
one import and one line in PLATFORMS; their order is the order of preference when a
person can be reached on several.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any, Protocol

from bot.config import Settings
from bot.console import deliver as console_deliver
from bot.delivery import Deliverer
from bot.doctor.finding import Finding
from bot.feishu import deliver as feishu
from bot.feishu import health as feishu_health
from bot.slack import deliver as slack
from bot.slack import health as slack_health
from bot.telegram import deliver as telegram
from bot.telegram import health as telegram_health
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
# `perfbot doctor`'s check of each chat platform's credentials: its `health` module's
# check_credentials(settings), a Finding, or None when the platform isn't configured.
CredentialCheck = Callable[[Settings], Coroutine[Any, Any, Finding | None]]
CREDENTIAL_CHECKS: dict[str, CredentialCheck] = {
    slack.PLATFORM: slack_health.check_credentials,
    telegram.PLATFORM: telegram_health.check_credentials,
    feishu.PLATFORM: feishu_health.check_credentials,
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
