"""Queries of the scores use cases (handlers/scores/), and the breakdowns other features show."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select

from scoring.scorecard import ScoringConfig
from store.actuals import SpecLike
from store.breakdowns import breakdown_of, breakdowns
from store.corrections import corrections_of
from store.goal_targets import goal_units
from store.models import Appeal, Employee, FigureCorrection, Goal, MetricFact, Period, Score
from store.queries.base import Queries
from store.score_view import ScoreView, score_view
from store.scoring_sql import score_period


class ScoresQueries(Queries):
    """Named queries for handlers/scores/ (and a score's breakdown, which many features show)."""

    def breakdown(self, employee_id: int, period_id: int) -> dict[str, Any] | None:
        """A person's stored breakdown for a period; None when no score was computed."""
        return breakdown_of(self.session, employee_id, period_id)

    def breakdowns(
        self, period_id: int, employee_ids: Sequence[int] | None = None
    ) -> dict[int, dict[str, Any]]:
        """Breakdowns of a period by employee id (everyone scored, or just `employee_ids`)."""
        return breakdowns(self.session, period_id, employee_ids)

    def compute(
        self,
        config: ScoringConfig,
        specs: Sequence[SpecLike],
        period: Period,
        now: datetime,
        employee_ids: Sequence[int] | None,
    ) -> int:
        """Score a period (everyone with a scorecard, or just `employee_ids`) in one
        statement and store it; how many were scored."""
        return score_period(self.session, config, specs, period, now, employee_ids)

    def unknown_scorecards(self, known: Collection[str]) -> list[tuple[str, str]]:
        """(e-mail, scorecard key) of the active people whose key is none of `known`."""
        rows = self.session.execute(
            select(Employee.email, Employee.scorecard)
            .where(
                Employee.active.is_(True),
                Employee.scorecard.is_not(None),
                Employee.scorecard.not_in(list(known)),
            )
            .order_by(Employee.email)
        )
        return [(email, str(card)) for email, card in rows]

    def total(self, employee_id: int, period_id: int) -> Decimal | None:
        """A person's stored total for a period; None when no score was computed."""
        return self.session.scalar(
            select(Score.total).where(
                Score.employee_id == employee_id, Score.period_id == period_id
            )
        )

    def view(self, person_id: int, period_key: str) -> ScoreView:
        """What /score shows of a person's score of the period with that key, its
        corrections in force, targets awaiting confirmation and goals' units (one statement;
        the person must exist)."""
        return score_view(self.connection, person_id, period_key)

    def units(self, employee_id: int, period_id: int) -> dict[str, str]:
        """The units of a person's goals in a period (`CNY`, `%`), by metric."""
        return goal_units(self.connection, employee_id, period_id)

    def corrections(self, employee_id: int, period_id: int) -> dict[str, FigureCorrection]:
        """A person's appeal corrections in force for a period, by metric."""
        return corrections_of(self.session, employee_id, period_id)

    def facts(self, employee_id: int, metrics: Collection[str], period: Period) -> list[MetricFact]:
        """A person's source records of these metrics within the period (void ones too)."""
        return list(
            self.session.scalars(
                select(MetricFact).where(
                    MetricFact.employee_id == employee_id,
                    MetricFact.metric.in_(metrics),
                    MetricFact.occurred_on >= period.starts_on,
                    MetricFact.occurred_on <= period.ends_on,
                )
            )
        )

    def appeals_of(self, employee_id: int, statuses: Collection[str]) -> list[Appeal]:
        """A person's appeals in these statuses, in id order."""
        return list(
            self.session.scalars(
                select(Appeal)
                .where(Appeal.employee_id == employee_id, Appeal.status.in_(statuses))
                .order_by(Appeal.id)
            ).all()
        )

    def appeals_handled_by(self, handler_id: int, statuses: Collection[str]) -> int:
        """How many appeals in these statuses wait on this handler."""
        return (
            self.session.scalar(
                select(func.count())
                .select_from(Appeal)
                .where(Appeal.handler_id == handler_id, Appeal.status.in_(statuses))
            )
            or 0
        )

    def goals_to_confirm(self, period_id: int, employee_ids: Collection[int]) -> int:
        """How many of these people's goals of the period are proposed, or have a target
        change proposed, and wait for confirmation."""
        return (
            self.session.scalar(
                select(func.count())
                .select_from(Goal)
                .where(
                    Goal.period_id == period_id,
                    or_(Goal.status == "proposed", Goal.proposed_target.is_not(None)),
                    Goal.employee_id.in_(employee_ids),
                )
            )
            or 0
        )
