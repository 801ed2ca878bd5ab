"""The one place that decides who may see or act on whose data."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from handlers import strings as t
from handlers.actor import Actor
from handlers.cards import Card, Refusal, Reply
from handlers.visibility import Field, hr_covers, manages, may_see
from store.models import Employee
from store.uow import UnitOfWork

__all__ = ["hr_covers", "manages"]  # re-exported: where the rest of handlers/ finds them


def can_view(uow: UnitOfWork, actor: Actor, target: Employee, field: Field = "score") -> bool:
    """Whether the field table (handlers.visibility.SEES) lets the actor see this field of
    the person: own data; a manager their chain; HR their branch (all at HQ); admin all."""
    return may_see(uow, actor, target, field)


def can_manage(uow: UnitOfWork, actor: Actor, target: Employee) -> bool:
    """Manager-only acts (targets, ratings, praise by default): someone above them, or admin."""
    if actor.employee_id == target.id:
        return False
    return actor.role == "admin" or manages(uow, actor.employee_id, target.id)


def can_link(uow: UnitOfWork, actor: Actor, target: Employee) -> bool:
    """Who may hand out a code that links someone's chat account: their branch's HR, admin."""
    return actor.role == "admin" or hr_covers(uow, actor, target)


def deny(action: str, target: Employee | None, why: str) -> Reply:
    """Tell the actor plainly; the dispatcher audits the refusal the reply carries."""
    refusal = Refusal(action, target.id if target else None, why)
    return Reply(cards=(Card(title=t.NOT_ALLOWED_TITLE, lines=(why,)),), ok=False, refusal=refusal)


def gone(arg: object) -> Reply:
    """A deactivated person's request: refused (audited, like every refusal, by the
    dispatcher)."""
    refused = deny(getattr(arg, "action", type(arg).__name__), None, t.GONE_WHY)
    return replace(Reply.say(t.GONE_TITLE, t.GONE, ok=False), refusal=refused.refusal)


def can_praise(uow: UnitOfWork, actor: Actor, target: Employee, *, by_anyone: bool) -> bool:
    """Praise comes from someone above the person (or anyone, if so configured); never self."""
    if actor.employee_id == target.id:
        return False
    return by_anyone or can_manage(uow, actor, target)


def can_resolve_appeal(uow: UnitOfWork, actor: Actor, appellant: Employee) -> bool:
    """Whoever the field table lets see the appellant's appeals (managers above them, HR
    covering them, admins), except the appellant."""
    if actor.employee_id == appellant.id:
        return False
    return may_see(uow, actor, appellant, "appeals")


def hr_for(uow: UnitOfWork, person: Employee, exclude: Collection[int] = ()) -> list[Employee]:
    """Who approves for a person: HR of their branch, else HR at headquarters, else admins
    (never the person themselves, nor anyone in `exclude`)."""
    return uow.org.approvers(person, exclude)


def visible_ids(uow: UnitOfWork, actor: Actor) -> list[int]:
    """Everyone whose scores the actor may see besides their own, for reports: the field
    table's "score" row as one query (a manager's whole reporting chain, HR's branch, all at
    HQ, admin everyone); tests/e2e/test_field_permissions.py checks the two agree."""
    if actor.role == "admin":
        return uow.org.active_ids()
    if actor.role == "hr":
        at_hq = uow.org.branch_is_hq(actor.branch_id)
        return uow.org.active_ids(None if at_hq else actor.branch_id)
    return uow.org.chain_ids(actor.employee_id)
