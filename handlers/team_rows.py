"""The rows of a team report: score, band, trend and incentive flags per person."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import aliased

from handlers.praise import praise_counts
from scoring.incentives import (
    ConsecutiveBandRule,
    TopPercentRule,
    apply_consecutive_band,
    apply_top_percent,
)
from scoring.scorecard import ScoringConfig
from store.models import Branch, Employee, IncentiveFlag, Period, Score, Team
from store.uow import UnitOfWork


@dataclass(frozen=True)
class TeamRow:
    employee_id: int
    name: str
    team: str
    branch: str
    total: Decimal | None
    band: str
    previous: Decimal | None
    flags: tuple[str, ...]
    praise: int

    @property
    def trend(self) -> Decimal | None:
        """Change against the previous period, in points."""
        if self.total is None or self.previous is None:
            return None
        return self.total - self.previous


def previous_period(uow: UnitOfWork, period: Period) -> Period | None:
    """The period just before this one, if stored."""
    return uow.session.scalar(
        select(Period)
        .where(Period.ends_on < period.starts_on, Period.kind == period.kind)
        .order_by(Period.ends_on.desc())
        .limit(1)
    )


def team_rows(
    uow: UnitOfWork, period: Period, ids: Sequence[int], config: ScoringConfig
) -> list[TeamRow]:
    """One query for scores and trends; incentive flags stored at close, else projected."""
    prev = previous_period(uow, period)
    now, before = aliased(Score), aliased(Score)
    rows = uow.session.execute(
        select(
            Employee.id, Employee.name, Team.name, Branch.name, now.total, now.band, before.total
        )
        .join(Branch, Branch.id == Employee.branch_id)
        .outerjoin(Team, Team.id == Employee.team_id)
        .outerjoin(now, (now.employee_id == Employee.id) & (now.period_id == period.id))
        .outerjoin(
            before,
            (before.employee_id == Employee.id) & (before.period_id == (prev.id if prev else -1)),
        )
        .where(Employee.id.in_(ids), Employee.scorecard.is_not(None))
        .order_by(now.total.desc().nulls_last(), Employee.name)
    ).all()
    flags = incentive_flags(uow, period, config)
    praise = praise_counts(uow, period, [r[0] for r in rows])
    return [
        TeamRow(i, n, tm or "", br, tot, band or "", pv, tuple(flags.get(i, ())), praise.get(i, 0))
        for i, n, tm, br, tot, band, pv in rows
    ]


def incentive_flags(uow: UnitOfWork, period: Period, config: ScoringConfig) -> dict[int, list[str]]:
    """Stored flags of a closed period; for an open one, what the rules would decide now."""
    out: dict[int, list[str]] = {}
    if period.status == "closed":
        for emp, kind in uow.session.execute(
            select(IncentiveFlag.employee_id, IncentiveFlag.kind).where(
                IncentiveFlag.period_id == period.id
            )
        ):
            out.setdefault(emp, []).append(kind)
        return out
    for decision in decide_incentives(uow, period, config):
        out.setdefault(decision[0], []).append(f"{decision[1]} (projected)")
    return out


def decide_incentives(
    uow: UnitOfWork, period: Period, config: ScoringConfig
) -> list[tuple[int, str, str]]:
    """(employee, rule name, reason) for every incentive rule, over the whole population."""
    totals: dict[int, Decimal] = {
        emp: total
        for emp, total in uow.session.execute(
            select(Score.employee_id, Score.total).where(Score.period_id == period.id)
        )
    }
    decisions: list[tuple[int, str, str]] = []
    for rule in config.incentives:
        if isinstance(rule, TopPercentRule):
            found = apply_top_percent(rule, {k: Decimal(str(v)) for k, v in totals.items()})
        else:
            assert isinstance(rule, ConsecutiveBandRule)
            found = apply_consecutive_band(rule, _band_history(uow, period, rule.periods))
        decisions += [(d.employee, d.rule, d.reason) for d in found]
    return decisions


def _band_history(uow: UnitOfWork, period: Period, n: int) -> dict[int, list[str]]:
    periods = list(
        uow.session.scalars(
            select(Period)
            .where(Period.kind == period.kind, Period.starts_on <= period.starts_on)
            .order_by(Period.starts_on.desc())
            .limit(n)
        )
    )[::-1]
    history: dict[int, list[str]] = {}
    if len(periods) < n:
        return history
    for emp, band in uow.session.execute(
        select(Score.employee_id, Score.band)
        .join(Period, Period.id == Score.period_id)
        .where(Score.period_id.in_([p.id for p in periods]))
        .order_by(Period.starts_on)
    ):
        history.setdefault(emp, []).append(band)
    return {k: v for k, v in history.items() if len(v) == n}
