"""In-memory fake of store/queries/nudges.py."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from handlers.nudges.sweep_findings import FIELDS
from store.actuals import SpecLike
from store.models import (
    Branch,
    ChatIdentity,
    Employee,
    Goal,
    KpiAdjustment,
    MetricFact,
    NudgeState,
    Period,
    Team,
)
from store.queries.nudges import NudgesQueries
from store.sweep_sql import LEAVE_METRIC, SWEPT_STATUSES, SweepDay, k_of
from tests.fakes.queries.base import FakeQueries


class SweepRows(list[tuple[Any, ...]]):
    """Rows as a result gives them: tuples, and `keys()` naming their columns."""

    def keys(self) -> tuple[str, ...]:
        return FIELDS


class FakeNudgesQueries(FakeQueries, NudgesQueries):
    """Answers the nudges queries from the fake unit of work's rows; nudge state lives in
    `uow.rows[NudgeState]` by goal id, queued nudges in `uow.outbox`."""

    def open_periods(self) -> list[Period]:
        return [p for p in self.all(Period) if p.status == "open"]

    def branches(self, branch_ids: Collection[int] | None = None) -> list[Branch]:
        return [b for b in self.all(Branch) if branch_ids is None or b.id in branch_ids]

    def goal_metrics(self, period_id: int) -> list[tuple[str | None, str]]:
        found = {
            (g.metric, g.direction)
            for g in self.all(Goal)
            if g.period_id == period_id and g.level == "employee"
        }
        return sorted(found, key=lambda md: (md[0] or "", md[1]))

    def prepare_for_sweep(self) -> None:
        """Nothing to tune in memory."""

    def goals_behind_pace(self, specs: Sequence[SpecLike], day: SweepDay) -> Any:
        """store/sweep_sql.py's rules, one goal at a time, in the same integer arithmetic."""
        period_id, starts_on, today, days = day.period_id, day.starts_on, day.today, day.days
        thresholds, default_threshold = day.thresholds, day.default_threshold
        facts = [
            f for f in self.all(MetricFact) if not f.void and starts_on <= f.occurred_on <= today
        ]
        on_leave = {
            f.employee_id
            for f in self.all(MetricFact)
            if not f.void and f.metric == LEAVE_METRIC and f.occurred_on == today and f.value > 0
        }
        spec_of = {s.name: s for s in specs}
        cal = {d.branch_id: d for d in days}
        rows = SweepRows()
        for g in self.all(Goal):
            e = self.uow.get(Employee, g.employee_id)
            spec = spec_of.get(g.metric)
            if (
                g.period_id != period_id
                or g.level != "employee"
                or g.status not in SWEPT_STATUSES
                or e is None
                or not e.active
                or e.id in on_leave
                or e.branch_id not in cal
                or spec is None
            ):
                continue
            cumulative = spec.denominator is None
            actual = _actual_x(spec, [f for f in facts if f.employee_id == e.id])
            if actual is None and cumulative and _actual_x(spec, facts) is not None:
                actual = 0  # others have data: this person is at zero so far
            target = int((g.target * 10000).to_integral_value(ROUND_HALF_UP))
            day = cal[e.branch_id]
            expected = (2 * target * day.elapsed + 100 * day.total) // (200 * day.total)
            k = k_of(thresholds.get(g.metric, default_threshold))
            if actual is None:
                at_risk = False
            elif g.direction == "lower":
                at_risk = actual > 0 and target >= 0 and 20000 * target < k * actual
            else:
                at_risk = cumulative and target > 0 and expected > 0 and 200 * actual < k * expected
            state = self.uow.rows[NudgeState].get(g.id)
            if not at_risk and (state is None or state.behind_since is None):
                continue
            team = self.uow.get(Team, e.team_id) if e.team_id else None
            manager = e.manager_id if e.manager_id is not None else (team and team.manager_id)
            rows.append(
                (g.id, e.id, e.display_name or e.name, manager if manager != e.id else None,
                 g.metric, g.title, g.unit, g.direction, actual, target,
                 None if g.direction == "lower" else expected, at_risk,
                 state and state.snoozed_until, state and state.last_bucket,
                 state and state.behind_since)
            )  # fmt: skip
        return rows

    def queue_notices(self, now: datetime, rows: Sequence[dict[str, Any]]) -> None:
        for r in rows:
            self.uow.enqueue(**{"recipient_id": None, "channel": None, **r})

    def _state(self, goal_id: int, now: datetime) -> NudgeState:
        state = self.uow.rows[NudgeState].get(goal_id)
        if state is None:
            state = NudgeState(goal_id=goal_id, updated_at=now)
            self.uow.rows[NudgeState][goal_id] = state
        return state

    def mark_behind(
        self, now: datetime, rows: Sequence[tuple[int, Decimal | None, str | None]]
    ) -> None:
        for goal_id, ratio, bucket in rows:
            state = self._state(goal_id, now)
            state.behind_since = state.behind_since or now
            state.last_ratio, state.updated_at = ratio, now
            if bucket:
                state.last_nudged_at, state.last_bucket = now, bucket

    def mark_recovered(self, now: datetime, rows: Sequence[tuple[int, Decimal | None]]) -> None:
        for goal_id, ratio in rows:
            state = self.uow.rows[NudgeState].get(goal_id)
            if state is not None:
                state.behind_since, state.last_ratio, state.updated_at = None, ratio, now

    def snooze(self, goal_id: int, until: datetime, now: datetime) -> None:
        state = self._state(goal_id, now)
        state.snoozed_until, state.updated_at = until, now

    def person_goal_ids(self, employee_id: int) -> list[int]:
        open_ids = {p.id for p in self.all(Period) if p.status == "open"}
        return sorted(
            g.id
            for g in self.all(Goal)
            if g.employee_id == employee_id and g.level == "employee" and g.period_id in open_ids
        )

    def chat_accounts_of(self, employee_ids: Collection[int]) -> dict[int, list[ChatIdentity]]:
        found: dict[int, list[ChatIdentity]] = {}
        for ident in sorted(self.all(ChatIdentity), key=lambda i: i.id):
            if ident.employee_id in employee_ids:
                found.setdefault(ident.employee_id, []).append(ident)
        return found

    def waiting_goals(
        self, before: Mapping[int, datetime]
    ) -> list[tuple[Goal, Employee, int | None, str]]:
        open_ids = {p.id for p in self.all(Period) if p.status == "open"}
        out = []
        for g in sorted(self.all(Goal), key=lambda g: g.id):
            e = self.uow.get(Employee, g.employee_id) if g.employee_id else None
            waits = g.status in ("proposed", "confirmed") or g.proposed_target is not None
            fresh = g.reminded_at is None or g.reminded_at < g.updated_at
            if (
                e is None
                or g.level != "employee"
                or g.period_id not in open_ids
                or not e.active
                or e.branch_id not in before
                or not g.updated_at < before[e.branch_id]
                or not (waits and fresh)
            ):
                continue
            team = self.uow.get(Team, e.team_id) if e.team_id else None
            manager = e.manager_id if e.manager_id is not None else (team and team.manager_id)
            out.append((g, e, manager, self.uow.get(Branch, e.branch_id).timezone))
        return out

    def waiting_target_changes(
        self, before: Mapping[int, datetime]
    ) -> list[tuple[KpiAdjustment, Goal, Employee, str]]:
        out = []
        for a in sorted(self.all(KpiAdjustment), key=lambda a: a.id):
            g = self.uow.get(Goal, a.goal_id)
            e = self.uow.get(Employee, g.employee_id) if g and g.employee_id else None
            if a.status != "pending" or a.reminded_at is not None or e is None:
                continue
            if e.branch_id in before and a.created_at < before[e.branch_id]:
                out.append((a, g, e, self.uow.get(Branch, e.branch_id).timezone))
        return out


def _actual_x(spec: SpecLike, facts: Sequence[MetricFact]) -> int | None:
    """A metric's actual from these facts, times 10,000 (None: no fact of its metrics)."""
    mine = [f for f in facts if f.metric in _facts_of(spec)]
    if not mine:
        return None

    def term(op: str, names: tuple[str, ...]) -> Decimal:
        vals = [f.value for f in mine if f.metric in names]
        return Decimal(len(vals)) if op == "count" else sum(vals, Decimal(0))

    num = term(spec.numerator.op, spec.numerator.facts)
    if spec.denominator is None:
        value = num * spec.scale
    else:
        den = term(spec.denominator.op, spec.denominator.facts)
        if den == 0:
            return None
        value = num * spec.scale / den
    return int(value.quantize(Decimal("0.0001"), ROUND_HALF_UP) * 10000)


def _facts_of(spec: SpecLike) -> tuple[str, ...]:
    den = spec.denominator
    return spec.numerator.facts + (den.facts if den else ())
