"""The chat platforms perfbot knows, by the name their identities are stored under: the
keys of an org file's `chat:` map, and how each shows a linked account ("Message Ana")."""

from __future__ import annotations

from bot import feishu, slack, telegram
from bot.feishu import strings as feishu_strings
from bot.slack import strings as slack_strings
from bot.telegram import strings as telegram_strings

CHAT_PLATFORMS: tuple[str, ...] = (slack.PLATFORM, telegram.PLATFORM, feishu.PLATFORM)
CONTACTS: dict[str, tuple[str, str]] = {
    slack.PLATFORM: (slack_strings.CONTACT, slack_strings.CONTACT),
    telegram.PLATFORM: (telegram_strings.CONTACT, telegram_strings.CONTACT_NO_USERNAME),
    feishu.PLATFORM: (feishu_strings.CONTACT, feishu_strings.CONTACT),
}
