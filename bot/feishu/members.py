"""The Feishu organisation's members for `perfbot org import feishu`: the whole department
tree and each department's direct users (contact v3, bot/feishu/contact.py), with leaders
as managers and departments as teams; resigned, suspended and unactivated accounts left out."""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.config import Settings
from bot.feishu import PLATFORM as PLATFORM  # the registry reads it here
from bot.feishu import texts as st
from bot.feishu.errors import ConfigError, FeishuError
from bot.members import KnownAccount, Member, MembersError, Roster, Team

if TYPE_CHECKING:  # the Lark SDK loads when the organisation is read, not with the registry
    from lark_oapi.api.contact.v3 import Department, User

    from bot.feishu.api import FeishuApi

NO_SCOPE = 99991672  # "Access denied. One of the following scopes is required: [...]"
# Outside the app's contact range: no department authority, no user authority.
OUT_OF_RANGE = frozenset({40004, 41050})
SCOPES = re.compile(r"\[([^\]]+)\]")  # the scopes listed in a 99991672 msg


def read_members(
    settings: Settings, *, chats: Sequence[str], known: Mapping[str, KnownAccount]
) -> Roster:
    """Every active person of the organisation the app may see, with name, e-mail, title,
    time zone, leader and department."""
    from bot.feishu.api import FeishuApi  # the SDK only when reading Feishu

    try:
        api = FeishuApi(settings.feishu)
    except ConfigError as exc:
        raise MembersError(*exc.args) from None  # its Said
    try:
        return asyncio.run(_read(api, known))
    except FeishuError as exc:
        raise MembersError(_explain(exc, api.base_url)) from None


async def _read(api: FeishuApi, known: Mapping[str, KnownAccount]) -> Roster:
    """The credentials checked, then the departments, then each one's users (root first)."""
    from bot.feishu import contact  # its requests are the SDK's models

    try:
        # A token cached by an earlier run would hide credentials changed since.
        api.forget_token()
        try:
            await api.check()
        except FeishuError as exc:
            if exc.status == 0:
                raise
            raise MembersError(st.CREDENTIALS_REFUSED.format(code=exc.code, msg=exc.msg)) from None
        departments = await contact.departments(api)
        found = _Found()
        for dept in [contact.ROOT, *(d.open_department_id or "" for d in departments)]:
            for user in await contact.users(api, dept):
                found.add(user, dept)
    finally:
        await api.close()
    return _roster(departments, found, known)


@dataclass
class _Found:
    """Users by open_id, each with the departments they were listed in (walk order)."""

    users: dict[str, User] = field(default_factory=dict)
    homes: dict[str, list[str]] = field(default_factory=dict)
    left_out: set[str] = field(default_factory=set)

    def add(self, user: User, department: str) -> None:
        uid = user.open_id or ""
        if not uid:
            return
        if not _active(user):
            self.left_out.add(uid)
            return
        self.users.setdefault(uid, user)
        self.homes.setdefault(uid, []).append(department)


def _active(user: User) -> bool:
    """Not resigned, suspended (frozen), exited or unjoined, and activated (where said)."""
    s = user.status
    if s is None:
        return True
    gone = s.is_resigned or s.is_frozen or s.is_exited or s.is_unjoin
    return not gone and s.is_activated is not False


def _roster(
    departments: list[Department], found: _Found, known: Mapping[str, KnownAccount]
) -> Roster:
    names = _team_names(departments)
    members = [_member(u, found.homes[uid], names, known) for uid, u in found.users.items()]
    teams = [
        Team(
            names[d.open_department_id or ""],
            names.get(d.parent_department_id or ""),
            d.leader_user_id or None,
        )
        for d in departments
    ]
    notes = list(st.MEMBERS_NOTES)
    if not departments:
        notes.append(st.MEMBERS_NO_DEPARTMENTS)
    elif any(not (d.name or "").strip() for d in departments):
        notes.append(st.MEMBERS_NO_DEPARTMENT_NAME)
    if missing := sum(1 for m in members if not m.email):
        notes.append(st.MEMBERS_NO_EMAIL.format(count=missing))
    if unlisted := sum(1 for m in members if m.manager_id and m.manager_id not in found.users):
        notes.append(st.MEMBERS_NO_LEADER.format(count=unlisted))
    if found.users and all(u.status is None for u in found.users.values()):
        notes.append(st.MEMBERS_NO_STATUS)
    if gone := len(found.left_out - set(found.users)):
        notes.append(st.MEMBERS_SKIPPED.format(count=gone))
    return Roster(PLATFORM, members, notes, teams)


def _team_names(departments: list[Department]) -> dict[str, str]:
    """open_department_id -> a team name: the department's, with its parent's where two
    departments share a name (and its id where that is not enough)."""
    by_id = {d.open_department_id or "": d for d in departments}
    own = {i: (d.name or i).strip() for i, d in by_id.items()}
    counts = Counter(own.values())
    named = {
        i: n if counts[n] == 1 else f"{n} ({own.get(by_id[i].parent_department_id or '', '')})"
        for i, n in own.items()
    }
    again = Counter(named.values())
    return {i: n if again[n] == 1 else f"{n} [{i}]" for i, n in named.items()}


def _member(
    user: User, homes: list[str], names: dict[str, str], known: Mapping[str, KnownAccount]
) -> Member:
    uid = user.open_id or ""
    linked = known.get(uid)
    # department_ids (contact:user.department:readonly) first: Feishu makes the first one given
    # a user their primary department; else the order the walk found them in
    teams = [names[d] for d in [*(user.department_ids or []), *homes] if d in names]
    teams = list(dict.fromkeys(teams))
    email = next((e.strip() for e in (user.email, user.enterprise_email) if e and e.strip()), None)
    others = (st.MEMBERS_ALSO_IN.format(teams=", ".join(teams[1:])),) if teams[1:] else ()
    return Member(
        user_id=uid,
        name=(user.name or user.en_name or (linked.name if linked else None) or uid).strip(),
        email=email or (linked.email if linked else None),
        title=(user.job_title or "").strip() or None,
        timezone=_zone(user.time_zone),
        manager_id=user.leader_user_id if user.leader_user_id not in (None, "", uid) else None,
        team=teams[0] if teams else None,
        found_in=others,
    )


def _zone(name: str | None) -> str | None:
    """An IANA time zone, or None for anything else."""
    if not name or "/" not in name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def _explain(exc: FeishuError, base: str) -> str:
    """One line saying what Feishu refused and what to change."""
    if exc.status == 0:
        return st.API_UNREACHABLE.format(base=base, msg=exc.msg)
    if exc.code == NO_SCOPE:
        listed = SCOPES.search(exc.msg)
        scopes = listed.group(1) if listed else "contact:contact.base:readonly"
        return st.MEMBERS_SCOPE.format(code=exc.code, scopes=scopes)
    if exc.code in OUT_OF_RANGE:
        return st.MEMBERS_RANGE.format(code=exc.code, msg=exc.msg)
    return st.MEMBERS_FAILED.format(code=exc.code, msg=exc.msg)
