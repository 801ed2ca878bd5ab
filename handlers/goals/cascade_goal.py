"""One goal of the cascade tree, created or changed. A target already confirmed keeps
counting while its change waits for the manager (`proposed_target`): a re-cascade never
drops a person out of scoring."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from handlers import strings as t
from handlers.common import add_audited
from handlers.format import with_unit
from handlers.goals.file import CompanyGoalSpec
from store.goal_targets import COUNTED_STATUSES, latest_target
from store.models import Employee, Goal, Period, Team
from store.uow import UnitOfWork

Outcome = Literal["created", "changed", "unchanged"]
# What changed, said when the notice is written: in its reader's language (None: nothing).
Line = Callable[[], str] | None


@dataclass(frozen=True)
class Slot:
    """Where a goal sits in the tree: its level, stable key, parent and owner."""

    level: str
    key: str
    parent_id: int | None = None
    team: Team | None = None
    emp: Employee | None = None


def find_goal(uow: UnitOfWork, period: Period, slot: Slot, metric: str | None) -> Goal | None:
    """The goal at that slot: by key, else a person's own goal for the metric (adopted into
    the tree, not twinned)."""
    goal = uow.goals.goal_by_key(period.id, slot.key)
    if goal is None and slot.emp is not None and metric:
        goal = uow.goals.own_goal(period.id, slot.emp.id, metric)
    return goal


def upsert_goal(
    uow: UnitOfWork,
    actor: str,
    period: Period,
    slot: Slot,
    spec: CompanyGoalSpec,
    target: Decimal | None,
) -> tuple[Goal, Line, Outcome]:
    """Create or change one goal; return it, a line saying what changed (None if nothing)
    and what happened."""
    goal = find_goal(uow, period, slot, spec.metric)
    who = slot.emp.name if slot.emp else (slot.team.name if slot.team else t.COMPANY)
    company = slot.level == "company"
    if goal is None:
        goal = Goal(
            period_id=period.id,
            level=slot.level,
            key=slot.key,
            team_id=slot.team.id if slot.team else None,
            employee_id=slot.emp.id if slot.emp else None,
            title=spec.title,
            metric=spec.metric,
            unit=spec.unit,
            direction=spec.direction,
            target=target,
            # The company level is set by the company itself: nothing to confirm.
            status="confirmed" if company else "proposed",
            updated_at=uow.clock(),
        )
        _rules(goal, slot, spec)
        add_audited(uow, goal, actor, "goal.propose", after={"key": slot.key, "target": target})
        return goal, lambda: t.CASCADE_NEW.format(who=who, **_figure(target, spec.unit)), "created"
    _rules(goal, slot, spec)  # what decides the target now (an adopted goal, a new rule)
    latest = latest_target(goal)
    if latest == target and goal.title == spec.title:
        return goal, None, "unchanged"
    before = {"target": goal.target, "proposed": goal.proposed_target, "status": goal.status}

    def line() -> str:
        new = _figure(target, spec.unit)
        old = _figure(latest, spec.unit)["target"]
        return t.CASCADE_CHANGED.format(who=who, old=old, new=new["target"], unit=new["unit"])

    if company:
        goal.target = target
    elif goal.status in COUNTED_STATUSES and goal.target is not None:
        # The confirmed target counts until the manager confirms the change.
        goal.proposed_target = None if target == goal.target else target
    else:
        goal.target, goal.status = target, "proposed"
    goal.title, goal.updated_at = spec.title, uow.clock()
    uow.audit_row(
        goal,
        actor,
        "goal.repropose",
        before=before,
        after={"target": goal.target, "proposed": goal.proposed_target, "status": goal.status},
    )
    return goal, line, "changed"


def _rules(goal: Goal, slot: Slot, spec: CompanyGoalSpec) -> None:
    # Kept on the tree so that a re-cascade from chat splits the way the file said.
    goal.key, goal.parent_id = slot.key, slot.parent_id
    goal.rule = spec.split if slot.level == "company" else spec.people_split
    goal.places = spec.places
    if slot.level == "company":
        goal.weights = {k: str(v) for k, v in spec.weights.items()} or None


def _figure(value: Decimal | None, unit: str) -> dict[str, str]:
    """A target and the unit after it: `1,000,000` `CNY` in English, `¥100万` for Chinese."""
    shown, after = with_unit(value, unit)  # None: `—`, with the unit as written
    return {"target": shown, "unit": after.strip()}
