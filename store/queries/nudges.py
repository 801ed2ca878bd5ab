"""Queries of the nudges use cases (handlers/nudges/)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Result, and_, false, func, or_, select

from store import nudge_state, outbox
from store.actuals import SpecLike
from store.models import Branch, ChatIdentity, Employee, Goal, KpiAdjustment, Period, Team
from store.queries.base import Queries
from store.sweep_sql import SweepDay, metrics_with_data, sweep_select, tune_for_batch


class NudgesQueries(Queries):
    """Named queries for handlers/nudges/: the at-risk sweep and a nudge's buttons."""

    def open_periods(self) -> list[Period]:
        """Every open period."""
        return list(self.session.scalars(select(Period).where(Period.status == "open")).all())

    def branches(self, branch_ids: Collection[int] | None = None) -> list[Branch]:
        """The branches (these ids only, if given), in id order."""
        q = select(Branch).order_by(Branch.id)
        if branch_ids is not None:
            q = q.where(Branch.id.in_(branch_ids))
        return list(self.session.scalars(q))

    def goal_metrics(self, period_id: int) -> list[tuple[str | None, str]]:
        """The distinct (metric, direction) of a period's employee goals."""
        used = self.session.execute(
            select(Goal.metric, Goal.direction)
            .where(Goal.period_id == period_id, Goal.level == "employee")
            .distinct()
        ).all()
        return [(m, d) for m, d in used]

    def prepare_for_sweep(self) -> None:
        """Tune this transaction for the sweep's large statements (PostgreSQL only)."""
        tune_for_batch(self.session)

    def goals_behind_pace(self, specs: Sequence[SpecLike], day: SweepDay) -> Result[Any]:
        """The sweep's rows for one (period, local date): goals behind pace and goals that
        were behind (store/sweep_sql.py), one set-based SELECT on the Core connection."""
        dialect = self.session.get_bind().dialect.name
        with_data = metrics_with_data(self.session, specs, day.starts_on, day.today)
        stmt = sweep_select(dialect, specs, day, with_data)
        return self.session.connection().execute(stmt)

    def queue_notices(self, now: datetime, rows: Sequence[dict[str, Any]]) -> None:
        """Queue many outbox rows in one statement; rows whose dedupe key exists are skipped."""
        outbox.enqueue_many(self.session, now=now, rows=rows)

    def mark_behind(
        self, now: datetime, rows: Sequence[tuple[int, Decimal | None, str | None]]
    ) -> None:
        """(goal_id, ratio, bucket nudged in or None): behind since now unless already behind."""
        nudge_state.mark_behind(self.session, now, rows)

    def mark_recovered(self, now: datetime, rows: Sequence[tuple[int, Decimal | None]]) -> None:
        """(goal_id, ratio): back on pace; the next fall behind is a new episode."""
        nudge_state.mark_recovered(self.session, now, rows)

    def snooze(self, goal_id: int, until: datetime, now: datetime) -> None:
        """No nudges about this goal until `until`."""
        nudge_state.snooze(self.session, goal_id, until, now)

    def person_goal_ids(self, employee_id: int) -> list[int]:
        """The person's own goals in open periods (what [Snooze <name>] quiets)."""
        q = (
            select(Goal.id)
            .join(Period, Period.id == Goal.period_id)
            .where(Goal.employee_id == employee_id, Goal.level == "employee")
            .where(Period.status == "open")
            .order_by(Goal.id)
        )
        return list(self.session.scalars(q))

    def chat_accounts_of(self, employee_ids: Collection[int]) -> dict[int, list[ChatIdentity]]:
        """Each person's linked chat accounts (for the digest's [Message <name>] buttons)."""
        found: dict[int, list[ChatIdentity]] = {}
        ids = sorted(set(employee_ids))
        for i in range(0, len(ids), 5000):  # bounded IN lists on every database
            q = select(ChatIdentity).where(ChatIdentity.employee_id.in_(ids[i : i + 5000]))
            for ident in self.session.scalars(q.order_by(ChatIdentity.id)):
                found.setdefault(ident.employee_id, []).append(ident)
        return found

    def waiting_goals(
        self, before: Mapping[int, datetime]
    ) -> list[tuple[Goal, Employee, int | None, str]]:
        """Open periods' employee goals waiting on someone (the manager's confirmation or the
        person's acknowledgement) since before the cutoff of their branch (branch id ->
        instant) and not reminded since they last changed: (goal, person, manager id, branch
        time zone). Filtered in SQL: only the few due come back."""
        manager = func.coalesce(Employee.manager_id, Team.manager_id)
        q = (
            select(Goal, Employee, manager, Branch.timezone)
            .join(Employee, Employee.id == Goal.employee_id)
            .join(Branch, Branch.id == Employee.branch_id)
            .join(Period, Period.id == Goal.period_id)
            .outerjoin(Team, Team.id == Employee.team_id)
            .where(
                Period.status == "open",
                Goal.level == "employee",
                # The latest cutoff first, on the goal alone: most goals fail it before a join.
                Goal.updated_at < max(before.values()),
                Employee.active.is_(True),
                _waited(Goal.updated_at, before),
                or_(Goal.status.in_(("proposed", "confirmed")), Goal.proposed_target.is_not(None)),
                or_(Goal.reminded_at.is_(None), Goal.reminded_at < Goal.updated_at),
            )
            .order_by(Goal.id)
        )
        return [(g, e, m, tz) for g, e, m, tz in self.session.execute(q)]

    def waiting_target_changes(
        self, before: Mapping[int, datetime]
    ) -> list[tuple[KpiAdjustment, Goal, Employee, str]]:
        """Target changes waiting for HR since before their branch's cutoff, never reminded:
        (change, goal, person, time zone)."""
        q = (
            select(KpiAdjustment, Goal, Employee, Branch.timezone)
            .join(Goal, Goal.id == KpiAdjustment.goal_id)
            .join(Employee, Employee.id == Goal.employee_id)
            .join(Branch, Branch.id == Employee.branch_id)
            .where(
                KpiAdjustment.status == "pending",
                KpiAdjustment.reminded_at.is_(None),
                _waited(KpiAdjustment.created_at, before),
            )
            .order_by(KpiAdjustment.id)
        )
        return [(a, g, e, tz) for a, g, e, tz in self.session.execute(q)]


def _waited(since: Any, before: Mapping[int, datetime]) -> Any:
    """`since` earlier than the cutoff of the person's branch (a few branches: an OR)."""
    return or_(
        *[and_(Employee.branch_id == b, since < at) for b, at in sorted(before.items())],
        false(),
    )
