"""In-memory fake of store/queries/scores.py."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from scoring.scorecard import ScoringConfig
from store.actuals import SpecLike
from store.goal_targets import is_pending, latest_target
from store.models import Appeal, Branch, Employee, FigureCorrection, Goal, MetricFact, Period
from store.queries.scores import ScoresQueries
from store.score_view import ScoreView
from tests.fakes.queries.base import FakeQueries


class FakeScoresQueries(FakeQueries, ScoresQueries):
    """Answers the scores queries from the fake unit of work's rows; breakdowns are set by
    the test (`stored[(employee_id, period_id)] = {...}`), as scoring would have stored them,
    and stand for the Score rows (total and band are read from them). `compute` scores
    nothing: it records each run in `runs` as (period id, employee ids)."""

    def __init__(self, uow: Any) -> None:
        super().__init__(uow)
        self.stored: dict[tuple[int, int], dict[str, Any]] = {}
        self.runs: list[tuple[int, list[int] | None]] = []

    def breakdown(self, employee_id: int, period_id: int) -> dict[str, Any] | None:
        return self.stored.get((employee_id, period_id))

    def breakdowns(
        self, period_id: int, employee_ids: Sequence[int] | None = None
    ) -> dict[int, dict[str, Any]]:
        return {
            e: b
            for (e, p), b in self.stored.items()
            if p == period_id and (employee_ids is None or e in employee_ids)
        }

    def compute(
        self,
        config: ScoringConfig,
        specs: Sequence[SpecLike],
        period: Period,
        now: datetime,
        employee_ids: Sequence[int] | None,
    ) -> int:
        self.runs.append((period.id, None if employee_ids is None else list(employee_ids)))
        return sum(
            1
            for e in self.all(Employee)
            if e.active
            and e.scorecard in config.scorecards
            and (employee_ids is None or e.id in employee_ids)
        )

    def unknown_scorecards(self, known: Collection[str]) -> list[tuple[str, str]]:
        return sorted(
            (e.email, e.scorecard)
            for e in self.all(Employee)
            if e.active and e.scorecard is not None and e.scorecard not in known
        )

    def total(self, employee_id: int, period_id: int) -> Decimal | None:
        b = self.stored.get((employee_id, period_id))
        return None if b is None else Decimal(str(b["total"]))

    def view(self, person_id: int, period_key: str) -> ScoreView:
        person = self.uow.get(Employee, person_id)
        assert person is not None, "the person must exist"
        branch = self.uow.get(Branch, person.branch_id)
        period = next((p for p in self.all(Period) if p.key == period_key), None)
        fetched: dict[str, datetime] = {}
        if period is not None:
            for f in self.all(MetricFact):
                if (
                    f.employee_id == person_id
                    and period.starts_on <= f.occurred_on <= period.ends_on
                ):
                    fetched[f.source] = max(fetched.get(f.source, f.fetched_at), f.fetched_at)
        return ScoreView(
            name=person.name,
            scorecard=person.scorecard,
            period_id=period.id if period else None,
            period_status=period.status if period else None,
            closed_at=period.closed_at if period else None,
            breakdown=self.stored.get((person_id, period.id)) if period else None,
            fetched=fetched,
            starts_on=period.starts_on if period else None,
            ends_on=period.ends_on if period else None,
            branch=branch.name if branch else "",
            timezone=branch.timezone if branch else "UTC",
            corrected=self._corrected_figures(person_id, period.id) if period else {},
            pending=self._pending_targets(person_id, period.id) if period else {},
            units=self.units(person_id, period.id) if period else {},
            active=person.active,
        )

    def _corrections(self, employee_id: int, period_id: int) -> list[FigureCorrection]:
        return [
            c
            for c in self.all(FigureCorrection)
            if c.employee_id == employee_id and c.period_id == period_id and c.active
        ]

    def _corrected_figures(
        self, employee_id: int, period_id: int
    ) -> dict[str, tuple[Decimal | None, int | None]]:
        return {
            c.metric: (c.value_before, c.appeal_id)
            for c in self._corrections(employee_id, period_id)
        }

    def _pending_targets(self, employee_id: int, period_id: int) -> dict[str, Decimal]:
        return {
            g.metric: target
            for g in self.all(Goal)
            if g.period_id == period_id
            and g.employee_id == employee_id
            and g.level == "employee"
            and g.metric
            and is_pending(g)
            and (target := latest_target(g)) is not None
        }

    def units(self, employee_id: int, period_id: int) -> dict[str, str]:
        return {
            g.metric: g.unit
            for g in self.all(Goal)
            if g.period_id == period_id
            and g.employee_id == employee_id
            and g.level == "employee"
            and g.metric
            and g.unit
        }

    def corrections(self, employee_id: int, period_id: int) -> dict[str, FigureCorrection]:
        return {c.metric: c for c in self._corrections(employee_id, period_id)}

    def facts(self, employee_id: int, metrics: Collection[str], period: Period) -> list[MetricFact]:
        return [
            f
            for f in self.all(MetricFact)
            if f.employee_id == employee_id
            and f.metric in metrics
            and period.starts_on <= f.occurred_on <= period.ends_on
        ]

    def appeals_of(self, employee_id: int, statuses: Collection[str]) -> list[Appeal]:
        return sorted(
            (a for a in self.all(Appeal) if a.employee_id == employee_id and a.status in statuses),
            key=lambda a: a.id,
        )

    def appeals_handled_by(self, handler_id: int, statuses: Collection[str]) -> int:
        return sum(
            1 for a in self.all(Appeal) if a.handler_id == handler_id and a.status in statuses
        )

    def goals_to_confirm(self, period_id: int, employee_ids: Collection[int]) -> int:
        return sum(
            1
            for g in self.all(Goal)
            if g.period_id == period_id and is_pending(g) and g.employee_id in employee_ids
        )
