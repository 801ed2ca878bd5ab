"""Reminders the sweep's digest carries: goals waiting for the manager's confirmation or
the employee's acknowledgement, and target changes waiting for HR, once each."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from handlers import strings as t
from handlers.appeals.sla import waited
from handlers.cards import Button
from handlers.format import num, shown
from handlers.notify import speaking_to
from handlers.permissions import hr_for
from scoring.pace import business_days
from store.goal_targets import is_pending, latest_target
from store.models import Branch, Goal, KpiAdjustment
from store.uow import UnitOfWork


@dataclass(frozen=True)
class Reminder:
    """One line of someone's digest and the buttons that settle it."""

    recipient_id: int
    line: str
    buttons: tuple[Button, ...]
    item: Goal | KpiAdjustment  # stamped `reminded_at` when the digest is queued

    @property
    def key(self) -> str:
        return f"{'goal' if isinstance(self.item, Goal) else 'kpi'}:{self.item.id}"


def cutoffs(branches: Iterable[Branch], now: datetime, after_days: int) -> dict[int, datetime]:
    """Per branch, the instant before which something has waited `after_days` business
    days by today (the start of the day after the latest such filing day, local time), so
    the database hands back only what is due, not every pending goal."""
    out = {}
    for b in branches:
        zone = ZoneInfo(b.timezone)
        today = now.astimezone(zone).date()
        day = today - timedelta(days=1)
        while business_days(day + timedelta(days=1), today) < after_days:
            day -= timedelta(days=1)
        start = datetime.combine(day + timedelta(days=1), time(), zone)
        out[b.id] = start.astimezone(UTC)
    return out


def due_reminders(
    uow: UnitOfWork, branches: Iterable[Branch], now: datetime, after_days: int
) -> list[Reminder]:
    """What has waited `after_days` business days (in its branch's time zone) and was not
    reminded since it last changed, for the people of `branches` (those working today)."""
    out: list[Reminder] = []
    before = cutoffs(branches, now, after_days)
    if not before:
        return out
    for g, person, manager, tz in uow.nudges.waiting_goals(before):
        days = waited(g.updated_at, now, tz)
        goal, name, gid = g.title or g.metric or "", shown(person), str(g.id)
        if is_pending(g):
            if manager is None or manager == person.id:
                continue
            with speaking_to(uow, manager):  # a line of the reader's digest
                line = t.REMIND_CONFIRM.format(name=name, goal=goal, days=days)
                button = Button(t.CONFIRM_BUTTON.format(id=g.id), "gl:cf", gid, "primary")
            out.append(Reminder(manager, line, (button,), g))
        elif g.status == "confirmed":
            with speaking_to(uow, person.id):
                line = t.REMIND_ACK.format(goal=goal, days=days)
                button = Button(t.ACK_BUTTON.format(id=g.id), "gl:ack", gid, "primary")
            out.append(Reminder(person.id, line, (button,), g))
    for a, g, person, tz in uow.nudges.waiting_target_changes(before):
        days = waited(a.created_at, now, tz)
        target = a.new_target if a.new_target is not None else latest_target(g)
        aid = str(a.id)
        for hr in hr_for(uow, person):
            with speaking_to(uow, hr.id):
                line = t.REMIND_KPI.format(
                    name=shown(person),
                    goal=g.title or g.metric or "",
                    target=num(target),
                    days=days,
                )
                buttons = (
                    Button(t.REMIND_APPROVE.format(id=a.id), "kp:ok", aid, "primary"),
                    Button(t.REMIND_REJECT.format(id=a.id), "kp:no", aid, "danger"),
                )
            out.append(Reminder(hr.id, line, buttons, a))
    return out
