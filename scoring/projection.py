"""Projection: where an open period's score is heading, from the figures so far and pace.

While a period runs, a stored total is partial: a sales figure after 4 of 21 working days
is a fifth of the month's. Comparing it with last month's final, or ranking on it, says
nothing true. A projection scores the period as if it went on at the same pace:

    cumulative higher-is-better sums (sales, tasks done): actual * total / elapsed
    rates and averages (CSAT, collection rate), lower-is-better figures (bug rate)
    and ratings: as they stand (a rate is not accumulated; the sweep treats them so too)

then runs the same scorecard (weights, caps, formula) on the projected figures. Working
days are Monday to Friday less holidays, counted by scoring.pace.business_days; below
the sweep's minimum elapsed share nothing is projected: one good day is not a month.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeVar

from scoring.bands import Band
from scoring.cohorts import Cohort, cohort_of
from scoring.config import RatingScale
from scoring.incentives import (
    Decision,
    IncentiveRule,
    TopPercentRule,
    apply_consecutive_band,
    apply_top_percent,
)
from scoring.pace import pace
from scoring.scorecard import Scorecard, ScoreResult, score

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Progress:
    """How far into a period a date is, in working days (today counts as elapsed)."""

    elapsed: int
    total: int
    fraction: Decimal  # elapsed / total, 4 places, as the sweep compares it
    partial: bool  # the period has not ended yet (today <= its last day)

    def projectable(self, min_elapsed: Decimal) -> bool:
        """Enough of the period has gone (min_elapsed in percent, the sweep's threshold)."""
        return self.elapsed > 0 and self.total > 0 and self.fraction * 100 >= min_elapsed


def progress(start: date, end: date, today: date, holidays: Collection[date] = ()) -> Progress:
    """Working days of the period gone by `today` (a branch-local date) and in all."""
    span = pace(None, None, start, end, today, holidays)
    return Progress(span.elapsed_days, span.total_days, span.fraction, today <= end)


def project_actual(
    actual: Decimal | None, cumulative: bool, elapsed: int, total: int
) -> Decimal | None:
    """A cumulative figure scaled to the whole period; anything else as it stands."""
    if actual is None or not cumulative or elapsed >= total:
        return actual
    if elapsed <= 0:
        return None  # nothing has elapsed: no pace to extrapolate
    return actual * total / elapsed


def project(
    card: Scorecard,
    actuals: Mapping[str, Decimal | None],
    targets: Mapping[str, Decimal | None],
    ratings: Mapping[str, int | None],
    *,
    cumulative: Collection[str],
    elapsed: int,
    total: int,
    scale: RatingScale = RatingScale(),
) -> ScoreResult:
    """The scorecard's result on the projected figures; `cumulative`: the metrics that are
    sums over the period (the others are rates). Lower-is-better figures stand as they are.
    """
    projected = {
        d.metric: project_actual(
            actuals.get(d.metric),
            d.metric in cumulative and d.direction == "higher" and d.kind == "metric",
            elapsed,
            total,
        )
        for d in card.dimensions
    }
    return score(card, projected, targets, ratings, scale)


def lowest_band(bands: Sequence[Band]) -> str | None:
    """The band nobody should be rewarded in (needs improvement); None without bands."""
    return min(bands, key=lambda b: b.min).name if bands else None


def qualifies(band: str | None, bands: Sequence[Band]) -> bool:
    """Whether a projected band may carry a projected incentive: any band but the lowest."""
    return band is not None and band != lowest_band(bands)


def projected_incentives(
    rules: Sequence[IncentiveRule],
    totals: Mapping[K, Decimal],
    history: Mapping[K, Sequence[str]],
    bands: Sequence[Band],
    placed: Mapping[K, tuple[str, str]] | None = None,
) -> list[Decision[K]]:
    """What the rules would decide on projected totals, for people whose projected band
    qualifies. `history`: each person's bands, oldest first, ending with the projected
    one (a missing period as ""). `placed`: each person's (scorecard, branch), so a top
    percent ranks within the rule's cohort as close does; without it, over everyone."""
    eligible = {k for k, seen in history.items() if seen and qualifies(seen[-1], bands)}
    out: list[Decision[K]] = []
    for rule in rules:
        if isinstance(rule, TopPercentRule):
            groups: dict[Cohort, dict[K, Decimal]] = {}
            for k, total in totals.items():
                cohort = cohort_of(rule.cohort, *placed[k]) if placed is not None else ()
                groups.setdefault(cohort, {})[k] = total
            found = [d for g in groups.values() for d in apply_top_percent(rule, g)]
        else:
            found = apply_consecutive_band(rule, history)
        out += [d for d in found if d.employee in eligible]
    return out
