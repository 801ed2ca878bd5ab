"""The platforms this code knows, by name, each with its deliverer: one explicit registry.

A platform's `deliver` module is its entry here: `PLATFORM` (its name) and
`make_deliverer(settings, uow)` (None when it isn't configured). Adding a platform is
one line in PLATFORMS (and one in the type check below); their order is the order of
preference when a person can be reached on several. The chat platforms' modules are
named, not imported: each is imported when first asked for a deliverer or a credential
check, so a command that sends nothing never loads a chat SDK (Lark's alone takes about
two seconds to import).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, Protocol, cast

from bot import feishu, slack, telegram
from bot.config import Settings
from bot.console import deliver as console_deliver
from bot.deferred import Deferred
from bot.delivery import Deliverer
from bot.doctor.finding import Finding
from bot.webhook import deliver as webhook
from store.uow import UowFactory

log = logging.getLogger(__name__)


class Platform(Protocol):
    """What the shell needs of a platform: its name, and its outbox sender from settings."""

    PLATFORM: str

    def make_deliverer(self, settings: Settings, uow: UowFactory) -> Deliverer | None:
        """The platform's deliverer, or None when it isn't configured."""
        ...


# `perfbot doctor`'s check of each chat platform's credentials: its `health` module's
# check_credentials(settings), a Finding, or None when the platform isn't configured.
CredentialCheck = Callable[[Settings], Coroutine[Any, Any, Finding | None]]


def _deferred_check(module: str) -> CredentialCheck:
    """The `health` module's check_credentials, the module imported when the check runs."""

    async def check(settings: Settings) -> Finding | None:
        found = cast(CredentialCheck, importlib.import_module(module).check_credentials)
        return await found(settings)

    return check


PLATFORMS: dict[str, Platform] = {
    slack.PLATFORM: cast(Platform, Deferred(slack.PLATFORM, "bot.slack.deliver")),
    telegram.PLATFORM: cast(Platform, Deferred(telegram.PLATFORM, "bot.telegram.deliver")),
    feishu.PLATFORM: cast(Platform, Deferred(feishu.PLATFORM, "bot.feishu.deliver")),
    webhook.PLATFORM: webhook,
}
CREDENTIAL_CHECKS: dict[str, CredentialCheck] = {
    slack.PLATFORM: _deferred_check("bot.slack.health"),
    telegram.PLATFORM: _deferred_check("bot.telegram.health"),
    feishu.PLATFORM: _deferred_check("bot.feishu.health"),
}
if TYPE_CHECKING:  # the named modules are what the registry takes them for
    from bot.feishu import deliver as _feishu
    from bot.feishu import health as _feishu_health
    from bot.slack import deliver as _slack
    from bot.slack import health as _slack_health
    from bot.telegram import deliver as _telegram
    from bot.telegram import health as _telegram_health

    _DELIVER: tuple[Platform, ...] = (_slack, _telegram, _feishu)
    _CHECKS: tuple[CredentialCheck, ...] = (
        _slack_health.check_credentials,
        _telegram_health.check_credentials,
        _feishu_health.check_credentials,
    )
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
