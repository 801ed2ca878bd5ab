"""`/appeal <metric> [period] <reason>`: an employee disputes a figure or the rating of their
score, of the current period or of a closed one within its appeal window (R7)."""

from __future__ import annotations

from handlers import strings as t
from handlers.actor import Actor
from handlers.appeals.card import Fresh, Refetch, appeal_card, fetch_fresh
from handlers.appeals.correction import HasSpecs
from handlers.appeals.figure_notes import figure_notes
from handlers.appeals.list import list_appeals
from handlers.appeals.plan import Plan, plan_appeal
from handlers.appeals.window import AppealWindow, card_period
from handlers.cards import Card, Form, Input, Reply
from handlers.commands import Appeal as AppealCmd
from handlers.format import amount
from handlers.forms import ask_form, chosen
from handlers.metric_names import of_breakdown
from handlers.notify import notify, speaking_to
from handlers.periods import parse_period
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
    appeal_window: AppealWindow | None,
) -> Reply:
    """Open an appeal and put a decision card in front of the manager; alone, list mine."""
    if cmd.metric is None:
        return list_appeals(uow, actor)
    fresh: Fresh = {}
    if refetch is not None:  # no connector configured: no pre-pass, one transaction
        with uow:
            plan = plan_appeal(uow, actor, cmd.metric, scoring, cmd.period, appeal_window)
            if not isinstance(plan, Plan):
                return plan
            keys = [(f.source, f.record_id) for f in plan.disputed.facts]
        # Outside any transaction: a source may take seconds and must not hold the write lock.
        fresh = fetch_fresh(refetch, keys)
    with uow:
        # Checked again: another request or a sync may have changed things meanwhile.
        plan = plan_appeal(uow, actor, cmd.metric, scoring, cmd.period, appeal_window)
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
    appeal_window: AppealWindow | None,
) -> Reply:
    """[Appeal a figure] on a score card of some period: ask which figure and why, then
    file it against that period (within its appeal window once closed)."""
    with uow:
        found = card_period(uow, actor, press.int_value(), appeal_window)
        if isinstance(found, Reply):
            return found
        period, due = found[0].key, found[1]
        breakdown = uow.scores.breakdown(actor.employee_id, found[0].id) or {}
    # The figures to pick from, by their labels in the reader's language; the key is what's
    # submitted, and typed words (a key, a label in any language) are still resolved.
    options = tuple((f.key, f.shown()) for f in of_breakdown(breakdown))
    which = (
        Input("metric", t.AP_PICK_METRIC, "choice", options=options)
        if options
        else Input("metric", t.AP_NEW_METRIC)
    )
    form = Form(t.AP_NEW_FORM, "ap:new", press.value, (which, Input("reason", t.AP_NEW_REASON)))
    until = (t.AP_DEADLINE_LINE.format(period=period, deadline=due),) if due else ()
    if not press.form:
        return ask_form(form, *until)
    metric, reason = chosen(which, press.form.get("metric", "")), press.form.get("reason", "")
    reason = reason.strip()
    errors: tuple[tuple[str, str], ...] = (("metric", t.AP_NEED_METRIC),) if not metric else ()
    errors += (("reason", t.AP_NEED_REASON),) if not reason else ()
    if errors:
        return ask_form(form, *until, errors=errors)
    cmd = AppealCmd(metric, reason, parse_period(period))
    return file_appeal(
        cmd, uow=uow, actor=actor, scoring=scoring, refetch=refetch, appeal_window=appeal_window
    )


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
    if not uow.appeals.add_appeal(appeal):  # the partial unique index: another request won
        uow.rollback()
        return Reply.say(t.AP_NEW_TITLE, t.AP_DUPLICATE_RACE.format(label=d.label), ok=False)
    escalate = plan.handler.role != "hr"
    with speaking_to(uow, plan.handler.id):  # the decision card, in the handler's language
        heading = t.AP_CARD_TITLE.format(id=appeal.id, name=plan.person.name, label=d.label)
        notes = figure_notes(uow, d, plan.period, plan.person.name)
        card = appeal_card(
            appeal,
            plan.person.name,
            plan.period.key,
            d,
            fresh,
            heading=heading,
            escalate=escalate,
            notes=notes,
        )
    notice = notify(
        uow,
        kind="appeal",
        dedupe_key=f"appeal:{appeal.id}:open",
        card=card,
        recipient_id=plan.handler.id,
    )
    # Audited last: on PostgreSQL the audit chain is one lock, held from here to commit.
    uow.audit_row(
        appeal,
        actor.email,
        "appeal.open",
        after={
            "metric": d.metric,
            "period": plan.period.key,
            "figure": appeal.disputed_value,
            "handler": plan.handler.email,
            "reason": reason,
        },
    )
    uow.commit()
    lines = [
        t.AP_OPENED.format(
            label=d.label, period=plan.period.key, figure=amount(appeal.disputed_value, d.unit)
        ),
        t.AP_OPENED_NEXT.format(name=plan.handler.name),
    ]
    if plan.period.status == "closed":
        lines.append(t.AP_OPENED_CLOSED.format(period=plan.period.key))
    card = Card(title=t.AP_OPENED_TITLE.format(id=appeal.id), lines=tuple(lines))
    return Reply(cards=(card,), notices=(notice,) if notice else ())
