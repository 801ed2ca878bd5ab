"""The member reader of each chat platform `perfbot org import` can read, by name: one
line here per platform (its reader is `bot/<platform>/members.py`), imported when that
platform is read so the other platforms' SDKs never load."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from bot import feishu, slack, telegram
from bot.deferred import Deferred
from bot.members import MemberReader

READERS: dict[str, MemberReader] = {
    feishu.PLATFORM: cast(MemberReader, Deferred(feishu.PLATFORM, "bot.feishu.members")),
    slack.PLATFORM: cast(MemberReader, Deferred(slack.PLATFORM, "bot.slack.members")),
    telegram.PLATFORM: cast(MemberReader, Deferred(telegram.PLATFORM, "bot.telegram.members")),
}
if TYPE_CHECKING:  # the named modules are what the registry takes them for
    from bot.feishu import members as _feishu
    from bot.slack import members as _slack
    from bot.telegram import members as _telegram

    _READERS: tuple[MemberReader, ...] = (_feishu, _slack, _telegram)
