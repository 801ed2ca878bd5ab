"""Compute scores: a whole period for operators and the scheduler, or a few people after a
correction or an approved target change."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from handlers import strings as t
from handlers import strings_en as en
from said import Said
from scoring.scorecard import ScoringConfig
from store.actuals import SpecLike
from store.models import Period
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
    unscored: dict[str, str]  # e-mail -> why they could not be scored


def rescore(
    uow: UnitOfWork, setup: ScoringSetup, period_id: int, employee_ids: Sequence[int] | None
) -> int:
    """Recompute scores inside the caller's unit of work (not committed here)."""
    period = uow.get(Period, period_id)
    if period is None:
        raise LookupError(Said(en.NO_PERIOD_ID, id=period_id))
    if period.status == "closed":
        raise PeriodClosed(Said(en.PERIOD_CLOSED, key=period.key))
    return uow.scores.compute(setup.config, setup.specs, period, uow.clock(), employee_ids)


def score_all(
    period_key: str, *, uow: UnitOfWork, setup: ScoringSetup, actor: str = "scheduler"
) -> ScoreRun:
    """Score every employee with a scorecard for the period, in one statement; audited."""
    with uow:
        period = uow.org.period_by_key(period_key)
        if period is None:
            raise LookupError(Said(en.NO_PERIOD_KEY, key=period_key))
        scored = rescore(uow, setup, period.id, None)
        unknown = uow.scores.unknown_scorecards(list(setup.config.scorecards))
        uow.audit_row(period, actor, "score.period", after={"period": period.key, "scored": scored})
        uow.commit()
    why = {email: t.UNSCORED_UNKNOWN_CARD.format(card=card) for email, card in unknown}
    return ScoreRun(period_key, scored, why)
