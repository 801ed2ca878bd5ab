"""bot/strings.py in the language being spoken (handlers.i18n); add strings there."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot import strings as _english
from handlers.i18n import localized

if TYPE_CHECKING:  # the same names and types as the English module
    from bot.strings import *  # noqa: F403


def __getattr__(name: str) -> Any:
    return localized(getattr(_english, name))
