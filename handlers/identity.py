"""Resolve people: chat identities and mentions to employees."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, func, select

from handlers.actor import Actor
from handlers.commands import PersonRef
from store.models import Branch, ChatIdentity, Employee
from store.uow import UnitOfWork

# Resolving the actor runs before every chat command, so it is one prebuilt Core select of
# the columns an Actor needs, the branch's time zone joined in (no ORM entity to load, no
# statement to build and hash per call).
_emp, _branch, _ident = Employee.__table__.c, Branch.__table__.c, ChatIdentity.__table__.c
_ACTOR = select(
    _emp.id, _emp.email, _emp.name, _emp.role, _emp.branch_id, _branch.timezone
).select_from(Employee.__table__.outerjoin(Branch.__table__, _branch.id == _emp.branch_id))
_BY_EMAIL = _ACTOR.where(func.lower(_emp.email) == bindparam("email"), _emp.active)
_BY_IDENTITY = _ACTOR.join(ChatIdentity.__table__, _ident.employee_id == _emp.id).where(
    _ident.platform == bindparam("platform"),
    _ident.platform_user_id == bindparam("user"),
    _emp.active,
)


def actor_for(emp: Employee, platform: str) -> Actor:
    """The Actor for an employee row."""
    return Actor(
        employee_id=emp.id,
        email=emp.email,
        name=emp.name,
        role=emp.role,
        branch_id=emp.branch_id,
        platform=platform,
    )


def actor_by_email(uow: UnitOfWork, email: str, platform: str = "console") -> Actor | None:
    """The active employee with this e-mail, as an Actor."""
    row = uow.session.execute(_BY_EMAIL, {"email": email.strip().lower()}).first()
    return _actor(row, platform) if row else None


def actor_by_identity(uow: UnitOfWork, platform: str, user_id: str) -> Actor | None:
    """The employee linked to a platform user id, if any."""
    row = uow.connection.execute(_BY_IDENTITY, {"platform": platform, "user": user_id}).first()
    return _actor(row, platform) if row else None


def _actor(row: Sequence[Any], platform: str) -> Actor:
    emp_id, email, name, role, branch_id, tz = row
    return Actor(emp_id, email, name, role, branch_id, platform, tz or "UTC")


def link_identity(
    uow: UnitOfWork,
    platform: str,
    user_id: str,
    employee_id: int,
    username: str | None = None,
    dm_channel: str | None = None,
) -> None:
    """Remember that a platform user is this employee (audited)."""
    ident = uow.session.scalar(
        select(ChatIdentity).where(
            ChatIdentity.platform == platform, ChatIdentity.platform_user_id == user_id
        )
    )
    before = {"employee_id": ident.employee_id} if ident else None
    if ident is None:
        ident = ChatIdentity(platform=platform, platform_user_id=user_id, linked_at=uow.clock())
        uow.session.add(ident)
    ident.employee_id, ident.username = employee_id, username or ident.username
    ident.dm_channel = dm_channel or ident.dm_channel
    uow.session.flush()
    uow.audit(
        actor=f"{platform}:{user_id}",
        action="identity.link",
        entity="chat_identity",
        entity_id=ident.id,
        before=before,
        after={"employee_id": employee_id},
    )


def find_person(uow: UnitOfWork, ref: PersonRef) -> Employee | None:
    """The employee a mention refers to, or None."""
    s = uow.session
    if ref.kind == "email":
        return s.scalar(select(Employee).where(func.lower(Employee.email) == ref.value.lower()))
    by = select(Employee).join(ChatIdentity, ChatIdentity.employee_id == Employee.id)
    if ref.kind == "chat":
        return s.scalar(
            by.where(
                ChatIdentity.platform == ref.platform,
                ChatIdentity.platform_user_id == ref.value,
            )
        )
    # A handle: a username on any linked chat account, if it names one person; else the
    # one person whose e-mail starts `name@`.
    named = set(
        s.scalars(
            select(ChatIdentity.employee_id).where(
                func.lower(ChatIdentity.username) == ref.value.lower()
            )
        )
    )
    if len(named) == 1:
        return s.get(Employee, named.pop())
    return _by_local_part(uow, ref.value)


def _by_local_part(uow: UnitOfWork, name: str) -> Employee | None:
    """`@ana.li` in the console: the one person whose e-mail starts `ana.li@`."""
    rows = uow.session.scalars(
        select(Employee).where(func.lower(Employee.email).like(f"{name.lower()}@%"))
    ).all()
    return rows[0] if len(rows) == 1 else None
