"""A whole open period at once: everyone's outlook, and the incentives it projects."""

from __future__ import annotations

from decimal import Decimal

from handlers import strings as t
from handlers.nudges.sweep_calendar import SweepPolicy
from handlers.scores.compute import ScoringSetup
from handlers.scores.outlook import Outlook, branch_progress, is_final, outlook
from scoring.incentives import ConsecutiveBandRule
from scoring.projection import projected_incentives
from scoring.scorecard import ScoringConfig
from store.models import Period
from store.uow import UnitOfWork


def team_outlooks(
    uow: UnitOfWork, period: Period, setup: ScoringSetup, policy: SweepPolicy
) -> dict[int, Outlook | None]:
    """Everyone scored in the period: their outlook, None where the figures are complete
    (the period has ended in their branch); empty for a closed period."""
    if is_final(period):
        return {}
    progs = branch_progress(uow, period, policy)
    branch_of = uow.reports.scored_branches(period.id)
    return {
        emp: outlook(b, progs[branch_of[emp]], period.ends_on, setup, policy.min_elapsed)
        for emp, b in uow.scores.breakdowns(period.id).items()
        if emp in branch_of
    }


def projected_flags(
    uow: UnitOfWork, period: Period, config: ScoringConfig, outlooks: dict[int, Outlook | None]
) -> dict[int, list[str]]:
    """The incentive flags an open period points to, labelled projected: on projected totals
    while it runs (nobody too early to project), on the totals once it has ended, each rule
    ranked within its cohort as close ranks it; never for anyone whose band is the lowest."""
    totals: dict[int, Decimal] = {}
    current: dict[int, str] = {}
    placed: dict[int, tuple[str, str]] = {}
    for emp, total, band, card, branch in uow.reports.placed_scores(period.id):
        placed[emp] = (card or "", branch)
        o = outlooks.get(emp)
        if o is None:  # the figures are complete: judge them as they are
            totals[emp], current[emp] = Decimal(str(total)), band
        elif o.result is not None and o.band is not None:
            totals[emp], current[emp] = o.result.total, o.band
    history = _history(uow, period, config, current)
    out: dict[int, list[str]] = {}
    for d in projected_incentives(config.incentives, totals, history, config.bands, placed):
        out.setdefault(d.employee, []).append(t.PROJECTED_FLAG.format(flag=d.rule))
    return out


def _history(
    uow: UnitOfWork, period: Period, config: ScoringConfig, current: dict[int, str]
) -> dict[int, list[str]]:
    """Each person's bands in the periods before this one ("" where unscored), oldest
    first, then the band judged now: as many as the longest consecutive-band rule needs."""
    need = max(
        (r.periods - 1 for r in config.incentives if isinstance(r, ConsecutiveBandRule)), default=0
    )
    before: list[int] = []
    if need:
        before = uow.reports.periods_before(period, need)[::-1]
    seen: dict[tuple[int, int], str] = {}
    if before:
        seen = uow.reports.bands(before)
    return {
        emp: [seen.get((emp, pid), "") for pid in before] + [band] for emp, band in current.items()
    }
