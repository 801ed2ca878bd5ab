"""The chat platforms perfbot knows, by the name their identities are stored under: the
keys of an org file's `chat:` map, and how each shows a linked account ("Message Ana")."""

from __future__ import annotations

from bot import slack, telegram
from bot.slack import texts as slack_strings
from bot.telegram import texts as telegram_strings

CHAT_PLATFORMS: tuple[str, ...] = (slack.PLATFORM, telegram.PLATFORM)
CONTACTS: dict[str, tuple[str, str]] = {
    slack.PLATFORM: (slack_strings.CONTACT, slack_strings.CONTACT),
    telegram.PLATFORM: (telegram_strings.CONTACT, telegram_strings.CONTACT_NO_USERNAME),
}
