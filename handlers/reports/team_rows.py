"""The rows of a team report: score, band, trend and incentive flags per person."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from handlers.closing.outcomes import period_results
from handlers.nudges.sweep_calendar import SweepPolicy
from handlers.praise.give import praise_counts
from handlers.reports.team_outlook import projected_flags, team_outlooks
from handlers.scores.compute import ScoringSetup
from handlers.scores.outlook import Outlook
from scoring.scorecard import ScoringConfig
from store.models import Period
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
    outlook: Outlook | None = None  # set while the period runs: total is partial

    @property
    def standing(self) -> Decimal | None:
        """The total that compares: the projection while there is one, else the total."""
        if self.outlook is not None and self.outlook.total is not None:
            return self.outlook.total
        return self.total

    @property
    def trend(self) -> Decimal | None:
        """Change against the previous period, in points; while the period runs, of the
        projection (a partial total compared with a final one would say nothing)."""
        now = self.total if self.outlook is None else self.outlook.total
        if now is None or self.previous is None:
            return None
        return now - self.previous


def previous_period(uow: UnitOfWork, period: Period) -> Period | None:
    """The period just before this one, if stored."""
    return uow.reports.previous_period(period)


def team_rows(
    uow: UnitOfWork, period: Period, ids: Sequence[int], setup: ScoringSetup, policy: SweepPolicy
) -> list[TeamRow]:
    """One query for scores and trends; incentive flags stored at close, else projected;
    while the period runs, each row carries its outlook (pace and projection)."""
    prev = previous_period(uow, period)
    rows = uow.reports.team_scores(period.id, prev.id if prev else None, ids)
    outlooks = team_outlooks(uow, period, setup, policy)
    flags = incentive_flags(uow, period, setup.config, outlooks)
    praise = praise_counts(uow, period, [r[0] for r in rows])
    out = [
        TeamRow(
            i,
            n,
            tm or "",
            br,
            tot,
            band or "",
            pv,
            tuple(flags.get(i, ())),
            praise.get(i, 0),
            outlooks.get(i),
        )
        for i, n, tm, br, tot, band, pv in rows
    ]
    # While the period runs, the projection orders the report (the SQL ordered partial totals).
    out.sort(key=lambda r: (r.standing is None, -(r.standing or 0)))
    return out


def incentive_flags(
    uow: UnitOfWork,
    period: Period,
    config: ScoringConfig,
    outlooks: dict[int, Outlook | None],
) -> dict[int, list[str]]:
    """Stored flags of a closed period; for an open one, what the rules would decide on
    the projection (handlers/reports/team_outlook.py), labelled projected."""
    out: dict[int, list[str]] = {}
    if period.status == "closed":
        for emp, kind in uow.reports.incentive_flags(period.id):
            out.setdefault(emp, []).append(kind)
        return out
    return projected_flags(uow, period, config, outlooks)


def decide_incentives(
    uow: UnitOfWork, period: Period, config: ScoringConfig
) -> list[tuple[int, str, str]]:
    """(employee, rule name, reason) of everyone who qualifies: ranked within their cohort on
    the final (calibrated) total, band runs over closed periods (handlers/closing/outcomes.py)."""
    return [
        (r.row.employee_id, o.rule, o.reason)
        for r in period_results(uow, period, config)
        for o in r.outcomes
        if o.qualified
    ]
