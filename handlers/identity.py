"""Resolve people: chat identities and mentions to employees."""

from __future__ import annotations

from sqlalchemy import func, select

from handlers.actor import Actor
from handlers.commands import PersonRef
from store.models import ChatIdentity, Employee
from store.uow import UnitOfWork


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
    emp = uow.session.scalar(
        select(Employee).where(func.lower(Employee.email) == email.strip().lower(), Employee.active)
    )
    return actor_for(emp, platform) if emp else None


def actor_by_identity(uow: UnitOfWork, platform: str, user_id: str) -> Actor | None:
    """The employee linked to a platform user id, if any."""
    emp = uow.session.scalar(
        select(Employee)
        .join(ChatIdentity, ChatIdentity.employee_id == Employee.id)
        .where(
            ChatIdentity.platform == platform,
            ChatIdentity.platform_user_id == user_id,
            Employee.active,
        )
    )
    return actor_for(emp, platform) if emp else None


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
    if ref.kind == "telegram":
        cond = func.lower(ChatIdentity.username) == ref.value.lower()
        platform = "telegram"
    else:
        cond = ChatIdentity.platform_user_id == ref.value
        platform = "slack" if ref.kind == "slack" else "telegram"
    found = s.scalar(
        select(Employee)
        .join(ChatIdentity, ChatIdentity.employee_id == Employee.id)
        .where(ChatIdentity.platform == platform, cond)
    )
    if found is None and ref.kind == "telegram":
        found = _by_local_part(uow, ref.value)
    return found


def _by_local_part(uow: UnitOfWork, name: str) -> Employee | None:
    """`@ana.li` in the console: the one person whose e-mail starts `ana.li@`."""
    rows = uow.session.scalars(
        select(Employee).where(func.lower(Employee.email).like(f"{name.lower()}@%"))
    ).all()
    return rows[0] if len(rows) == 1 else None
