"""What closing a period would do, before anyone closes it (R9): the distribution per
scorecard and branch, coverage (who lacks which dimension), who would get each incentive
and why, and the reasons close would refuse (no scores, coverage below the threshold)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from handlers import strings as t
from handlers.closing.outcomes import PersonResult, period_results, scorecard_label
from handlers.format import day, num
from handlers.scores.compute import ScoringSetup, rescore
from scoring.scorecard import ScoringConfig
from store.models import Period
from store.uow import UnitOfWork


@dataclass(frozen=True)
class ClosePolicy:
    """PERFBOT_CLOSE_MIN_COVERAGE: the percent of everyone's scorecard weight that must have
    data (sum of each person's covered weight / 100 x people) before a period may close."""

    min_coverage: Decimal = Decimal(80)


@dataclass(frozen=True)
class Group:
    """One scorecard's or branch's distribution of final totals."""

    name: str
    people: int
    finals: tuple[Decimal, ...]
    bands: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Preview:
    period: Period
    people: int
    scored: int
    coverage: Decimal  # percent of the scorecards' weight with data, over everyone
    min_coverage: Decimal
    by_scorecard: tuple[Group, ...]
    by_branch: tuple[Group, ...]
    missing: tuple[tuple[PersonResult, tuple[str, ...]], ...]  # person, dimensions without data
    results: tuple[PersonResult, ...]
    blockers: tuple[str, ...]  # why close would refuse; empty: it may close

    @property
    def closable(self) -> bool:
        return self.period.status == "open" and not self.blockers


def _ended_everywhere(uow: UnitOfWork, period: Period) -> bool:
    """Whether the period is over in every branch's own time zone (results are final only
    then: a close before the last branch's last day would freeze partial figures)."""
    now = uow.clock()
    zones = uow.closing.branch_timezones() or {"UTC"}
    return all(now.astimezone(ZoneInfo(z)).date() > period.ends_on for z in zones)


def preview_in(
    uow: UnitOfWork,
    period: Period,
    setup: ScoringSetup,
    policy: ClosePolicy,
    ids: Sequence[int] | None = None,
) -> Preview:
    """Inside the caller's unit of work: an open period is scored afresh first (as close
    would; the caller decides whether to keep that). `ids` limits the lists, not the figures."""
    if period.status == "open":
        rescore(uow, setup, period.id, None)
    results = period_results(uow, period, setup.config)
    people = len(results)
    covered = sum((r.row.coverage for r in results if r.row.computed is not None), Decimal(0))
    coverage = (covered / people).quantize(Decimal("0.1")) if people else Decimal(0)
    scored = sum(1 for r in results if r.has_data)
    blockers = []
    if people == 0:
        blockers.append(t.BLOCK_NOBODY)
    elif scored == 0:
        blockers.append(t.BLOCK_NO_SCORES)
    elif coverage < policy.min_coverage:
        blockers.append(
            t.BLOCK_COVERAGE.format(coverage=num(coverage), needed=num(policy.min_coverage))
        )
    if not _ended_everywhere(uow, period):
        blockers.append(t.BLOCK_RUNNING.format(end=day(period.ends_on)))
    shown = results if ids is None else [r for r in results if r.row.employee_id in set(ids)]
    bands = [b.name for b in sorted(setup.config.bands, key=lambda b: -b.min)]
    return Preview(
        period,
        people,
        scored,
        coverage,
        policy.min_coverage,
        _groups(shown, lambda r: scorecard_label(r.row.scorecard), bands),
        _groups(shown, lambda r: r.row.branch, bands),
        _missing(uow, period, setup.config, shown),
        tuple(shown),
        tuple(blockers),
    )


def _groups(results: list[PersonResult], key: Any, bands: list[str]) -> tuple[Group, ...]:
    by: dict[str, list[PersonResult]] = {}
    for r in results:
        by.setdefault(key(r), []).append(r)
    out = []
    for name in sorted(by):
        members = by[name]
        counts = Counter(r.band for r in members if r.has_data)
        out.append(
            Group(
                name,
                len(members),
                tuple(r.final for r in members if r.final is not None),
                tuple((b, counts[b]) for b in bands if counts[b]),
            )
        )
    return tuple(out)


def _missing(
    uow: UnitOfWork, period: Period, config: ScoringConfig, results: list[PersonResult]
) -> tuple[tuple[PersonResult, tuple[str, ...]], ...]:
    lacking: dict[int, list[int]] = {}
    for emp, pos in uow.closing.dimensions_without_data(period.id):
        lacking.setdefault(emp, []).append(pos)
    out: list[tuple[PersonResult, tuple[str, ...]]] = []
    for r in results:
        dims = config.scorecards[r.row.scorecard].dimensions
        if r.row.computed is None:
            out.append((r, (t.MISSING_NOT_SCORED,)))
        elif r.row.employee_id in lacking:
            names = tuple(
                dims[p].label or dims[p].metric for p in lacking[r.row.employee_id] if p < len(dims)
            )
            out.append((r, names))
    return tuple(out)


def missing_summary(p: Preview, names: int = 3) -> list[str]:
    """Who lacks what, one line per dimension, most people first."""
    by_dim: dict[str, list[str]] = {}
    for r, dims in p.missing:
        for d in dims:
            by_dim.setdefault(d, []).append(r.row.name)
    lines = []
    for dim, people in sorted(by_dim.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        shown = t.LIST_SEP.join(people[:names]) + (
            t.MISSING_MORE.format(n=len(people) - names) if len(people) > names else ""
        )
        lines.append(t.MISSING_LINE.format(dimension=dim, n=len(people), names=shown))
    return lines


def preview_json(p: Preview) -> dict[str, Any]:
    """Everything in the preview, each person included, for `perfbot period preview --json`."""

    def group(g: Group) -> dict[str, Any]:
        avg = sum(g.finals, Decimal(0)) / len(g.finals) if g.finals else None
        return {
            "name": g.name, "people": g.people, "scored": len(g.finals),
            "average": None if avg is None else str(avg.quantize(Decimal("0.01"))),
            "min": str(min(g.finals)) if g.finals else None,
            "max": str(max(g.finals)) if g.finals else None, "bands": dict(g.bands),
        }  # fmt: skip

    incentives: dict[str, list[dict[str, str]]] = {}
    for r in p.results:
        for o in r.outcomes:
            if o.qualified:
                incentives.setdefault(o.rule, []).append({"email": r.row.email, "reason": o.reason})
    return {
        "period": p.period.key, "status": p.period.status, "people": p.people,
        "scored": p.scored, "coverage": str(p.coverage), "min_coverage": str(p.min_coverage),
        "closable": p.closable, "blockers": list(p.blockers),
        "by_scorecard": [group(g) for g in p.by_scorecard],
        "by_branch": [group(g) for g in p.by_branch],
        "missing": [
            {"email": r.row.email, "name": r.row.name, "dimensions": list(d)}
            for r, d in p.missing
        ],
        "incentives": incentives,
        "results": [result_json(r) for r in p.results],
    }  # fmt: skip


def result_json(r: PersonResult) -> dict[str, Any]:
    """One person's result with every outcome and its reason."""
    row = r.row
    return {
        "email": row.email, "name": row.name, "scorecard": row.scorecard, "branch": row.branch,
        "computed": None if row.computed is None else str(row.computed),
        "final": None if r.final is None else str(r.final), "band": r.band,
        "coverage": str(row.coverage),
        "calibration": None if row.calibrated is None else {
            "total": str(row.calibrated), "reason": row.reason, "by": row.calibrated_by,
            "at": row.calibrated_at.isoformat() if row.calibrated_at else None,
        },
        "outcomes": [
            {"rule": o.rule, "qualified": o.qualified, "reason": o.reason,
             "cohort": list(o.standing.cohort) if o.standing else None,
             "rank": o.standing.rank if o.standing else None,
             "of": o.standing.size if o.standing else None,
             "cutoff": o.standing.cutoff if o.standing else None, "run": o.run}
            for o in r.outcomes
        ],
    }  # fmt: skip
