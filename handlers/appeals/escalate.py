"""[Escalate to HR]: the appeal moves to the branch's HR (also used by the SLA check)."""

from __future__ import annotations

from handlers import strings as t
from handlers.actor import Actor
from handlers.appeals.common import Opened, card_for, decide, first_hr, outcome_card, tell_employee
from handlers.appeals.correction import HasSpecs
from handlers.cards import Card, Notice, Reply
from handlers.notify import notify, speaking_to
from handlers.press import Press
from store.models import Employee
from store.uow import UnitOfWork


def press_escalate(
    press: Press, *, uow: UnitOfWork, actor: Actor, scoring: HasSpecs | None
) -> Reply:
    """Hand the appeal to HR, who get the full card; the employee is told."""
    return decide(uow, press, actor, "appeal.escalate", lambda o: _escalate(uow, actor, scoring, o))


def _escalate(uow: UnitOfWork, actor: Actor, scoring: HasSpecs | None, o: Opened) -> Reply:
    title = t.AP_TITLE.format(id=o.appeal.id)
    if already_with_hr(uow, o):
        return Reply.say(title, t.AP_ALREADY_WITH_HR)
    notices = escalate(uow, o, scoring, by=actor.email, exclude={actor.employee_id})
    if notices is None:
        return Reply.say(title, t.AP_NO_HR, ok=False)
    uow.commit()
    hr = uow.get(Employee, o.appeal.handler_id)
    return Reply.say(
        title, t.AP_ESCALATED_DONE.format(name=hr.name if hr else "HR"), notices=notices
    )


def already_with_hr(uow: UnitOfWork, o: Opened) -> bool:
    """Escalated before, or handled by HR from the start (no manager)."""
    handler = uow.get(Employee, o.appeal.handler_id) if o.appeal.handler_id else None
    return o.appeal.escalated_at is not None or (handler is not None and handler.role == "hr")


def escalate(
    uow: UnitOfWork,
    o: Opened,
    scoring: HasSpecs | None,
    *,
    by: str,
    exclude: set[int],
    for_hr: list[tuple[int, int, Card]] | None = None,
) -> tuple[Notice, ...] | None:
    """Move the appeal to HR in this unit of work (not committed); None when there is no HR.
    With `for_hr`, HR's card is added there as (HR id, appeal id, card) for the caller's
    digest instead of being queued."""
    a = o.appeal
    hr = first_hr(uow, o.person, exclude)
    if hr is None:
        return None
    before = a.handler_id
    a.handler_id, a.escalated_at = hr.id, uow.clock()
    uow.audit_row(
        a,
        by,
        "appeal.escalate",
        before={"handler_id": before},
        after={"handler_id": hr.id, "handler": hr.email},
    )
    with speaking_to(uow, hr.id):
        heading = t.AP_ESCALATED_CARD.format(id=a.id, name=o.person.name)
        card = card_for(uow, scoring, o, heading)
    to_hr = None
    if for_hr is not None:
        for_hr.append((hr.id, a.id, card))
    else:
        to_hr = notify(
            uow, kind="appeal", dedupe_key=f"appeal:{a.id}:escalate", card=card, recipient_id=hr.id
        )
    with speaking_to(uow, a.employee_id):
        told = outcome_card(
            a, t.AP_TITLE.format(id=a.id), t.AP_ESCALATED_EMPLOYEE.format(name=hr.name)
        )
    mine = tell_employee(uow, a, told, "escalate:employee")
    return ((to_hr,) if to_hr else ()) + mine
