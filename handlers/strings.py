"""The use cases' messages (handlers/strings_en.py) in the language being spoken.

`from handlers import strings as t`; `t.SCORE_TITLE` is the catalogue's text for the current
locale (handlers.i18n). Add new strings to strings_en.py; this module has none of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from handlers import strings_en as _english
from handlers.i18n import localized

if TYPE_CHECKING:  # the same names and types as the English module
    from handlers.strings_en import *  # noqa: F403


def __getattr__(name: str) -> Any:
    return localized(getattr(_english, name))
