"""Goal cascade (R1): company goals split into team goals, then into employee goals.

Re-running after a company goal changes updates only what moved; changed goals go back
to "proposed" and each manager gets a card with just the differences to confirm.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from handlers import strings_en as t
from handlers.cards import Button, Card
from handlers.format import num
from handlers.goals_file import CompanyGoalSpec, GoalsFile
from handlers.notify import notify
from handlers.periods import resolve_key
from handlers.scores import ScoringSetup
from scoring.decompose import by_headcount, by_last_share, by_weights, decompose, equal
from store.actuals import actuals_select
from store.models import Employee, Goal, Period, Team
from store.uow import UnitOfWork


@dataclass
class CascadeReport:
    period: str
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    managers_notified: list[str] = field(default_factory=list)


def run_cascade(
    gf: GoalsFile, *, uow: UnitOfWork, scoring: ScoringSetup, actor: str
) -> CascadeReport:
    """Create or update the goal tree for the file's period and queue proposal cards."""
    report = CascadeReport(gf.period)
    with uow:
        period = _period(uow, gf.period, actor)
        teams = {tm.name: tm for tm in uow.session.scalars(select(Team))}
        for spec in gf.goals:
            company, _ = _upsert(
                uow,
                report,
                actor,
                period,
                "company",
                None,
                spec.key,
                spec,
                spec.target,
                team=None,
                emp=None,
            )
            members = {name: _members(uow, teams[name]) for name in spec.teams}
            team_targets = _split(uow, scoring, period, spec, members)
            for name in spec.teams:
                team = teams[name]
                tgoal, tdiff = _upsert(
                    uow,
                    report,
                    actor,
                    period,
                    "team",
                    company.id,
                    f"{spec.key}:{name}",
                    spec,
                    team_targets.get(name),
                    team=team,
                    emp=None,
                )
                shares = _people_shares(uow, scoring, period, spec, members[name])
                diffs = [tdiff] if tdiff else []
                people_targets = _people_targets(tgoal.target, shares, spec)
                for emp in members[name]:
                    _, d = _upsert(
                        uow,
                        report,
                        actor,
                        period,
                        "employee",
                        tgoal.id,
                        f"{spec.key}:{emp.email}",
                        spec,
                        people_targets.get(emp.id),
                        team=team,
                        emp=emp,
                    )
                    if d:
                        diffs.append(d)
                if diffs and team.manager_id:
                    _propose(uow, tgoal, team, period, diffs, report)
        uow.commit()
    return report


def _period(uow: UnitOfWork, key: str, actor: str) -> Period:
    period = uow.session.scalar(select(Period).where(Period.key == key))
    if period is None:
        span = resolve_key(key)
        period = Period(key=span.key, kind=span.kind, starts_on=span.start, ends_on=span.end)
        uow.session.add(period)
        uow.session.flush()
        uow.audit(
            actor=actor,
            action="period.create",
            entity="period",
            entity_id=period.id,
            after={"key": period.key},
        )
    return period


def _members(uow: UnitOfWork, team: Team) -> list[Employee]:
    """The people who carry a team's goals: its active members with a scorecard."""
    return list(
        uow.session.scalars(
            select(Employee)
            .where(
                Employee.team_id == team.id,
                Employee.active.is_(True),
                Employee.scorecard.is_not(None),
            )
            .order_by(Employee.id)
        )
    )


def _last_actuals(
    uow: UnitOfWork, scoring: ScoringSetup, period: Period, metric: str | None, ids: list[int]
) -> dict[int, Decimal | None]:
    prev = uow.session.scalar(
        select(Period)
        .where(Period.ends_on < period.starts_on)
        .order_by(Period.ends_on.desc())
        .limit(1)
    )
    specs = [s for s in scoring.specs if s.name == metric]
    if prev is None or not specs or not ids:
        return {}
    dialect = uow.session.get_bind().dialect.name
    rows = uow.session.execute(actuals_select(dialect, specs, prev.starts_on, prev.ends_on, ids))
    return {r.employee_id: r.actual for r in rows}


def _split(
    uow: UnitOfWork,
    scoring: ScoringSetup,
    period: Period,
    spec: CompanyGoalSpec,
    members: dict[str, list[Employee]],
) -> dict[str, Decimal]:
    if spec.target is None:
        return {}
    if spec.split == "same":
        return {name: spec.target for name in spec.teams}
    if spec.split == "equal":
        shares = equal(spec.teams)
    elif spec.split == "weights":
        shares = by_weights(spec.weights)
    elif spec.split == "last_share":
        last = _last_actuals(
            uow, scoring, period, spec.metric, [e.id for ms in members.values() for e in ms]
        )
        shares = by_last_share(
            {
                name: sum((Decimal(str(last.get(e.id) or 0)) for e in ms), Decimal(0))
                for name, ms in members.items()
            }
        )
    else:
        shares = by_headcount({name: len(ms) for name, ms in members.items() if ms})
    return decompose(spec.target, shares, spec.places) if shares else {}


def _people_targets(
    target: Decimal | None, shares: dict[int, Decimal], spec: CompanyGoalSpec
) -> dict[int, Decimal]:
    if target is None or not shares:
        return {}
    if spec.people_split == "same":
        return dict.fromkeys(shares, target)
    return decompose(target, shares, spec.places)


def _people_shares(
    uow: UnitOfWork,
    scoring: ScoringSetup,
    period: Period,
    spec: CompanyGoalSpec,
    people: list[Employee],
) -> dict[int, Decimal]:
    if not people:
        return {}
    if spec.people_split == "last_share":
        last = _last_actuals(uow, scoring, period, spec.metric, [e.id for e in people])
        return by_last_share(
            {e.id: (Decimal(str(v)) if (v := last.get(e.id)) else None) for e in people}
        )
    return equal(e.id for e in people)


def _upsert(
    uow: UnitOfWork,
    report: CascadeReport,
    actor: str,
    period: Period,
    level: str,
    parent_id: int | None,
    key: str,
    spec: CompanyGoalSpec,
    target: Decimal | None,
    *,
    team: Team | None,
    emp: Employee | None,
) -> tuple[Goal, str]:
    """Create or update one goal; return it and a line describing what changed ('' if none)."""
    goal = uow.session.scalar(select(Goal).where(Goal.period_id == period.id, Goal.key == key))
    who = emp.name if emp else (team.name if team else t.COMPANY)
    if goal is None and emp is not None and spec.metric:
        # A person's own goal for the same metric becomes part of the tree, not a twin.
        goal = uow.session.scalar(
            select(Goal).where(
                Goal.period_id == period.id,
                Goal.employee_id == emp.id,
                Goal.metric == spec.metric,
                Goal.level == "employee",
                Goal.parent_id.is_(None),
            )
        )
        if goal is not None:
            goal.key, goal.parent_id = key, parent_id
    if goal is None:
        goal = Goal(
            period_id=period.id,
            level=level,
            parent_id=parent_id,
            key=key,
            team_id=team.id if team else None,
            employee_id=emp.id if emp else None,
            title=spec.title,
            metric=spec.metric,
            target=target,
            unit=spec.unit,
            direction=spec.direction,
            rule=spec.split if level == "company" else spec.people_split,
            # The company level is set by the company itself: nothing to confirm.
            status="confirmed" if level == "company" else "proposed",
            updated_at=uow.clock(),
        )
        uow.session.add(goal)
        uow.session.flush()
        uow.audit(
            actor=actor,
            action="goal.propose",
            entity="goal",
            entity_id=goal.id,
            after={"key": key, "target": target},
        )
        report.created += 1
        return goal, t.CASCADE_NEW.format(who=who, target=num(target), unit=spec.unit)
    # What decides the target now (an adopted own goal, or a shift of the split rule).
    goal.rule = spec.split if level == "company" else spec.people_split
    if goal.target == target and goal.title == spec.title:
        report.unchanged += 1
        return goal, ""
    before = {"target": goal.target, "status": goal.status, "title": goal.title}
    line = t.CASCADE_CHANGED.format(who=who, old=num(goal.target), new=num(target), unit=spec.unit)
    status = "confirmed" if level == "company" else "proposed"
    goal.target, goal.title, goal.status, goal.updated_at = target, spec.title, status, uow.clock()
    uow.audit(
        actor=actor,
        action="goal.repropose",
        entity="goal",
        entity_id=goal.id,
        before=before,
        after={"target": target, "status": status},
    )
    report.changed += 1
    return goal, line


def _propose(
    uow: UnitOfWork,
    tgoal: Goal,
    team: Team,
    period: Period,
    diffs: list[str],
    report: CascadeReport,
) -> None:
    digest = hashlib.sha256("\n".join(diffs).encode()).hexdigest()[:12]
    card = Card(
        title=t.PROPOSED_TITLE.format(team=team.name, period=period.key),
        lines=(tgoal.title, *diffs),
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
        manager = uow.session.get(Employee, team.manager_id)
        if manager and manager.email not in report.managers_notified:
            report.managers_notified.append(manager.email)
