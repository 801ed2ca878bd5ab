"""`/goals update <id> <percent>% [link] [note]`: progress on a goal that isn't measured."""

from __future__ import annotations

from handlers import strings as t
from handlers.actor import Actor
from handlers.cards import Card, Reply
from handlers.commands import GoalUpdate
from handlers.format import num
from handlers.notify import notify
from handlers.permissions import can_manage, deny
from store.models import Employee, Goal, GoalUpdateLog
from store.uow import UnitOfWork


def update_goal_progress(cmd: GoalUpdate, *, uow: UnitOfWork, actor: Actor) -> Reply:
    """The owner (or their manager) records progress with an optional evidence link."""
    with uow:
        goal = uow.get(Goal, cmd.goal_id)
        owner = uow.get(Employee, goal.employee_id) if goal and goal.employee_id else None
        if goal is None or owner is None:
            return Reply.say(t.STALE_TITLE, t.NO_SUCH_GOAL, ok=False)
        if owner.id != actor.employee_id and not can_manage(uow, actor, owner):
            return deny("goal.update", owner, t.NOT_YOURS.format(name=owner.name))
        if goal.metric is not None:
            return Reply.say(
                t.GOAL_UPDATE_REFUSED_TITLE, t.GOAL_NUMERIC.format(id=goal.id), ok=False
            )
        before = {"progress": goal.progress}
        goal.progress, goal.updated_at = cmd.percent, uow.clock()
        log = GoalUpdateLog(
            goal_id=goal.id,
            author_id=actor.employee_id,
            percent=cmd.percent,
            note=cmd.note,
            link=cmd.link,
            at=uow.clock(),
        )
        uow.add(log)
        uow.audit_row(
            goal,
            actor.email,
            "goal.progress",
            before=before,
            after={"progress": cmd.percent, "link": cmd.link},
        )
        notices = []
        tell = owner.manager_id if owner.id == actor.employee_id else owner.id
        if tell:

            def card() -> Card:  # in the reader's language
                line = t.GOAL_UPDATE_NOTICE.format(
                    name=actor.name,
                    id=goal.id,
                    title=goal.title,
                    percent=num(cmd.percent),
                    note=cmd.note,
                )
                return Card(t.GOAL_UPDATE_TITLE, (line,), footnote=cmd.link or "")

            n = notify(
                uow,
                kind="goal.progress",
                dedupe_key=f"goal-progress:{log.id}",
                card=card,
                recipient_id=tell,
            )
            notices = [n] if n else []
        uow.commit()
        done = num(cmd.percent)
        return Reply(
            cards=(
                Card(
                    t.GOAL_UPDATE_TITLE,
                    (t.GOAL_UPDATED.format(id=goal.id, title=goal.title, percent=done),),
                ),
            ),
            notices=tuple(notices),
        )
