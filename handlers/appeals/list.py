"""`/appeal` alone: the actor's appeals, newest first, with where each one stands."""

from __future__ import annotations

from handlers import strings as t
from handlers.actor import Actor
from handlers.appeals.figures import metric_labels
from handlers.cards import Button, Card, Reply
from handlers.format import amount, day
from store.models import Appeal
from store.uow import UnitOfWork

SHOWN = 20


def list_appeals(uow: UnitOfWork, actor: Actor) -> Reply:
    """Each appeal with its period, metric and state; [Answer] where a question waits."""
    with uow:
        rows = uow.appeals.filed_by(actor.employee_id, SHOWN)
        periods = {a.period_id for a, _, _ in rows}
        labels = metric_labels(uow, actor.employee_id, periods)
        units = {pid: uow.scores.units(actor.employee_id, pid) for pid in periods}
    if not rows:
        return Reply.say(t.AP_LIST_TITLE, t.AP_LIST_EMPTY)
    lines = tuple(
        t.AP_LIST_LINE.format(
            id=a.id,
            label=labels.get((a.period_id, a.metric), a.metric),
            period=key,
            filed=day(a.created_at.date()),
            state=state_text(a, who or "—", units[a.period_id].get(a.metric, "")),
        )
        for a, key, who in rows
    )
    buttons = tuple(
        Button(t.AP_ANSWER_BUTTON.format(id=a.id), "ap:ans", str(a.id), "primary")
        for a, _, _ in rows
        if a.status == "needs_info"
    )[:5]
    return Reply(cards=(Card(title=t.AP_LIST_TITLE, lines=lines, buttons=buttons),))


def state_text(a: Appeal, handler_name: str, unit: str = "") -> str:
    """Where an appeal stands, in words (`unit`: the figure's, so money reads as money)."""
    if a.status == "accepted":
        old, new = amount(a.disputed_value, unit), amount(a.corrected_value, unit)
        return t.AP_STATE_ACCEPTED.format(old=old, new=new)
    if a.status == "rejected":
        return t.AP_STATE_REJECTED.format(note=a.resolution_note)
    if a.status == "needs_info":
        return t.AP_STATE_NEEDS_INFO.format(name=handler_name)
    if a.escalated_at is not None:
        return t.AP_STATE_ESCALATED.format(name=handler_name)
    return t.AP_STATE_OPEN.format(name=handler_name)
