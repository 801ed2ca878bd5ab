"""How a company goal splits: into team shares by its rule, then into people's targets,
around the targets HR approved (those stay; the rest is split so the total still holds)."""

from __future__ import annotations

from decimal import Decimal

from handlers import strings as t
from handlers.format import num
from handlers.goals.file import CompanyGoalSpec
from handlers.scores.compute import ScoringSetup
from scoring.decompose import (
    CannotSplit,
    by_headcount,
    by_last_share,
    by_weights,
    decompose_around,
    equal,
)
from store.models import Employee, Period, Team
from store.uow import UnitOfWork


def members(uow: UnitOfWork, team: Team) -> list[Employee]:
    """The people who carry a team's goals: its active members with a scorecard."""
    return uow.goals.team_members(team.id)


def team_targets(
    uow: UnitOfWork,
    scoring: ScoringSetup,
    period: Period,
    spec: CompanyGoalSpec,
    people: dict[str, list[Employee]],
) -> dict[str, Decimal]:
    """Each team's share of the company target, by the goal's split rule and rounding."""
    if spec.target is None:
        return {}
    if spec.split == "same":
        return dict.fromkeys(spec.teams, spec.target)
    if spec.split == "equal":
        shares = equal(spec.teams)
    elif spec.split == "weights":
        shares = by_weights(spec.weights)
    elif spec.split == "last_share":
        last = _last_actuals(
            uow, scoring, period, spec.metric, [e.id for ms in people.values() for e in ms]
        )
        shares = by_last_share(
            {
                name: sum((Decimal(str(last.get(e.id) or 0)) for e in ms), Decimal(0))
                for name, ms in people.items()
            }
        )
    else:
        shares = by_headcount({name: len(ms) for name, ms in people.items() if ms})
    return decompose_around(spec.target, shares, {}, spec.places) if shares else {}


def people_targets(
    uow: UnitOfWork,
    scoring: ScoringSetup,
    period: Period,
    spec: CompanyGoalSpec,
    target: Decimal | None,
    people: list[Employee],
    fixed: dict[int, Decimal],
) -> dict[int, Decimal]:
    """Each person's part of a team target; `fixed` parts are kept. Raises CannotSplit."""
    if target is None or not people:
        return {}
    if spec.people_split == "same":
        return {e.id: fixed.get(e.id, target) for e in people}
    if spec.people_split == "last_share":
        last = _last_actuals(uow, scoring, period, spec.metric, [e.id for e in people])
        shares = by_last_share(
            {e.id: (Decimal(str(v)) if (v := last.get(e.id)) else None) for e in people}
        )
    else:
        shares = equal(e.id for e in people)
    return decompose_around(target, shares, fixed, spec.places)


def approved(
    uow: UnitOfWork, period: Period, spec: CompanyGoalSpec, people: list[Employee]
) -> dict[int, Decimal]:
    """Targets HR approved for the goals this cascade owns (its own key, or a person's own
    goal it adopts): they are fixed."""
    if not spec.metric or not people:
        return {}
    keys = {f"{spec.key}:{e.email}" for e in people}
    rows = uow.goals.approved_targets(period.id, spec.metric, [e.id for e in people])
    return {
        r.employee_id: r.target
        for r in rows
        if r.target is not None and (r.key in keys or r.parent_id is None)
    }


def cannot_split(
    err: CannotSplit,
    team: str,
    spec: CompanyGoalSpec,
    people: list[Employee],
    fixed: dict[int, Decimal],
) -> str:
    """Why a team's share can't be split around its approved targets, for the admin."""
    names = t.LIST_SEP.join(f"{e.name} {num(fixed[e.id])}" for e in people if e.id in fixed)
    common = {"team": team, "goal": spec.title, "share": num(err.total), "unit": spec.unit}
    if err.others == 0:
        return t.CASCADE_ALL_FIXED.format(**common, people=names, fixed=num(err.fixed))
    if err.left == 0:
        return t.CASCADE_FIXED_ALL.format(**common, people=names, others=err.others)
    return t.CASCADE_FIXED_OVER.format(
        **common, people=names, fixed=num(err.fixed), over=num(-err.left), others=err.others
    )


def twins(
    uow: UnitOfWork, period: Period, spec: CompanyGoalSpec, people: list[Employee]
) -> str | None:
    """Why not, when some of these people already carry this metric from another goal:
    one target per person and metric (two would leave which one scores to chance)."""
    if not spec.metric or not people:
        return None
    by_id = {e.id: e for e in people}
    mine = [f"{spec.key}:{e.email}" for e in people]
    rows = uow.goals.twin_goals(period.id, spec.metric, list(by_id), mine)
    if not rows:
        return None
    other = (rows[0].key or "?").rsplit(":", 1)[0]
    names = t.LIST_SEP.join(by_id[r.employee_id].name for r in rows[:5])
    more = t.CASCADE_TWIN_MORE.format(n=len(rows) - 5) if len(rows) > 5 else ""
    return t.CASCADE_TWIN.format(
        goal=spec.title, people=names + more, metric=spec.metric, other=other
    )


def _last_actuals(
    uow: UnitOfWork, scoring: ScoringSetup, period: Period, metric: str | None, ids: list[int]
) -> dict[int, Decimal | None]:
    prev = uow.goals.period_before(period.starts_on)
    specs = [s for s in scoring.specs if s.name == metric]
    if prev is None or not specs or not ids:
        return {}
    return uow.goals.actuals(specs, prev.starts_on, prev.ends_on, ids)
