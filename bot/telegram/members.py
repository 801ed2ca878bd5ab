"""The people a Telegram bot can see, for `perfbot org import telegram`. The Bot API can't
list a workspace, so: who wrote to the bot (pending updates, read without confirming them),
the administrators of its group chats (`getChatAdministrators`), and accounts perfbot has
linked already (looked up in those groups with `getChatMember`)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from telegram import Bot, Chat, User
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, TelegramError

from bot.config import Settings
from bot.members import KnownAccount, Member, MembersError, Roster
from bot.telegram import PLATFORM as PLATFORM  # the registry reads it here
from bot.telegram import texts as st
from bot.telegram.build import ConfigError, make_bot

GROUPS = (Chat.GROUP, Chat.SUPERGROUP)
CHAT_ID = re.compile(r"^(-?\d+|@\w+)$")  # a chat id, or a public group's @username


def read_members(
    settings: Settings, *, chats: Sequence[str], known: Mapping[str, KnownAccount]
) -> Roster:
    """Everyone the bot can see, with name and handle; e-mails only of linked accounts."""
    try:
        bot = make_bot(settings.telegram)
    except ConfigError as exc:
        raise MembersError(*exc.args) from None  # its Said
    try:
        return asyncio.run(_Reader(bot, known).read(chats))
    except InvalidToken:
        raise MembersError(st.MEMBERS_BAD_TOKEN) from None
    except TelegramError as exc:  # the network, or an answer that isn't one
        raise MembersError(st.MEMBERS_FAILED.format(error=exc.message)) from None


class _Reader:
    def __init__(self, bot: Bot, known: Mapping[str, KnownAccount]) -> None:
        self.bot, self.known = bot, known
        self.found: dict[str, Member] = {}
        self.groups: dict[int, str] = {}  # group chat id -> title
        self.notes: list[str] = [st.MEMBERS_NOTE_WHO, st.MEMBERS_NOTE_FILL]

    async def read(self, chats: Sequence[str]) -> Roster:
        async with self.bot:  # getMe: a wrong token fails here
            await self._updates()
            for chat in chats:
                if CHAT_ID.match(chat):  # a Slack channel such as #kudos is not one of ours
                    await self._chat(chat)
            if not self.groups:
                self.notes.append(st.MEMBERS_NO_GROUPS)
            for chat_id, title in self.groups.items():
                await self._admins(chat_id, title)
            await self._known()
        return Roster(PLATFORM, list(self.found.values()), self.notes)

    async def _updates(self) -> None:
        """Senders and group chats of the pending updates; no offset, so none is consumed."""
        if (await self.bot.get_webhook_info()).url:
            self.notes.append(st.MEMBERS_WEBHOOK)
            return
        try:
            updates = await self.bot.get_updates(timeout=0)
        except Conflict:
            self.notes.append(st.MEMBERS_POLLING)
            return
        for update in updates:
            chat, title = update.effective_chat, None
            if chat is not None and chat.type in GROUPS:
                title = self.groups[chat.id] = chat.title or str(chat.id)
            if update.effective_user is not None:
                self._add(update.effective_user, title)

    async def _chat(self, chat: str) -> None:
        try:
            info = await self.bot.get_chat(chat)
        except (BadRequest, Forbidden) as exc:
            self.notes.append(st.MEMBERS_CHAT_FAILED.format(chat=chat, error=exc.message))
            return
        self.groups[info.id] = info.title or str(info.id)

    async def _admins(self, chat_id: int, title: str) -> None:
        try:
            admins = await self.bot.get_chat_administrators(chat_id)
            count = await self.bot.get_chat_member_count(chat_id)
        except (BadRequest, Forbidden) as exc:
            self.notes.append(st.MEMBERS_CHAT_FAILED.format(chat=title, error=exc.message))
            return
        people = [a.user for a in admins if not a.user.is_bot]
        for user in people:
            self._add(user, title)
        # the count includes bots (this one at least): only say so when people are missing
        if count - (len(admins) - len(people)) - 1 > len(people):
            self.notes.append(
                st.MEMBERS_GROUP_PARTIAL.format(title=title, count=count, listed=len(people))
            )

    async def _known(self) -> None:
        """Linked accounts: their current name from a group they are in, else as stored."""
        for uid, account in self.known.items():
            if uid in self.found:
                continue
            for chat_id, title in self.groups.items():
                try:
                    member = await self.bot.get_chat_member(chat_id, int(uid))
                except (BadRequest, Forbidden, ValueError):
                    continue
                if member.status not in ("left", "kicked"):
                    self._add(member.user, title)
                    break
            else:
                self.found[uid] = Member(user_id=uid, name=account.name, email=account.email)

    def _add(self, user: User, where: str | None = None) -> None:
        if user.is_bot:
            return
        uid = str(user.id)
        linked = self.known.get(uid)
        seen = self.found.get(uid) or Member(
            user_id=uid,
            name=user.full_name or (linked.name if linked else uid),
            email=linked.email if linked else None,
            handle=user.username,
        )
        if where and st.MEMBERS_IN_GROUP.format(title=where) not in seen.found_in:
            seen = replace(seen, found_in=(*seen.found_in, st.MEMBERS_IN_GROUP.format(title=where)))
        self.found[uid] = seen
