"""Each person's final result of a period and its incentive outcomes, with the reason a
person can read: ranked within their cohort (scoring/cohorts.py) on the final total, which
is HR's calibrated one where there is one; band runs counted over closed periods only."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

from handlers import strings as t
from handlers.format import num
from handlers.i18n import term
from scoring.bands import band_for
from scoring.cohorts import Cohort, Standing, cohort_of, run_length, standings_by_cohort
from scoring.incentives import ConsecutiveBandRule, TopPercentRule
from scoring.scorecard import ScoringConfig
from store.models import Period
from store.period_results import ResultRow
from store.uow import UnitOfWork


@dataclass(frozen=True)
class RuleOutcome:
    """One incentive rule for one person: qualified or not, and why."""

    rule: str
    qualified: bool
    # Why, worded when read: a result card is written in its reader's language.
    why: Callable[[], str] = field(compare=False, repr=False)
    standing: Standing | None = None  # top_percent rules
    run: int | None = None  # consecutive_band rules: the unbroken run of the band

    @property
    def reason(self) -> str:
        """Why, in the language being spoken."""
        return self.why()


@dataclass(frozen=True)
class PersonResult:
    """A person's result: computed and final total (None: no data), final band, outcomes."""

    row: ResultRow
    final: Decimal | None
    band: str
    outcomes: tuple[RuleOutcome, ...]

    @property
    def has_data(self) -> bool:
        return self.final is not None

    @property
    def calibrated(self) -> bool:
        return self.row.calibrated is not None


def cohort_label(cohort: Cohort) -> str:
    """How a cohort is named to people: "Sales rep", "Sales rep · Berlin", "company"."""
    return " · ".join(str(term(part)) for part in cohort) or t.COHORT_COMPANY


def scorecard_label(key: str) -> str:
    """A scorecard's key as people read it: sales_rep -> Sales rep."""
    return key.replace("_", " ").capitalize()


def period_results(
    uow: UnitOfWork, period: Period, config: ScoringConfig, ids: Sequence[int] | None = None
) -> list[PersonResult]:
    """Everyone's result and outcomes (`ids`: only theirs, still ranked in whole cohorts)."""
    rows = uow.closing.result_rows(period.id, list(config.scorecards))
    finals = {r.employee_id: _final(r) for r in rows}
    bands = {r.employee_id: _band(r, finals[r.employee_id], config) for r in rows}
    per_rule: list[dict[int, RuleOutcome]] = []
    for rule in config.incentives:
        if isinstance(rule, TopPercentRule):
            per_rule.append(_top_percent(rule, rows, finals))
        else:
            assert isinstance(rule, ConsecutiveBandRule)
            per_rule.append(_run(uow, period, rule, bands, config))
    wanted = None if ids is None else set(ids)
    return [
        PersonResult(
            r,
            finals[r.employee_id],
            bands[r.employee_id],
            tuple(o[r.employee_id] for o in per_rule if r.employee_id in o),
        )
        for r in rows
        if wanted is None or r.employee_id in wanted
    ]


def person_result(
    uow: UnitOfWork, period: Period, employee_id: int, config: ScoringConfig
) -> PersonResult | None:
    """One person's result re-evaluated against the others' stored (frozen) results: what an
    accepted appeal after close recomputes. None if the person has no scorecard."""
    found = period_results(uow, period, config, [employee_id])
    return found[0] if found else None


def _final(r: ResultRow) -> Decimal | None:
    if r.computed is None or r.coverage <= 0:
        return None  # no data at all is no result, never a zero that ranks
    return r.calibrated if r.calibrated is not None else r.computed


def _band(r: ResultRow, final: Decimal | None, config: ScoringConfig) -> str:
    if final is None:
        return ""
    if r.calibrated is not None and config.bands:
        return band_for(final, config.bands)
    return r.band


def _top_percent(
    rule: TopPercentRule, rows: list[ResultRow], finals: dict[int, Decimal | None]
) -> dict[int, RuleOutcome]:
    members = [
        (r.employee_id, cohort_of(rule.cohort, scorecard_label(r.scorecard), r.branch), final)
        for r in rows
        if (final := finals[r.employee_id]) is not None
    ]
    out: dict[int, RuleOutcome] = {}
    for emp, s in standings_by_cohort(rule.percent, members).items():
        out[emp] = RuleOutcome(rule.name, s.qualified, partial(top_reason, rule, s), standing=s)
    return out


def top_reason(rule: TopPercentRule, s: Standing) -> str:
    """ "rank 7 of 33 in Sales rep; top 10% is ranks 1-3" """
    if s.cutoff == 0:
        ranks = t.TOP_RANKS_NONE
    elif s.cutoff == 1:
        ranks = t.TOP_RANKS_ONE
    else:
        ranks = t.TOP_RANKS.format(cutoff=s.cutoff)
    return t.TOP_REASON.format(
        rank=s.rank, size=s.size, cohort=cohort_label(s.cohort), percent=num(rule.percent),
        ranks=ranks,
    )  # fmt: skip


def _run(
    uow: UnitOfWork,
    period: Period,
    rule: ConsecutiveBandRule,
    bands: dict[int, str],
    config: ScoringConfig,
) -> dict[int, RuleOutcome]:
    """The run of `rule.band` each person's history ends with: this period, then the closed
    periods just before it (their final bands), stopping at the first open one."""
    earlier = uow.closing.earlier_closed(period, rule.periods - 1)
    order = {p.id: i for i, p in enumerate(reversed(earlier))}  # oldest first
    history: dict[int, list[str]] = {}  # "" where a period has no result: it breaks a run
    for pid, emp, band, calibrated, coverage in uow.closing.final_bands(list(order)):
        past = history.setdefault(emp, [""] * len(order))
        if coverage > 0:
            past[order[pid]] = (
                band_for(calibrated, config.bands) if calibrated is not None else band
            )
    out: dict[int, RuleOutcome] = {}
    for emp, band in bands.items():
        if not band:
            continue
        n = run_length([*history.get(emp, []), band], rule.band)
        out[emp] = RuleOutcome(
            rule.name, n >= rule.periods, partial(run_reason, rule, band, n, period.kind), run=n
        )
    return out


def run_reason(rule: ConsecutiveBandRule, band: str, n: int, kind: str) -> str:
    """ "3rd excellent month in a row" (or how far from it)."""
    if n == 0:
        return t.RUN_NONE.format(band=band, kind=kind, needed=rule.periods, rule_band=rule.band)
    nth = t.ORDINALS.get(n, t.ORDINAL_OTHER.format(n=n))
    text = t.RUN_REASON.format(nth=nth, band=rule.band, kind=kind)
    return text if n >= rule.periods else t.RUN_SHORT.format(run=text, needed=rule.periods)
