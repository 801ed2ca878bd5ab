"""`/goals company <metric> <target> <title>`: an admin sets or shifts a company goal from
chat; the cascade re-runs and managers get only the differences to confirm."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from handlers import strings as t
from handlers.actor import Actor
from handlers.cards import Reply
from handlers.commands import CompanyGoal
from handlers.common import Refused, period_for
from handlers.format import amount, plural
from handlers.goals.cascade import run_cascade
from handlers.goals.file import CompanyGoalSpec, GoalsFile
from handlers.metric_names import NoMetric, configured, resolve
from handlers.permissions import deny
from handlers.scores.compute import ScoringSetup
from store.models import Goal
from store.uow import UnitOfWork


def set_company_goal(
    cmd: CompanyGoal, *, uow: UnitOfWork, actor: Actor, scoring: ScoringSetup
) -> Reply:
    """Create or change the current period's company goal for a metric, then cascade it."""
    with uow:
        if actor.role != "admin":
            return deny("goal.company", None, t.COMPANY_GOAL_ADMIN)
        period = period_for(uow, actor, None)
        if isinstance(period, Refused):
            return period.reply
        # Named by key, label or the label in the admin's language; the goal keeps the key.
        # A metric on a scorecard first: another may share its label.
        on_cards = configured(scoring, defined_only=True, carded_only=True)
        found = resolve(cmd.metric, on_cards, configured(scoring, defined_only=True))
        if isinstance(found, NoMetric) and found.ambiguous:
            return Reply.say(t.COMPANY_GOAL_TITLE, found.say(t.METRIC_UNKNOWN), ok=False)
        if not isinstance(found, NoMetric):
            cmd = replace(cmd, metric=found.key)
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
        existing = uow.goals.company_goal(period.id, cmd.metric)
        if existing is not None:
            goal = _stored_spec(uow, existing, cmd)
        else:
            teams = uow.goals.team_names_carrying(carded)
            rate = spec.denominator is not None  # a rate is carried whole, not split
            goal = CompanyGoalSpec(
                key=cmd.metric,
                title=cmd.title,
                metric=cmd.metric,
                target=cmd.target,
                unit="",
                direction="higher",
                teams=teams,
                split="same" if rate else "headcount",
                people_split="same" if rate else "equal",
            )
        period_key = period.key
    report = run_cascade(
        GoalsFile(period_key, (goal,)), uow=uow, scoring=scoring, actor=actor.email
    )
    if report.refused:
        return Reply.say(
            t.COMPANY_GOAL_TITLE,
            t.CASCADE_NOT_CHANGED.format(goal=cmd.title),
            *report.refused,
            ok=False,
        )
    done = t.COMPANY_GOAL_DONE.format(
        title=cmd.title,
        target=amount(cmd.target, goal.unit),
        period=period_key,
        teams=t.LIST_SEP.join(goal.teams),
        created=plural(report.created, t.GOALS),
        changed=report.changed,
        managers=plural(len(report.managers_notified), t.MANAGERS),
    )
    return Reply.say(t.COMPANY_GOAL_TITLE, done)


def _stored_spec(uow: UnitOfWork, company: Goal, cmd: CompanyGoal) -> CompanyGoalSpec:
    """The goal as it was cascaded (teams, split rules, rounding) with the new target and
    title: a change from chat splits the way the goals file said."""
    children = uow.goals.team_shares(company.id)
    weights = {k: Decimal(str(v)) for k, v in (company.weights or {}).items()}
    if company.rule == "weights" and not weights:
        # Cascaded before the weights were kept: the teams' targets are in their proportion.
        weights = {c.name: c.latest for c in children if c.latest}
    return CompanyGoalSpec(
        key=company.key or cmd.metric,
        title=cmd.title,
        metric=cmd.metric,
        target=cmd.target,
        unit=company.unit,
        direction=company.direction,
        teams=tuple(c.name for c in children),
        split=company.rule,
        weights=weights,
        people_split=children[0].rule if children else "equal",
        places=company.places,
    )
