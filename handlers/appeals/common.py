"""What every appeal step shares: who handles it, loading it for a button, the guards."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from handlers import strings as t
from handlers.actor import Actor
from handlers.appeals.card import Fresh, appeal_card
from handlers.appeals.correction import HasSpecs, spec_for
from handlers.appeals.figure_notes import figure_notes
from handlers.appeals.figures import Disputed, load_disputed
from handlers.cards import Button, Card, Notice, Reply
from handlers.notify import notify
from handlers.permissions import can_resolve_appeal, deny, hr_for
from handlers.press import Press
from store.models import Appeal, Employee, Period
from store.queries.appeals import UNDECIDED
from store.uow import UnitOfWork

# The longest free text a decision step takes: a note, a reason, a question or an answer.
MAX_NOTE = 1000


@dataclass(frozen=True)
class Opened:
    """An appeal loaded (and row-locked) for a button press, with its person and period."""

    appeal: Appeal
    person: Employee
    period: Period


def first_hr(uow: UnitOfWork, person: Employee, exclude: set[int]) -> Employee | None:
    """The one HR (else admin) an appeal of `person` goes to, as permissions.hr_for orders them."""
    return next(iter(hr_for(uow, person, exclude)), None)


def route(uow: UnitOfWork, person: Employee) -> Employee | None:
    """Who handles a person's appeal: their direct manager, else their branch's HR."""
    if person.manager_id is not None and person.manager_id != person.id:
        manager = uow.get(Employee, person.manager_id)
        if manager is not None and manager.active:
            return manager
    return first_hr(uow, person, set())


def open_for_press(uow: UnitOfWork, press: Press) -> Opened | Reply:
    """The appeal a button names, locked against a concurrent decision."""
    appeal_id = press.int_value()
    appeal = uow.appeals.locked_appeal(appeal_id) if appeal_id is not None else None
    if appeal is None:
        return Reply.say(t.STALE_TITLE, t.AP_NO_SUCH, ok=False)
    person = uow.get(Employee, appeal.employee_id)
    period = uow.get(Period, appeal.period_id)
    assert person is not None and period is not None  # foreign keys
    return Opened(appeal, person, period)


def resolver_refusal(uow: UnitOfWork, actor: Actor, o: Opened, action: str) -> Reply | None:
    """Why the actor may not decide this appeal (audited), or None when they may."""
    if actor.employee_id == o.person.id:
        return deny(action, o.person, t.AP_OWN)
    if not can_resolve_appeal(uow, actor, o.person):
        return deny(action, o.person, t.AP_NOT_YOURS.format(name=o.person.name))
    if o.appeal.status not in UNDECIDED:
        return Reply.say(t.AP_TITLE.format(id=o.appeal.id), t.ALREADY_HANDLED)
    return None


def open_to_decide(uow: UnitOfWork, press: Press, actor: Actor, action: str) -> Opened | Reply:
    """The appeal a decision button names, when the actor may decide it now; else the
    answer (stale button, refusal audited, already decided)."""
    o = open_for_press(uow, press)
    if isinstance(o, Reply):
        return o
    return resolver_refusal(uow, actor, o, action) or o


def decide(
    uow: UnitOfWork, press: Press, actor: Actor, action: str, step: Callable[[Opened], Reply]
) -> Reply:
    """Run a decision button's `step` in one unit of work on the appeal it names, when the
    actor may decide it now; else the answer open_to_decide gives."""
    with uow:
        o = open_to_decide(uow, press, actor, action)
        return o if isinstance(o, Reply) else step(o)


def disputed_for(uow: UnitOfWork, scoring: HasSpecs | None, o: Opened) -> Disputed:
    """The appealed figure as it stands now: scorecard line and source records."""
    dims = (uow.scores.breakdown(o.person.id, o.period.id) or {}).get("dimensions", [])
    dim: dict[str, Any] = next((d for d in dims if d.get("metric") == o.appeal.metric), {})
    spec = spec_for(scoring, o.appeal.metric)
    return load_disputed(uow, spec, o.person.id, o.period, dim)


def card_for(
    uow: UnitOfWork,
    scoring: HasSpecs | None,
    o: Opened,
    heading: str,
    fresh: Fresh | None = None,
) -> Card:
    """The decision card for whoever handles the appeal now (HR gets no [Escalate])."""
    handler = uow.get(Employee, o.appeal.handler_id) if o.appeal.handler_id else None
    escalate = o.appeal.escalated_at is None and (handler is None or handler.role != "hr")
    d = disputed_for(uow, scoring, o)
    notes = figure_notes(uow, d, o.period, o.person.name)
    return appeal_card(
        o.appeal,
        o.person.name,
        o.period.key,
        d,
        fresh or {},
        heading=heading,
        escalate=escalate,
        notes=notes,
    )


def outcome_card(appeal: Appeal, title: str, *lines: str, buttons: tuple[Button, ...] = ()) -> Card:
    """A short card for the employee about their appeal."""
    foot = t.AP_CARD_FOOT.format(id=appeal.id)
    return Card(title=title, lines=lines, buttons=buttons, footnote=foot)


def tell_employee(uow: UnitOfWork, appeal: Appeal, card: Card, step: str) -> tuple[Notice, ...]:
    """Queue a card for the appellant, once per appeal and step."""
    key = f"appeal:{appeal.id}:{step}"
    n = notify(uow, kind="appeal", dedupe_key=key, card=card, recipient_id=appeal.employee_id)
    return (n,) if n else ()
