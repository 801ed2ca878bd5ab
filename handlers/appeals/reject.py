"""[Reject] on an appeal card: a reason is required, and the employee is told it."""

from __future__ import annotations

from handlers import strings as t
from handlers.actor import Actor
from handlers.appeals.common import MAX_NOTE, Opened, decide, outcome_card, tell_employee
from handlers.appeals.figures import label_of
from handlers.cards import Form, Input, Reply
from handlers.format import amount
from handlers.forms import required_text
from handlers.notify import speaking_to
from handlers.press import Press
from store.uow import UnitOfWork


def press_reject(press: Press, *, uow: UnitOfWork, actor: Actor) -> Reply:
    """Ask for a reason (required); then close the appeal and tell the employee why."""
    return decide(uow, press, actor, "appeal.reject", lambda o: _reject(press, uow, actor, o))


def _reject(press: Press, uow: UnitOfWork, actor: Actor, o: Opened) -> Reply:
    title = t.AP_REJECT_FORM.format(id=o.appeal.id)
    form = Form(title, "ap:rej", str(o.appeal.id), (Input("reason", t.AP_REJECT_REASON),))
    reason = required_text(press, form, "reason", t.AP_NEED_REASON, limit=MAX_NOTE)
    if isinstance(reason, Reply):
        return reason
    a, before = o.appeal, o.appeal.status
    label = label_of(uow, a.employee_id, a.period_id, a.metric)
    a.status, a.resolution_note = "rejected", reason
    a.resolved_at, a.resolved_by = uow.clock(), actor.employee_id
    uow.audit_row(
        a,
        actor.email,
        "appeal.reject",
        before={"status": before},
        after={"status": "rejected", "reason": reason},
    )
    unit = uow.scores.units(a.employee_id, a.period_id).get(a.metric, "")  # ¥ in Chinese
    with speaking_to(uow, a.employee_id):
        card = outcome_card(
            a,
            t.AP_REJECTED_TITLE.format(id=a.id),
            t.AP_REJECTED.format(label=label, by=actor.name, figure=amount(a.disputed_value, unit)),
            t.AP_REASON_LINE.format(reason=reason),
        )
    notice = tell_employee(uow, a, card, "outcome")
    uow.commit()
    return Reply.say(title, t.AP_REJECT_DONE.format(name=o.person.name), notices=notice)
