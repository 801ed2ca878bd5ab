"""An open period seen from today: how much of it has gone and where a score is heading.

Computed at read time from a stored breakdown (the figures so far) and the branch's
working-day calendar, with the sweep's holidays and minimum elapsed share, so /score,
/team, the report and the Home tab never present a partial total as if it were final.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from handlers import strings as t
from handlers.format import day_month, num, pct
from handlers.nudges.sweep_calendar import SweepPolicy
from handlers.scores.compute import ScoringSetup
from scoring.bands import band_for
from scoring.projection import Progress, progress, project
from scoring.scorecard import ScoreResult
from store.actuals import SpecLike
from store.models import Period
from store.uow import UnitOfWork


@dataclass(frozen=True)
class Outlook:
    """A partial period for one person: the working days gone, and the projection
    (None when it is too early to project, or the scorecard is unknown)."""

    progress: Progress
    ends_on: date
    result: ScoreResult | None
    band: str | None

    @property
    def total(self) -> Decimal | None:
        return None if self.result is None else self.result.total

    def attainment(self, metric: str) -> Decimal | None:
        """The projected attainment of one dimension, if there is one."""
        for d in self.result.dimensions if self.result else ():
            if d.metric == metric:
                return d.attainment
        return None


@lru_cache(maxsize=8)  # one set of metric definitions per process; /score asks every time
def cumulative(specs: tuple[SpecLike, ...]) -> frozenset[str]:
    """Metrics that are sums over the period (no denominator): the ones that accumulate."""
    return frozenset(s.name for s in specs if s.denominator is None)


def is_final(period: Period) -> bool:
    """A closed period's figures are final; anything else may still move."""
    return period.status == "closed"


def local_date(now: datetime, timezone: str | None) -> date:
    """The date at `now` in a branch's time zone (UTC when unknown)."""
    return now.astimezone(ZoneInfo(timezone or "UTC")).date()


def branch_progress(uow: UnitOfWork, period: Period, policy: SweepPolicy) -> dict[int, Progress]:
    """Every branch's progress through the period, on its own local date and holidays."""
    now = uow.clock()
    return {
        bid: progress(
            period.starts_on, period.ends_on, local_date(now, tz), policy.holidays_for(name)
        )
        for bid, name, tz in uow.org.branch_calendars()
    }


def outlook(
    breakdown: dict[str, Any],
    prog: Progress,
    ends_on: date,
    setup: ScoringSetup,
    min_elapsed: Decimal,
) -> Outlook | None:
    """The projection of a breakdown at `prog`; None once the period has ended (its
    figures are then as complete as they get)."""
    if not prog.partial:
        return None
    card = setup.config.scorecards.get(str(breakdown.get("scorecard")))
    if card is None or not prog.projectable(min_elapsed):
        return Outlook(prog, ends_on, None, None)
    actuals: dict[str, Decimal | None] = {}
    targets: dict[str, Decimal | None] = {}
    ratings: dict[str, int | None] = {}
    for d in breakdown.get("dimensions", []):
        metric, actual = d["metric"], _dec(d.get("actual"))
        if d.get("kind") == "rating":
            ratings[metric] = (
                None if actual is None else setup.config.rating_scale.nearest(int(actual))
            )
        else:
            actuals[metric], targets[metric] = actual, _dec(d.get("target"))
    result = project(
        card,
        actuals,
        targets,
        ratings,
        cumulative=cumulative(setup.specs),
        elapsed=prog.elapsed,
        total=prog.total,
        scale=setup.config.rating_scale,
    )
    return Outlook(prog, ends_on, result, band_for(result.total, setup.config.bands))


def partial_line(o: Outlook) -> str:
    """`Partial: 15 of 21 working days …` with whether there is a projection."""
    text = t.PARTIAL.format(elapsed=o.progress.elapsed, total=o.progress.total)
    note = t.TOO_EARLY if o.result is None else t.PROJECTED_TO.format(end=day_month(o.ends_on))
    return f"{text} · {note}"


def pace_note(o: Outlook, metric: str) -> str:
    """` · on pace for 104% by 30 Nov` for one dimension, or nothing."""
    projected = o.attainment(metric)
    if projected is None:
        return ""
    return " · " + t.ON_PACE.format(attainment=pct(projected), end=day_month(o.ends_on))


def total_text(so_far: Any, o: Outlook) -> str:
    """`61.2 so far · on pace for 83.2 (good, projected)`, or `… so far (too early …)`."""
    if o.result is None:
        return t.TOTAL_SO_FAR_EARLY.format(total=num(so_far))
    return t.TOTAL_SO_FAR.format(total=num(so_far), projected=num(o.total), band=o.band)


def _dec(value: Any) -> Decimal | None:
    if type(value) is Decimal:  # stored figures already are
        return value
    try:
        return None if value is None or value == "" else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
