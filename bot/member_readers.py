"""The member reader of each chat platform `perfbot org import` can read, by name: one
line here per platform (its reader is `bot/<platform>/members.py`), imported when that
platform is read so the other platforms' SDKs never load."""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, cast

from bot import feishu, slack, telegram
from bot.config import Settings
from bot.members import KnownAccount, MemberReader, Roster


class _Deferred:
    """A platform's `members` module (named), imported when its members are read."""

    def __init__(self, platform: str, module: str) -> None:
        self.PLATFORM, self._module = platform, module

    def read_members(
        self, settings: Settings, *, chats: Sequence[str], known: Mapping[str, KnownAccount]
    ) -> Roster:
        loaded = cast(MemberReader, importlib.import_module(self._module))
        return loaded.read_members(settings, chats=chats, known=known)


READERS: dict[str, MemberReader] = {
    feishu.PLATFORM: _Deferred(feishu.PLATFORM, "bot.feishu.members"),
    slack.PLATFORM: _Deferred(slack.PLATFORM, "bot.slack.members"),
    telegram.PLATFORM: _Deferred(telegram.PLATFORM, "bot.telegram.members"),
}
if TYPE_CHECKING:  # the named modules are what the registry takes them for
    from bot.feishu import members as _feishu
    from bot.slack import members as _slack
    from bot.telegram import members as _telegram

    _READERS: tuple[MemberReader, ...] = (_feishu, _slack, _telegram)
