"""Whether an appeal can be filed, and everything filing it needs (period, figure, handler)."""

from __future__ import annotations

from dataclasses import dataclass

from handlers import strings as t
from handlers.actor import Actor
from handlers.appeals.common import route
from handlers.appeals.correction import HasSpecs, spec_for
from handlers.appeals.figures import Disputed, load_disputed, pick_dimension
from handlers.appeals.window import AppealWindow, too_late
from handlers.cards import Reply
from handlers.common import Refused, period_for
from handlers.metric_names import NoMetric
from handlers.periods import PeriodRef
from store.models import Employee, Period
from store.uow import UnitOfWork


@dataclass(frozen=True)
class Plan:
    """A fileable appeal: the person, the period, the figure and who decides."""

    person: Employee
    period: Period
    disputed: Disputed
    handler: Employee


def plan_appeal(
    uow: UnitOfWork,
    actor: Actor,
    word: str,
    scoring: HasSpecs | None,
    when: PeriodRef | None = None,
    window: AppealWindow | None = None,
) -> Plan | Reply:
    """Check the appeal can be filed: the period named (default: the current one), within
    its appeal window once closed; the lock makes the duplicate check race-free."""
    uow.appeals.lock_filing(actor.employee_id)
    period = period_for(uow, actor, when)
    if isinstance(period, Refused):
        return period.reply
    person = uow.get(Employee, actor.employee_id)
    assert person is not None
    late = too_late(uow, window, period, person)
    if late is not None:
        return Reply.say(t.AP_NEW_TITLE, late, ok=False)
    breakdown = uow.scores.breakdown(actor.employee_id, period.id)
    if breakdown is None:
        return Reply.say(t.AP_NEW_TITLE, t.AP_NO_SCORE.format(period=period.key), ok=False)
    dim = pick_dimension(breakdown, word)
    if isinstance(dim, NoMetric):
        return Reply.say(t.AP_NEW_TITLE, dim.say(t.AP_UNKNOWN_METRIC), ok=False)
    label = str(dim.get("label") or dim["metric"])
    existing = uow.appeals.open_appeal_for(actor.employee_id, period.id, dim["metric"])
    if existing is not None:
        why = t.AP_DUPLICATE.format(id=existing, label=label, period=period.key)
        return Reply.say(t.AP_NEW_TITLE, why, ok=False)
    handler = route(uow, person)
    if handler is None:
        return Reply.say(t.AP_NEW_TITLE, t.AP_NO_HANDLER, ok=False)
    spec = spec_for(scoring, dim["metric"])
    return Plan(person, period, load_disputed(uow, spec, person.id, period, dim), handler)
