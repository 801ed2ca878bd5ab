"""`/goals`: a person's goals for a period, with the buttons their state calls for."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from handlers import strings as t
from handlers.actor import Actor
from handlers.cards import Button, Card, Reply
from handlers.commands import Goals
from handlers.common import Refused, employee_for, period_for
from handlers.format import amount, pct, with_unit
from handlers.permissions import can_manage
from store.goal_targets import is_pending
from store.models import Goal
from store.uow import UnitOfWork


def show_goals(cmd: Goals, *, uow: UnitOfWork, actor: Actor) -> Reply:
    """Goals, status and progress; pending ones get Confirm / Adjust / Acknowledge buttons."""
    with uow:
        person = employee_for(uow, actor, cmd.who, "goals.view", "figures")
        if isinstance(person, Refused):
            return person.reply
        period = period_for(uow, actor, cmd.period)
        if isinstance(period, Refused):
            return period.reply
        goals = uow.goals.employee_goals(person.id, period.id)
        title = t.GOALS_TITLE.format(name=person.name, period=period.key)
        if not goals:
            return Reply.say(title, t.NO_GOALS)
        score = uow.scores.breakdown(person.id, period.id)
        actuals = _actuals(score)
        own = person.id == actor.employee_id
        manager = can_manage(uow, actor, person)
        lines, buttons = [], []
        for g in goals:
            lines.append(_goal_line(g, actuals.get(g.metric or "")))
            if own and g.status == "confirmed":
                buttons.append(Button(t.ACK_BUTTON.format(id=g.id), "gl:ack", str(g.id), "primary"))
            if manager and is_pending(g) and g.parent_id is not None:
                buttons.append(
                    Button(t.CONFIRM_BUTTON.format(id=g.id), "gl:cf", str(g.id), "primary")
                )
                buttons.append(Button(t.ADJUST_BUTTON.format(id=g.id), "gl:adj", str(g.parent_id)))
        return Reply(cards=(Card(title=title, lines=tuple(lines), buttons=tuple(buttons[:10])),))


def _actuals(breakdown: dict[str, Any] | None) -> dict[str, Any]:
    dims = (breakdown or {}).get("dimensions", [])
    return {d["metric"]: d for d in dims}


def _goal_line(g: Goal, dim: dict[str, Any] | None) -> str:
    status = t.GOAL_STATUS.get(g.status, g.status)
    if g.metric is None:
        progress = (
            t.PROGRESS_DONE.format(pct=pct(g.progress)) if g.progress is not None else t.NOT_STARTED
        )
        return t.GOAL_LINE_MANUAL.format(id=g.id, title=g.title, progress=progress, status=status)
    actual = dim.get("actual") if dim else None
    att = dim.get("attainment") if dim else None
    if att is None and actual is not None and g.target:
        att = Decimal(str(actual)) / g.target * 100
    target, unit = with_unit(g.target, g.unit or "")
    if g.proposed_target is not None:  # a change waits; the confirmed target counts
        proposed, unit_p = with_unit(g.proposed_target, g.unit or "")
        status = t.GOAL_CHANGE_PENDING.format(status=status, proposed=proposed, unit=unit_p)
    return t.GOAL_LINE.format(
        id=g.id,
        title=g.title,
        target=target,
        unit=unit,
        actual=amount(actual, g.unit or ""),
        progress=pct(att),
        status=status,
    )
