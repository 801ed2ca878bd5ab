"""The member reader of each chat platform `perfbot org import` can read, by name: one
import and one line here per platform (its reader is `bot/<platform>/members.py`)."""

from __future__ import annotations

from bot.feishu import members as feishu
from bot.members import MemberReader
from bot.slack import members as slack
from bot.telegram import members as telegram

READERS: dict[str, MemberReader] = {
    feishu.PLATFORM: feishu,
    slack.PLATFORM: slack,
    telegram.PLATFORM: telegram,
}
