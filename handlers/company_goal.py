"""`/goals company <metric> <target> <title>`: an admin sets or shifts a company goal from
chat; the cascade re-runs and managers get only the differences to confirm."""

from __future__ import annotations

from sqlalchemy import select

from handlers import strings_en as t
from handlers.actor import Actor
from handlers.cards import Card, Reply
from handlers.cascade import run_cascade
from handlers.commands import CompanyGoal
from handlers.common import Refused, period_for
from handlers.format import num
from handlers.goals_file import CompanyGoalSpec, GoalsFile
from handlers.permissions import deny
from handlers.scores import ScoringSetup
from store.models import Employee, Goal, Team
from store.uow import UnitOfWork


def set_company_goal(
    cmd: CompanyGoal, *, uow: UnitOfWork, actor: Actor, scoring: ScoringSetup
) -> Reply:
    """Create or change the current period's company goal for a metric, then cascade it."""
    with uow:
        if actor.role != "admin":
            return deny(uow, actor, "goal.company", None, t.COMPANY_GOAL_ADMIN)
        period = period_for(uow, actor, None)
        if isinstance(period, Refused):
            return period.reply
        spec = next((s for s in scoring.specs if s.name == cmd.metric), None)
        carded = {
            key
            for key, card in scoring.config.scorecards.items()
            if any(d.metric == cmd.metric for d in card.dimensions)
        }
        if spec is None or not carded:
            return Reply.say(
                t.COMPANY_GOAL_TITLE, t.COMPANY_GOAL_METRIC.format(metric=cmd.metric), ok=False
            )
        existing = uow.session.scalar(
            select(Goal).where(
                Goal.period_id == period.id, Goal.level == "company", Goal.metric == cmd.metric
            )
        )
        if existing is not None:
            teams = tuple(
                uow.session.scalars(
                    select(Team.name)
                    .join(Goal, Goal.team_id == Team.id)
                    .where(Goal.parent_id == existing.id)
                    .order_by(Team.name)
                )
            )
            key, split, unit = existing.key or cmd.metric, existing.rule, existing.unit
        else:
            teams = tuple(
                uow.session.scalars(
                    select(Team.name)
                    .join(Employee, Employee.team_id == Team.id)
                    .where(Employee.scorecard.in_(carded), Employee.active.is_(True))
                    .distinct()
                    .order_by(Team.name)
                )
            )
            key, split, unit = cmd.metric, "headcount", ""
        rate = spec.denominator is not None
        goal = CompanyGoalSpec(
            key=key,
            title=cmd.title,
            metric=cmd.metric,
            target=cmd.target,
            unit=unit,
            direction="higher",
            teams=teams,
            split="same" if rate else split,
            people_split="same" if rate else "equal",
        )
        period_key = period.key
    report = run_cascade(
        GoalsFile(period_key, (goal,)), uow=uow, scoring=scoring, actor=actor.email
    )
    return Reply(
        cards=(
            Card(
                t.COMPANY_GOAL_TITLE,
                (
                    t.COMPANY_GOAL_DONE.format(
                        title=cmd.title,
                        target=num(cmd.target),
                        period=period_key,
                        teams=", ".join(teams),
                        created=report.created,
                        changed=report.changed,
                        managers=len(report.managers_notified),
                    ),
                ),
            ),
        )
    )
