"""An employee acknowledges a confirmed goal."""

from __future__ import annotations

from handlers import strings as t
from handlers.actor import Actor
from handlers.cards import Reply
from handlers.commands import GoalAck
from handlers.format import plural
from handlers.permissions import deny
from handlers.press import Press
from store.models import Employee, Goal
from store.uow import UnitOfWork


def acknowledge_goal(cmd: GoalAck, *, uow: UnitOfWork, actor: Actor) -> Reply:
    """Mark the actor's own confirmed goal (or all of them) as acknowledged."""
    with uow:
        if cmd.goal_id is not None:
            goal = uow.get(Goal, cmd.goal_id)
            if goal is None:
                return Reply.say(t.ACK_REFUSED_TITLE, t.NOT_YOUR_GOAL, ok=False)
            if goal.employee_id != actor.employee_id:
                owner = uow.get(Employee, goal.employee_id) if goal.employee_id else None
                return deny("goal.acknowledge", owner, t.NOT_YOUR_GOAL)
            if goal.status == "acknowledged":
                return Reply.say(t.ACK_TITLE, t.ALREADY_HANDLED, ok=True)
            if goal.status != "confirmed":
                return Reply.say(t.ACK_REFUSED_TITLE, t.GOAL_NOT_CONFIRMED, ok=False)
        goals = uow.goals.confirmed_goals(actor.employee_id, cmd.goal_id)
        if not goals:
            return Reply.say(t.ACK_REFUSED_TITLE, t.NOTHING_TO_ACK)
        for g in goals:
            g.status, g.updated_at = "acknowledged", uow.clock()
            uow.audit_row(
                g,
                actor.email,
                "goal.acknowledge",
                before={"status": "confirmed"},
                after={"status": "acknowledged"},
            )
        uow.commit()
        return Reply.say(t.ACK_TITLE, t.ACKED.format(goals=plural(len(goals), t.GOALS)))


def press_acknowledge(press: Press, *, uow: UnitOfWork, actor: Actor) -> Reply:
    """The [Acknowledge] button on a goals card."""
    return acknowledge_goal(GoalAck(press.int_value()), uow=uow, actor=actor)
