"""The deliverers this deployment has: each configured chat platform, else the console.

A platform adapter joins by exposing `make_deliverer(settings, uow) -> Deliverer | None`
(None when it isn't configured) in the module named in ADAPTERS; their order is the
order of preference when a person can be reached on several platforms.
"""

from __future__ import annotations

import importlib
import logging

from bot.config import Settings
from bot.console.deliver import ConsoleDeliverer
from bot.delivery import Deliverer
from bot.webhook.deliver import WebhookDeliverer
from store.uow import UowFactory

log = logging.getLogger(__name__)
ADAPTERS = ("bot.slack.deliver", "bot.telegram.app_delivery")


def build_deliverers(
    settings: Settings, uow: UowFactory, *, console: bool | None = None
) -> list[Deliverer]:
    """Configured platforms in order of preference; the console alone when none is
    configured (or always last when `console` is True, never when False)."""
    found: list[Deliverer] = []
    for name in ADAPTERS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise  # the adapter exists but is broken: say so loudly
            continue
        make = getattr(module, "make_deliverer", None)
        deliverer = make(settings, uow) if make else None
        if deliverer is not None:
            found.append(deliverer)
    hook = settings.webhook
    if hook.url:
        found.append(
            WebhookDeliverer(
                hook.url,
                per_second=hook.per_second,
                per_target_interval=hook.per_target_interval,
                timeout=hook.timeout,
                token=hook.token.get_secret_value() if hook.token else None,
            )
        )
    if console or (console is None and not found):
        found.append(ConsoleDeliverer())
    log.info("delivering through: %s", ", ".join(d.platform for d in found))
    return found
