"""How long after a close a period's figures may still be appealed (R7)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from handlers import strings as t
from handlers.actor import Actor
from handlers.cards import Reply
from handlers.common import Refused, period_for
from handlers.format import day
from scoring.deadlines import appeal_deadline
from scoring.pace import branch_holidays
from store.models import Branch, Employee, Period
from store.uow import UnitOfWork


@dataclass(frozen=True)
class AppealWindow:
    """Business days after a close (PERFBOT_APPEAL_WINDOW_DAYS), and holidays by branch
    name ("all": every branch), the same calendar the sweep counts in."""

    days: int = 10
    holidays: Mapping[str, Collection[date]] = field(default_factory=dict)

    def holidays_for(self, branch: str) -> frozenset[date]:
        return branch_holidays(self.holidays, branch)


def deadline(
    uow: UnitOfWork, window: AppealWindow | None, period: Period, person: Employee
) -> date | None:
    """The last date (the person's branch) they may appeal the period; None while it is open."""
    if period.status != "closed" or period.closed_at is None:
        return None
    branch = uow.get(Branch, person.branch_id)
    tz, name = (branch.timezone, branch.name) if branch is not None else ("UTC", "")
    closed_on = period.closed_at.astimezone(ZoneInfo(tz)).date()
    w = window or AppealWindow()
    return appeal_deadline(closed_on, w.days, w.holidays_for(name))


def too_late(
    uow: UnitOfWork, window: AppealWindow | None, period: Period, person: Employee
) -> str | None:
    """Why the period can't be appealed any more, naming the deadline; None if it can."""
    due = deadline(uow, window, period, person)
    if due is None:
        return None
    branch = uow.get(Branch, person.branch_id)
    today = uow.clock().astimezone(ZoneInfo(branch.timezone if branch else "UTC")).date()
    if today <= due:
        return None
    days = (window or AppealWindow()).days
    return t.AP_WINDOW_OVER.format(period=period.key, deadline=day(due), days=days)


def may_appeal(
    uow: UnitOfWork, window: AppealWindow | None, period: Period, person: Employee
) -> bool:
    """Whether [Appeal a figure] belongs on the person's card of this period."""
    return too_late(uow, window, period, person) is None


def card_period(
    uow: UnitOfWork, actor: Actor, period_id: int | None, window: AppealWindow | None = None
) -> tuple[Period, str | None] | Reply:
    """The period of the card the button sits on (none named: the current one), with its
    appeal deadline once closed; a refusal once that has passed."""
    period = uow.get(Period, period_id) if period_id is not None else None
    if period is None:
        if period_id is not None:
            return Reply.say(t.STALE_TITLE, t.UNKNOWN_ACTION, ok=False)
        current = period_for(uow, actor, None)
        if isinstance(current, Refused):
            return current.reply
        period = current
    person = uow.get(Employee, actor.employee_id)
    assert person is not None
    late = too_late(uow, window, period, person)
    if late is not None:
        return Reply.say(t.AP_NEW_FORM, late, ok=False)
    due = deadline(uow, window, period, person)
    return period, day(due) if due else None
