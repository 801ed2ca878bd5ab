"""Queries of the nudges use cases (handlers/nudges/)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Result, select

from store import nudge_state, outbox
from store.actuals import SpecLike
from store.models import Branch, Goal, Period
from store.queries.base import Queries
from store.sweep_sql import BranchDay, metrics_with_data, sweep_select, tune_for_batch


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

    def goals_behind_pace(
        self,
        specs: Sequence[SpecLike],
        *,
        period_id: int,
        starts_on: date,
        today: date,
        days: Sequence[BranchDay],
        thresholds: Mapping[str, Decimal],
        default_threshold: Decimal,
    ) -> Result[Any]:
        """The sweep's rows for one (period, local date): goals behind pace and goals that
        were behind (store/sweep_sql.py), one set-based SELECT on the Core connection."""
        dialect = self.session.get_bind().dialect.name
        stmt = sweep_select(
            dialect,
            specs,
            with_data=metrics_with_data(self.session, specs, starts_on, today),
            period_id=period_id,
            starts_on=starts_on,
            today=today,
            days=days,
            thresholds=thresholds,
            default_threshold=default_threshold,
        )
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
