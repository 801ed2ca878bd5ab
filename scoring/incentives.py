"""Incentive rules: who earns a bonus or becomes a promotion candidate, and why."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Generic, TypeVar

from said import Said
from scoring import _parse
from scoring import strings as ss
from scoring.cohorts import COHORT_KINDS, CohortKind
from scoring.ranking import percentile_top, rank_with_ties

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Decision(Generic[K]):
    """One employee qualifying under one rule, with a reason a person can read."""

    employee: K
    rule: str
    reason: str


@dataclass(frozen=True)
class TopPercentRule:
    """Eligible when in the top `percent` of one's cohort by final total (scoring/cohorts.py:
    by default the people on the same scorecard, so different scorecards never compete)."""

    name: str
    percent: Decimal
    cohort: CohortKind = "scorecard"


def apply_top_percent(rule: TopPercentRule, totals: Mapping[K, Decimal]) -> list[Decision[K]]:
    """Everyone whose rank/population*100 <= rule.percent, best first.

    Competition ranking (1, 2, 2, 4) means ties at the boundary are all included.
    The test is exact (rank*100 <= percent*population), so a small population may
    qualify nobody: top 10% of 5 people needs rank <= 0.5.
    """
    population = len(totals)
    ranks = rank_with_ties(totals)
    return [
        Decision(
            employee, rule.name, f"rank {rank} of {population}, top {_one_place(rank, population)}%"
        )
        for employee, rank in ranks.items()
        if rank * 100 <= rule.percent * population
    ]


def _one_place(rank: int, population: int) -> Decimal:
    return percentile_top(rank, population).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ConsecutiveBandRule:
    """Eligible when the last `periods` bands were all `band`."""

    name: str
    band: str
    periods: int


def apply_consecutive_band(
    rule: ConsecutiveBandRule, history: Mapping[K, Sequence[str]]
) -> list[Decision[K]]:
    """Everyone whose last rule.periods bands (history is oldest -> newest) all equal rule.band."""
    reason = (
        f"{rule.band} in the last period"
        if rule.periods == 1
        else f"{rule.band} in each of the last {rule.periods} periods"
    )
    return [
        Decision(employee, rule.name, reason)
        for employee, bands in history.items()
        if len(bands) >= rule.periods and all(b == rule.band for b in bands[-rule.periods :])
    ]


IncentiveRule = TopPercentRule | ConsecutiveBandRule


def parse_incentives(
    raw: object, band_names: Sequence[str], report: _parse.Report
) -> tuple[IncentiveRule, ...]:
    """Read the optional `incentives:` list; rule names must be unique."""
    if raw is None:
        return ()
    entries = _parse.items(raw, "incentives", report)
    rules: list[IncentiveRule] = []
    for index, entry in enumerate(entries or []):
        path = f"incentives[{index}]"
        fields = _parse.mapping(entry, path, report)
        if fields is None:
            continue
        rule = _parse_rule(fields, band_names, path, report)
        if rule is not None and any(other.name == rule.name for other in rules):
            report(f"{path}.name", Said(ss.INCENTIVE_TWICE, name=rule.name))
        elif rule is not None:
            rules.append(rule)
    return tuple(rules)


def _parse_rule(
    fields: Mapping[str, Any], band_names: Sequence[str], path: str, report: _parse.Report
) -> IncentiveRule | None:
    name = _parse.text(fields, "name", path, report)
    kind = fields.get("rule")
    if kind == "top_percent":
        _parse.known_keys(fields, ("name", "rule", "percent", "cohort"), path, report)
        percent = _parse.number(fields.get("percent"), f"{path}.percent", report, positive=True)
        if percent is not None and percent > 100:
            report(f"{path}.percent", Said(ss.PERCENT_OVER, percent=percent))
            return None
        cohort = fields.get("cohort", "scorecard")
        if cohort not in COHORT_KINDS:
            report(
                f"{path}.cohort",
                Said(ss.UNKNOWN_COHORT, cohort=cohort, known=", ".join(COHORT_KINDS)),
            )
            return None
        if not name or percent is None:
            return None
        return TopPercentRule(name, percent, cohort)
    if kind == "consecutive_band":
        _parse.known_keys(fields, ("name", "rule", "band", "periods"), path, report)
        band = fields.get("band")
        if band not in band_names:
            report(f"{path}.band", Said(ss.UNKNOWN_BAND, band=band, known=", ".join(band_names)))
        periods = _parse.whole(fields.get("periods"), f"{path}.periods", report)
        if name and isinstance(band, str) and band in band_names and periods is not None:
            return ConsecutiveBandRule(name, band, periods)
        return None
    report(f"{path}.rule", Said(ss.UNKNOWN_RULE, kind=kind))
    return None
