"""The rows of a team report: score, band, trend and incentive flags per person."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import aliased

from handlers.period_outcomes import period_results
from handlers.praise import praise_counts
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
    """(employee, rule name, reason) of everyone who qualifies: ranked within their cohort on
    the final (calibrated) total, band runs over closed periods (handlers/period_outcomes.py)."""
    return [
        (r.row.employee_id, o.rule, o.reason)
        for r in period_results(uow, period, config)
        for o in r.outcomes
        if o.qualified
    ]
