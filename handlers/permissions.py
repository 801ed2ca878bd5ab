"""The one place that decides who may see or act on whose data."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select

from handlers.actor import Actor
from handlers.cards import Reply
from store.models import Branch, Employee
from store.uow import UnitOfWork

MAX_CHAIN = 50  # deeper than any real org; stops a corrupt cycle from looping forever


def manages(uow: UnitOfWork, manager_id: int, employee_id: int) -> bool:
    """True when `manager_id` is anywhere above `employee_id` in the management chain."""
    current: int | None = employee_id
    for _ in range(MAX_CHAIN):
        current = uow.session.scalar(select(Employee.manager_id).where(Employee.id == current))
        if current is None:
            return False
        if current == manager_id:
            return True
    return False


def hr_covers(uow: UnitOfWork, actor: Actor, target: Employee) -> bool:
    """HR sees their own branch; HR at headquarters sees every branch."""
    if actor.role != "hr":
        return False
    if actor.branch_id == target.branch_id:
        return True
    return bool(uow.session.scalar(select(Branch.is_hq).where(Branch.id == actor.branch_id)))


def can_view(uow: UnitOfWork, actor: Actor, target: Employee) -> bool:
    """Own data; a manager their reporting chain; HR their branch (or all at HQ); admin all."""
    if actor.employee_id == target.id or actor.role == "admin":
        return True
    return hr_covers(uow, actor, target) or manages(uow, actor.employee_id, target.id)


def can_manage(uow: UnitOfWork, actor: Actor, target: Employee) -> bool:
    """Manager-only acts (targets, ratings, praise by default): someone above them, or admin."""
    if actor.employee_id == target.id:
        return False
    return actor.role == "admin" or manages(uow, actor.employee_id, target.id)


def can_link(uow: UnitOfWork, actor: Actor, target: Employee) -> bool:
    """Who may hand out a code that links someone's chat account: their branch's HR, admin."""
    return actor.role == "admin" or hr_covers(uow, actor, target)


def deny(uow: UnitOfWork, actor: Actor, action: str, target: Employee | None, why: str) -> Reply:
    """Record the refusal in the audit log and tell the actor plainly."""
    uow.audit(
        actor=actor.email,
        action="denied",
        entity="employee",
        entity_id=target.id if target else "",
        after={"attempted": action, "why": why},
    )
    uow.commit()
    return Reply.say("Not allowed", why, ok=False)


def can_praise(uow: UnitOfWork, actor: Actor, target: Employee, *, by_anyone: bool) -> bool:
    """Praise comes from someone above the person (or anyone, if so configured); never self."""
    if actor.employee_id == target.id:
        return False
    return by_anyone or can_manage(uow, actor, target)


def can_resolve_appeal(uow: UnitOfWork, actor: Actor, appellant: Employee) -> bool:
    """Managers above the appellant, HR covering them and admins; never the appellant."""
    if actor.employee_id == appellant.id:
        return False
    return can_manage(uow, actor, appellant) or hr_covers(uow, actor, appellant)


def hr_for(uow: UnitOfWork, person: Employee, exclude: Collection[int] = ()) -> list[Employee]:
    """Who approves for a person: HR of their branch, else HR at headquarters, else admins
    (never the person themselves, nor anyone in `exclude`)."""
    base = select(Employee).where(
        Employee.active.is_(True), Employee.id.not_in({person.id, *exclude})
    )
    hq = select(Branch.id).where(Branch.is_hq.is_(True))
    for q in (
        base.where(Employee.role == "hr", Employee.branch_id == person.branch_id),
        base.where(Employee.role == "hr", Employee.branch_id.in_(hq)),
        base.where(Employee.role == "admin"),
    ):
        found = list(uow.session.scalars(q.order_by(Employee.id)))
        if found:
            return found
    return []


def visible_ids(uow: UnitOfWork, actor: Actor) -> list[int]:
    """Everyone whose data the actor may see besides their own, for reports: a manager's
    whole reporting chain (one recursive query), HR's branch (all at HQ), admin everyone."""
    active = Employee.active.is_(True)
    if actor.role == "admin":
        return list(uow.session.scalars(select(Employee.id).where(active)))
    if actor.role == "hr":
        at_hq = uow.session.scalar(select(Branch.is_hq).where(Branch.id == actor.branch_id))
        q = select(Employee.id).where(active)
        if not at_hq:
            q = q.where(Employee.branch_id == actor.branch_id)
        return list(uow.session.scalars(q))
    chain = (
        select(Employee.id)
        .where(Employee.manager_id == actor.employee_id)
        .cte("chain", recursive=True)
    )
    chain = chain.union(select(Employee.id).where(Employee.manager_id == chain.c.id))
    return list(
        uow.session.scalars(select(Employee.id).where(Employee.id.in_(select(chain.c.id)), active))
    )
