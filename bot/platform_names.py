"""The chat platforms perfbot knows, by the name their identities are stored under: the
keys of an org file's `chat:` map, and how each shows a linked account ("Message Ana")."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from bot import feishu, slack, telegram
from bot.feishu import texts as feishu_strings
from bot.slack import texts as slack_strings
from bot.telegram import texts as telegram_strings

CHAT_PLATFORMS: tuple[str, ...] = (slack.PLATFORM, telegram.PLATFORM, feishu.PLATFORM)


class _Contacts(Mapping[str, tuple[str, str]]):
    """Platform -> how a linked account reads (with a username, without), in the language
    spoken when it is read."""

    def __getitem__(self, platform: str) -> tuple[str, str]:
        if platform == slack.PLATFORM:
            return (slack_strings.CONTACT, slack_strings.CONTACT)
        if platform == telegram.PLATFORM:
            return (telegram_strings.CONTACT, telegram_strings.CONTACT_NO_USERNAME)
        if platform == feishu.PLATFORM:
            return (feishu_strings.CONTACT, feishu_strings.CONTACT)
        raise KeyError(platform)

    def __iter__(self) -> Iterator[str]:
        return iter(CHAT_PLATFORMS)

    def __len__(self) -> int:
        return len(CHAT_PLATFORMS)


CONTACTS: Mapping[str, tuple[str, str]] = _Contacts()
