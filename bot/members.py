"""A chat workspace's members, as a platform reports them: the neutral shape each platform's
member reader (`bot/<platform>/members.py`) returns for `perfbot org import`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from bot.config import Settings


class MembersError(Exception):
    """The platform could not be read (bad token, missing scope, unreachable): one line."""


@dataclass(frozen=True)
class Member:
    """One person of the workspace; None where the platform does not say."""

    user_id: str  # the platform's user id: the value of `chat: {<platform>: ...}`
    name: str
    email: str | None = None
    title: str | None = None
    timezone: str | None = None  # an IANA name, e.g. Asia/Shanghai
    handle: str | None = None  # @username, written as a comment to help fill in the e-mail
    manager_id: str | None = None  # the manager's user id, where the platform knows it
    team: str | None = None  # a department or team, where the platform knows it
    found_in: tuple[str, ...] = ()  # where the reader found them (a group chat's title)


@dataclass(frozen=True)
class Team:
    """A team as the platform's directory knows it (a Feishu department)."""

    name: str
    parent: str | None = None  # the name of the team it belongs to
    manager_id: str | None = None  # its leader's user id


@dataclass(frozen=True)
class Roster:
    """What a reader found, with notes on what it could not know (written into the file);
    `teams`: the teams the platform's directory knows, empty ones included."""

    platform: str
    members: list[Member]
    notes: list[str] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)


@dataclass(frozen=True)
class KnownAccount:
    """A chat account perfbot already has linked to a person (from the database)."""

    email: str
    name: str


class MemberReader(Protocol):
    """A platform's member reader: its name and one call reading the workspace."""

    PLATFORM: str

    def read_members(
        self, settings: Settings, *, chats: Sequence[str], known: Mapping[str, KnownAccount]
    ) -> Roster:
        """Every person the platform lets us list; `chats`: group chats to look in;
        `known`: accounts already linked, by user id. Raises MembersError."""
        ...
