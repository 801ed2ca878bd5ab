"""Goal cascade (R1): company goals split into team goals, then into employee goals.

The goals file (`perfbot goals load`) and `/goals company` both come here. Re-running after
a company goal changes updates only what moved; each manager gets a card with just the
differences to confirm. Targets HR approved stay as they are; where the rest can't be
split around them, nothing changes and the report says why.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from handlers import strings as t
from handlers.cards import Button, Card
from handlers.format import num
from handlers.goals.cascade_goal import Line, Slot, upsert_goal
from handlers.goals.cascade_split import (
    approved,
    cannot_split,
    members,
    people_targets,
    team_targets,
    twins,
)
from handlers.goals.file import CompanyGoalSpec, GoalsFile
from handlers.i18n import ENGLISH, speaking
from handlers.notify import notify
from handlers.periods import resolve_key
from handlers.scores.compute import ScoringSetup
from scoring.decompose import CannotSplit
from store.models import Employee, Goal, Period, Team
from store.uow import UnitOfWork


@dataclass
class CascadeReport:
    period: str
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    managers_notified: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # why nothing changed, if so


@dataclass(frozen=True)
class _TeamPlan:
    team: Team
    share: Decimal | None  # the team's part of the company target
    people: list[Employee]
    targets: dict[int, Decimal]
    fixed: dict[int, Decimal]


def run_cascade(
    gf: GoalsFile, *, uow: UnitOfWork, scoring: ScoringSetup, actor: str
) -> CascadeReport:
    """Create or update the goal tree for the file's period and queue proposal cards; all
    or nothing: when any goal can't be split, nothing changes and `refused` says why."""
    report = CascadeReport(gf.period)
    with uow:
        period = _period(uow, gf.period, actor)
        teams = {tm.name: tm for tm in uow.goals.teams()}
        for spec in gf.goals:
            plans, problems = _plan(uow, scoring, period, teams, spec)
            report.refused += problems
            if not report.refused:
                _apply(uow, report, actor, period, spec, plans)
        if report.refused:  # leaving without commit rolls everything back
            return CascadeReport(gf.period, refused=report.refused)
        uow.commit()
    return report


def _plan(
    uow: UnitOfWork,
    scoring: ScoringSetup,
    period: Period,
    teams: dict[str, Team],
    spec: CompanyGoalSpec,
) -> tuple[list[_TeamPlan], list[str]]:
    """Every person's new target, and the reasons it can't be done (none: it can)."""
    people = {name: members(uow, teams[name]) for name in spec.teams}
    twin = twins(uow, period, spec, [e for ms in people.values() for e in ms])
    if twin:
        return [], [twin]
    try:
        shares = team_targets(uow, scoring, period, spec, people)
    except ValueError as exc:
        return [], [t.CASCADE_BAD_TOTAL.format(goal=spec.title, reason=exc)]
    plans: list[_TeamPlan] = []
    problems: list[str] = []
    for name in spec.teams:
        fixed = approved(uow, period, spec, people[name])
        try:
            targets = people_targets(
                uow, scoring, period, spec, shares.get(name), people[name], fixed
            )
        except CannotSplit as err:
            problems.append(cannot_split(err, name, spec, people[name], fixed))
            continue
        plans.append(_TeamPlan(teams[name], shares.get(name), people[name], targets, fixed))
    return plans, problems


def _apply(
    uow: UnitOfWork,
    report: CascadeReport,
    actor: str,
    period: Period,
    spec: CompanyGoalSpec,
    plans: list[_TeamPlan],
) -> None:
    company, _ = _upsert(uow, report, actor, period, Slot("company", spec.key), spec, spec.target)
    for plan in plans:
        team = plan.team
        slot = Slot("team", f"{spec.key}:{team.name}", company.id, team)
        tgoal, tdiff = _upsert(uow, report, actor, period, slot, spec, plan.share)
        diffs = [tdiff] if tdiff else []
        for emp in plan.people:
            slot = Slot("employee", f"{spec.key}:{emp.email}", tgoal.id, team, emp)
            _, d = _upsert(uow, report, actor, period, slot, spec, plan.targets.get(emp.id))
            if d:
                diffs.append(d)
        if diffs and plan.fixed:
            kept = [(e.name, plan.fixed[e.id]) for e in plan.people if e.id in plan.fixed]
            diffs.append(_kept(kept))
        if diffs and team.manager_id:
            _propose(uow, tgoal, team, period, diffs, report)


def _upsert(
    uow: UnitOfWork,
    report: CascadeReport,
    actor: str,
    period: Period,
    slot: Slot,
    spec: CompanyGoalSpec,
    target: Decimal | None,
) -> tuple[Goal, Line]:
    goal, line, outcome = upsert_goal(uow, actor, period, slot, spec, target)
    setattr(report, outcome, getattr(report, outcome) + 1)
    return goal, line


def _kept(people: list[tuple[str, Decimal]]) -> Callable[[], str]:
    return lambda: t.CASCADE_KEPT.format(
        people=t.LIST_SEP.join(f"{name} {num(target)}" for name, target in people)
    )


def _period(uow: UnitOfWork, key: str, actor: str) -> Period:
    period = uow.org.period_by_key(key)
    if period is None:
        span = resolve_key(key)
        period = Period(key=span.key, kind=span.kind, starts_on=span.start, ends_on=span.end)
        uow.add(period)
        uow.flush()
        uow.audit_row(period, actor, "period.create", after={"key": period.key})
    return period


def _propose(
    uow: UnitOfWork,
    tgoal: Goal,
    team: Team,
    period: Period,
    diffs: list[Callable[[], str]],
    report: CascadeReport,
) -> None:
    with speaking(ENGLISH):  # the same changes are the same notice, whoever ran the cascade
        digest = hashlib.sha256("\n".join(d() for d in diffs).encode()).hexdigest()[:12]

    def card() -> Card:  # in the manager's language
        return Card(
            title=t.PROPOSED_TITLE.format(team=team.name, period=period.key),
            lines=(tgoal.title, *(d() for d in diffs)),
            buttons=(
                Button(t.CONFIRM, "gl:cft", str(tgoal.id), "primary"),
                Button(t.ADJUST, "gl:adj", str(tgoal.id)),
            ),
        )

    if notify(
        uow,
        kind="goal.proposal",
        dedupe_key=f"cascade:{tgoal.id}:{digest}",
        card=card,
        recipient_id=team.manager_id,
    ):
        manager = uow.get(Employee, team.manager_id)
        if manager and manager.email not in report.managers_notified:
            report.managers_notified.append(manager.email)
