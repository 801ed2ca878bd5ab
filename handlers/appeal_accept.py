"""[Accept and correct] on an appeal card: a correction fact, a re-score, the employee told."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from handlers import strings_en as t
from handlers.actor import Actor
from handlers.appeal_common import (
    Opened,
    ask_form,
    disputed_for,
    open_for_press,
    outcome_card,
    resolver_refusal,
    tell_employee,
)
from handlers.appeal_correction import HasSpecs, correction
from handlers.appeal_figures import Disputed
from handlers.cards import Card, Form, Input, Reply
from handlers.commands import read_number
from handlers.common import local_today
from handlers.format import num
from handlers.press import Press
from store.models import MetricFact, Score
from store.uow import UnitOfWork

Rescore = Callable[[UnitOfWork, int, list[int]], None]
MAX_NOTE = 1000


def press_accept(
    press: Press, *, uow: UnitOfWork, actor: Actor, scoring: HasSpecs | None, rescore: Rescore
) -> Reply:
    """Ask for the corrected value and a note; then store a correction fact and re-score."""
    with uow:
        o = open_for_press(uow, press)
        if isinstance(o, Reply):
            return o
        refusal = resolver_refusal(uow, actor, o, "appeal.accept")
        if refusal is not None:
            return refusal
        d = disputed_for(uow, scoring, o)
        current = d.current if d.current is not None else d.snapshot
        form = Form(
            t.AP_ACCEPT_FORM.format(id=o.appeal.id),
            "ap:acc",
            str(o.appeal.id),
            (
                Input(
                    "value", t.AP_ACCEPT_VALUE.format(label=d.label), "number", True, num(current)
                ),
                Input("note", t.AP_ACCEPT_NOTE.format(name=o.person.name), required=False),
            ),
        )
        figure = t.AP_NOW.format(label=d.label, figure=num(current))
        if not press.form:
            return ask_form(form, figure)
        raw = press.form.get("value", "")
        value = read_number(raw)
        if value is None:
            bad = t.AP_BAD_VALUE.format(token=raw.strip()[:30] or "—")
            return ask_form(form, figure, errors=(("value", bad),))
        if o.period.status == "closed":
            return Reply.say(form.title, t.AP_CLOSED.format(period=o.period.key), ok=False)
        fix = correction(d.spec, d.sums, d.counts, value)
        if fix is None:
            why = t.AP_CANT_CORRECT.format(label=d.label, value=num(value))
            return ask_form(form, figure, errors=(("value", why),))
        note = press.form.get("note", "").strip()[:MAX_NOTE]
        return _accept(uow, actor, o, d, (current, value), fix, note, rescore)


def _accept(
    uow: UnitOfWork,
    actor: Actor,
    o: Opened,
    d: Disputed,
    figures: tuple[Decimal | None, Decimal],
    fix: tuple[str, Decimal],
    note: str,
    rescore: Rescore,
) -> Reply:
    a, (old, value), now = o.appeal, figures, uow.clock()
    before, total_before = a.status, _total(uow, o)
    fact_id = None
    if fix[1]:  # both versions stay: the source's facts and this correction on top
        fact = MetricFact(
            employee_id=o.person.id,
            metric=fix[0],
            value=fix[1],
            occurred_on=_inside(o, local_today(uow, o.person.branch_id, now)),
            source=f"appeal:{a.id}",
            record_id=str(a.id),
            fetched_at=now,
            raw={
                "appeal": a.id,
                "from": str(old),
                "to": str(value),
                "by": actor.email,
                "note": note,
            },
        )
        uow.session.add(fact)
        uow.session.flush()
        fact_id = fact.id
    a.status, a.corrected_value, a.resolution_note = "accepted", value, note
    a.resolved_at, a.resolved_by = now, actor.employee_id
    rescore(uow, o.period.id, [o.person.id])
    total_after = _total(uow, o)
    lines = [t.AP_ACCEPTED.format(label=d.label, by=actor.name, old=num(old), new=num(value))]
    if total_before is not None and total_after is not None:
        lines.append(t.AP_SCORE_MOVED.format(old=num(total_before), new=num(total_after)))
    lines += [t.AP_NOTE_LINE.format(note=note)] if note else []
    card = outcome_card(a, t.AP_ACCEPTED_TITLE.format(id=a.id), *lines)
    notice = tell_employee(uow, a, card, "outcome")
    # Audited last: on PostgreSQL the audit chain is one lock, held from here to commit.
    uow.audit(
        actor=actor.email,
        action="appeal.accept",
        entity="appeal",
        entity_id=a.id,
        before={"status": before, "figure": old, "score": total_before},
        after={
            "status": "accepted",
            "figure": value,
            "fact": fact_id,
            "fact_value": fix[1],
            "note": note,
            "score": total_after,
        },
    )
    uow.commit()
    done = t.AP_ACCEPT_DONE.format(label=d.label, old=num(old), new=num(value), name=o.person.name)
    return Reply(
        cards=(Card(title=t.AP_TITLE.format(id=a.id), lines=(done, *lines[1:2])),), notices=notice
    )


def _total(uow: UnitOfWork, o: Opened) -> Decimal | None:
    return uow.session.scalar(
        select(Score.total).where(Score.employee_id == o.person.id, Score.period_id == o.period.id)
    )


def _inside(o: Opened, today: date) -> date:
    """The correction is dated today, kept inside the period so the metric counts it."""
    return min(max(today, o.period.starts_on), o.period.ends_on)
