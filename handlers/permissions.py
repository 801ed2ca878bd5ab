"""The one place that decides who may see or act on whose data."""

from __future__ import annotations

from collections.abc import Collection

from handlers.actor import Actor
from handlers.cards import Reply
from store.models import Employee
from store.uow import UnitOfWork

MAX_CHAIN = 50  # deeper than any real org; stops a corrupt cycle from looping forever


def manages(uow: UnitOfWork, manager_id: int, employee_id: int) -> bool:
    """True when `manager_id` is anywhere above `employee_id` in the management chain."""
    current = employee_id
    for _ in range(MAX_CHAIN):
        above = uow.org.manager_id_of(current)
        if above is None:
            return False
        if above == manager_id:
            return True
        current = above
    return False


def hr_covers(uow: UnitOfWork, actor: Actor, target: Employee) -> bool:
    """HR sees their own branch; HR at headquarters sees every branch."""
    if actor.role != "hr":
        return False
    if actor.branch_id == target.branch_id:
        return True
    return uow.org.branch_is_hq(actor.branch_id)


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
    return uow.org.approvers(person, exclude)


def visible_ids(uow: UnitOfWork, actor: Actor) -> list[int]:
    """Everyone whose data the actor may see besides their own, for reports: a manager's
    whole reporting chain (one recursive query), HR's branch (all at HQ), admin everyone."""
    if actor.role == "admin":
        return uow.org.active_ids()
    if actor.role == "hr":
        at_hq = uow.org.branch_is_hq(actor.branch_id)
        return uow.org.active_ids(None if at_hq else actor.branch_id)
    return uow.org.chain_ids(actor.employee_id)
