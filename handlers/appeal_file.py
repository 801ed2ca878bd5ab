"""`/appeal <metric> <reason>`: an employee disputes a figure of their current score (R7)."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from handlers import strings_en as t
from handlers.actor import Actor
from handlers.appeal_card import Fresh, Refetch, appeal_card, fetch_fresh
from handlers.appeal_common import ask_form
from handlers.appeal_correction import HasSpecs
from handlers.appeal_list import list_appeals
from handlers.appeal_plan import Plan, plan_appeal
from handlers.cards import Card, Form, Input, Reply
from handlers.commands import Appeal as AppealCmd
from handlers.common import Refused, period_for
from handlers.format import num
from handlers.notify import notify
from handlers.press import Press
from store.models import Appeal
from store.uow import UnitOfWork

MAX_REASON = 2000


def file_appeal(
    cmd: AppealCmd,
    *,
    uow: UnitOfWork,
    actor: Actor,
    scoring: HasSpecs | None,
    refetch: Refetch | None,
) -> Reply:
    """Open an appeal and put a decision card in front of the manager; alone, list mine."""
    if cmd.metric is None:
        return list_appeals(uow, actor)
    fresh: Fresh = {}
    if refetch is not None:  # no connector configured: no pre-pass, one transaction
        with uow:
            plan = plan_appeal(uow, actor, cmd.metric, scoring)
            if not isinstance(plan, Plan):
                return plan
            keys = [(f.source, f.record_id) for f in plan.disputed.facts]
        # Outside any transaction: a source may take seconds and must not hold the write lock.
        fresh = fetch_fresh(refetch, keys)
    with uow:
        # Checked again: another request or a sync may have changed things meanwhile.
        plan = plan_appeal(uow, actor, cmd.metric, scoring)
        if not isinstance(plan, Plan):
            return plan
        return _open(uow, actor, cmd.reason[:MAX_REASON], plan, fresh)


def press_new(
    press: Press,
    *,
    uow: UnitOfWork,
    actor: Actor,
    scoring: HasSpecs | None,
    refetch: Refetch | None,
) -> Reply:
    """[Appeal a figure] on a score card: ask which figure and why, then file it."""
    form = Form(
        t.AP_NEW_FORM,
        "ap:new",
        press.value,
        (Input("metric", t.AP_NEW_METRIC), Input("reason", t.AP_NEW_REASON)),
    )
    with uow:  # the button sits on a score card of some period; appeals are for the current one
        current = period_for(uow, actor, None)
    if isinstance(current, Refused):
        return current.reply
    if press.int_value() not in (None, current.id):
        return Reply.say(t.AP_NEW_FORM, t.AP_CURRENT_ONLY.format(period=current.key), ok=False)
    if not press.form:
        return ask_form(form)
    metric, reason = press.form.get("metric", "").strip(), press.form.get("reason", "").strip()
    errors: tuple[tuple[str, str], ...] = (("metric", t.AP_NEED_METRIC),) if not metric else ()
    errors += (("reason", t.AP_NEED_REASON),) if not reason else ()
    if errors:
        return ask_form(form, errors=errors)
    cmd = AppealCmd(metric.casefold(), reason)
    return file_appeal(cmd, uow=uow, actor=actor, scoring=scoring, refetch=refetch)


def _open(uow: UnitOfWork, actor: Actor, reason: str, plan: Plan, fresh: Fresh) -> Reply:
    d = plan.disputed
    appeal = Appeal(
        employee_id=plan.person.id,
        period_id=plan.period.id,
        metric=d.metric,
        reason=reason,
        status="open",
        handler_id=plan.handler.id,
        disputed_value=d.snapshot if d.snapshot is not None else d.current,
        created_at=uow.clock(),
    )
    uow.session.add(appeal)
    try:
        uow.session.flush()
    except IntegrityError:  # the partial unique index: another request won the race
        uow.rollback()
        return Reply.say(t.AP_NEW_TITLE, t.AP_DUPLICATE_RACE.format(label=d.label), ok=False)
    heading = t.AP_CARD_TITLE.format(id=appeal.id, name=plan.person.name, label=d.label)
    escalate = plan.handler.role != "hr"
    card = appeal_card(
        appeal, plan.person.name, plan.period.key, d, fresh, heading=heading, escalate=escalate
    )
    notice = notify(
        uow,
        kind="appeal",
        dedupe_key=f"appeal:{appeal.id}:open",
        card=card,
        recipient_id=plan.handler.id,
    )
    # Audited last: on PostgreSQL the audit chain is one lock, held from here to commit.
    uow.audit(
        actor=actor.email,
        action="appeal.open",
        entity="appeal",
        entity_id=appeal.id,
        after={
            "metric": d.metric,
            "period": plan.period.key,
            "figure": appeal.disputed_value,
            "handler": plan.handler.email,
            "reason": reason,
        },
    )
    uow.commit()
    lines = (
        t.AP_OPENED.format(
            label=d.label, period=plan.period.key, figure=num(appeal.disputed_value)
        ),
        t.AP_OPENED_NEXT.format(name=plan.handler.name),
    )
    card = Card(title=t.AP_OPENED_TITLE.format(id=appeal.id), lines=lines)
    return Reply(cards=(card,), notices=(notice,) if notice else ())
