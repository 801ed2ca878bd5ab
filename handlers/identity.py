"""Resolve people: chat identities and mentions to employees."""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers.actor import Actor
from handlers.commands import PersonRef
from handlers.i18n import normalize
from store.models import ChatIdentity, Employee
from store.queries.org import ActorRow
from store.uow import UnitOfWork

# E.164: "+", a country code and the number, 15 digits at most; the separators people write
# (spaces, dashes, dots, brackets) are dropped first.
_E164 = re.compile(r"\+[1-9][0-9]{6,14}")
_SEPARATORS = re.compile(r"[\s\-.()]")


def actor_for(emp: Employee, platform: str, locale: str | None = None) -> Actor:
    """The Actor for an employee row (`locale`: what `uow.org.locale_of` says for them)."""
    return Actor(emp.id, emp.email, emp.name, emp.role, emp.branch_id, platform, locale=locale)


def actor_by_email(uow: UnitOfWork, email: str, platform: str = "console") -> Actor | None:
    """The active employee with this e-mail, as an Actor."""
    row = uow.org.actor_row_by_email(email.strip().lower())
    return _actor(row, platform) if row else None


def actor_by_mobile(uow: UnitOfWork, mobile: str, platform: str = "console") -> Actor | None:
    """The active employee with this mobile number (any spelling of the same E.164 number)."""
    number = e164(mobile)
    row = uow.org.actor_row_by_mobile(number) if number else None
    return _actor(row, platform) if row else None


def e164(text: str) -> str | None:
    """A phone number as E.164 (`+8613800138000`), or None when it isn't one (no `+` and
    country code, or too short or long)."""
    number = _SEPARATORS.sub("", text.strip())
    return number if _E164.fullmatch(number) else None


def actor_by_identity(uow: UnitOfWork, platform: str, user_id: str) -> Actor | None:
    """The employee linked to a platform user id, if any."""
    row = uow.org.actor_row_by_identity(platform, user_id)
    return _actor(row, platform) if row else None


def _actor(row: ActorRow, platform: str) -> Actor:
    emp_id, email, name, role, branch_id, tz, locale = row
    return Actor(emp_id, email, name, role, branch_id, platform, tz or "UTC", locale)


@dataclass(frozen=True)
class ChatAccount:
    """A chat account as its platform reports it: the platform and its user id, with what
    perfbot keeps fresh (username, the private chat with the bot, and the language the
    platform says they use, as it writes it: `zh-CN`)."""

    platform: str
    user_id: str
    username: str | None = None
    dm_channel: str | None = None
    language: str | None = None

    @property
    def who(self) -> str:
        """The account as the audit log names it: `platform:user id`."""
        return f"{self.platform}:{self.user_id}"


def link_identity(uow: UnitOfWork, account: ChatAccount, employee_id: int) -> None:
    """Remember that a chat account is this employee (audited), with what its platform says."""
    a = account
    ident = uow.org.identity(a.platform, a.user_id)
    before = {"employee_id": ident.employee_id} if ident else None
    if ident is None:
        ident = ChatIdentity(platform=a.platform, platform_user_id=a.user_id, linked_at=uow.clock())
        uow.add(ident)
    ident.employee_id, ident.username = employee_id, a.username or ident.username
    ident.dm_channel = a.dm_channel or ident.dm_channel
    ident.locale = normalize(a.language) if a.language else ident.locale
    after = {"employee_id": employee_id}
    uow.audit_row(ident, a.who, "identity.link", before=before, after=after)


def find_person(uow: UnitOfWork, ref: PersonRef) -> Employee | None:
    """The employee a mention refers to, or None."""
    if ref.kind == "email":
        return uow.org.employee_by_email(ref.value)
    if ref.kind == "chat":
        return uow.org.employee_by_chat(ref.platform, ref.value)
    # A handle: a username on any linked chat account, if it names one person; else the
    # one person whose e-mail starts `name@` (`@ana.li` in the console).
    named = uow.org.employee_ids_by_username(ref.value)
    if len(named) == 1:
        return uow.get(Employee, named.pop())
    rows = uow.org.employees_by_local_part(ref.value)
    return rows[0] if len(rows) == 1 else None
