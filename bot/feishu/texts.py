"""bot/feishu/strings.py in the language being spoken (handlers.i18n); add strings there."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.feishu import strings as _english
from handlers.i18n import localized

if TYPE_CHECKING:  # the same names and types as the English module
    from bot.feishu.strings import *  # noqa: F403


def __getattr__(name: str) -> Any:
    return localized(getattr(_english, name))
