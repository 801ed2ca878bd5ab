"""Compute scores: a whole period for operators and the scheduler, or a few people after a
correction or an approved target change."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from scoring.scorecard import ScoringConfig
from store.actuals import SpecLike
from store.models import Employee, Period
from store.scoring_sql import score_period
from store.uow import UnitOfWork


@dataclass(frozen=True)
class ScoringSetup:
    """Scorecards, bands and incentive rules, and how each metric aggregates facts."""

    config: ScoringConfig
    specs: tuple[SpecLike, ...]


class PeriodClosed(ValueError):
    """The period is closed: its scores are frozen until someone re-opens it."""


@dataclass(frozen=True)
class ScoreRun:
    period: str
    scored: int
    unscored: list[str]  # people whose scorecard key is unknown


def rescore(
    uow: UnitOfWork, setup: ScoringSetup, period_id: int, employee_ids: Sequence[int] | None
) -> int:
    """Recompute scores inside the caller's unit of work (not committed here)."""
    period = uow.session.get(Period, period_id)
    if period is None:
        raise LookupError(f"no period with id {period_id}")
    if period.status == "closed":
        raise PeriodClosed(f"period {period.key} is closed; re-open it to re-score")
    return score_period(uow.session, setup.config, setup.specs, period, uow.clock(), employee_ids)


def score_all(
    period_key: str, *, uow: UnitOfWork, setup: ScoringSetup, actor: str = "scheduler"
) -> ScoreRun:
    """Score every employee with a scorecard for the period, in one statement; audited."""
    with uow:
        period = uow.session.scalar(select(Period).where(Period.key == period_key))
        if period is None:
            raise LookupError(f"no period {period_key!r}")
        scored = rescore(uow, setup, period.id, None)
        unknown = uow.session.scalars(
            select(Employee.email).where(
                Employee.active.is_(True),
                Employee.scorecard.is_not(None),
                Employee.scorecard.not_in(list(setup.config.scorecards)),
            )
        ).all()
        uow.audit(
            actor=actor,
            action="score.period",
            entity="period",
            entity_id=period.id,
            after={"period": period.key, "scored": scored},
        )
        uow.commit()
    return ScoreRun(period_key, scored, list(unknown))
