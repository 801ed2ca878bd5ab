"""Steps most use cases share: whose data, which period, the branch-local date, a new row
added and audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from handlers import strings as t
from handlers.actor import Actor
from handlers.cards import Reply
from handlers.commands import PeriodRef, PersonRef
from handlers.identity import find_person
from handlers.periods import PeriodSpan, resolve
from handlers.permissions import can_view, deny
from handlers.visibility import Field
from store.models import Base, Employee, Period
from store.uow import UnitOfWork


@dataclass(frozen=True)
class Refused:
    """A use case stopped early; `reply` says why to the actor."""

    reply: Reply


def local_today(uow: UnitOfWork, branch_id: int, now: datetime) -> date:
    """Today's date in the branch's time zone."""
    tz = uow.org.branch_timezone(branch_id) or "UTC"
    return now.astimezone(ZoneInfo(tz)).date()


def actor_today(uow: UnitOfWork, actor: Actor) -> date:
    """Today's date in the actor's branch: from the time zone the actor carries, if any."""
    if actor.timezone is None:
        return local_today(uow, actor.branch_id, uow.clock())
    return uow.clock().astimezone(ZoneInfo(actor.timezone)).date()


def period_for(uow: UnitOfWork, actor: Actor, ref: PeriodRef | None) -> Period | Refused:
    """The stored period a reference names (default: the current one in the actor's branch)."""
    span: PeriodSpan = resolve(ref, actor_today(uow, actor))
    period = uow.org.period_by_key(span.key)
    if period is None:
        return Refused(Reply.say(t.NO_PERIOD_TITLE, t.NO_PERIOD.format(key=span.key), ok=False))
    return period


def employee_for(
    uow: UnitOfWork, actor: Actor, ref: PersonRef | None, action: str, field: Field = "score"
) -> Employee | Refused:
    """The person a command is about (default: the actor), if the field table lets the actor
    see this field of theirs."""
    if ref is None:
        me = uow.get(Employee, actor.employee_id)
        assert me is not None
        return me
    target = find_person(uow, ref)
    if target is None:
        return Refused(
            Reply.say(t.UNKNOWN_PERSON_TITLE, t.UNKNOWN_PERSON.format(who=ref.value), ok=False)
        )
    if not can_view(uow, actor, target, field):
        return Refused(deny(action, target, t.NOT_YOURS.format(name=target.name)))
    return target


def add_audited(uow: UnitOfWork, row: Base, actor: str, action: str, *, after: Any) -> None:
    """A new row: add it and audit its creation (the audit flushes it, giving it its id)."""
    uow.add(row)
    uow.audit_row(row, actor, action, after=after)
