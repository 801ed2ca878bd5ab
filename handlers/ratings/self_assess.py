"""`/self <text>`: the employee's self-assessment of the current period, one per person and
period, editable until the period closes; the manager reads it on the rating card."""

from __future__ import annotations

from handlers import strings as t
from handlers.actor import Actor
from handlers.cards import Reply
from handlers.commands import SelfAssess
from handlers.common import Refused, period_for
from store.uow import UnitOfWork

MAX_SELF = 2000


def write_self_assessment(cmd: SelfAssess, *, uow: UnitOfWork, actor: Actor) -> Reply:
    """Save (or replace) the text; with no text, show the current one."""
    text = cmd.text.strip()
    with uow:
        period = period_for(uow, actor, None)
        if isinstance(period, Refused):
            return period.reply
        title = t.SELF_TITLE.format(period=period.key)
        if not text:
            row = uow.ratings.self_assessment(actor.employee_id, period.id)
            shown = (
                t.SELF_SHOW.format(text=row.text) if row else t.SELF_NONE.format(period=period.key)
            )
            return Reply.say(title, shown, t.USAGE["self"])
        if len(text) > MAX_SELF:
            why = t.SELF_TOO_LONG.format(length=len(text), limit=MAX_SELF)
            return Reply.say(t.INVALID_TITLE, why, t.USAGE["self"], ok=False)
        if period.status == "closed":
            return Reply.say(title, t.SELF_CLOSED.format(period=period.key), ok=False)
        row, before = uow.ratings.save_self_assessment(
            actor.employee_id, period.id, text, uow.clock()
        )
        uow.audit_row(
            row,
            actor.email,
            "self.write",
            before=None if before is None else {"chars": len(before)},
            after={"chars": len(text), "period": period.key},
        )
        uow.commit()
        done = t.SELF_SAVED if before is None else t.SELF_UPDATED
        return Reply.say(title, done.format(period=period.key))
