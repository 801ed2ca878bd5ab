"""[Accept and correct] on an appeal card: an explicit correction of the figure, a re-score
(a closed period: that one person's result re-opened), the employee told."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from handlers import strings as t
from handlers.actor import Actor
from handlers.appeals.common import (
    MAX_NOTE,
    Opened,
    decide,
    disputed_for,
    outcome_card,
    tell_employee,
)
from handlers.appeals.correction import record_correction
from handlers.appeals.figures import Disputed
from handlers.cards import Card, Form, Input, Reply
from handlers.closing.reopen import recompute_result
from handlers.commands import read_number
from handlers.format import amount, num
from handlers.forms import ask_form
from handlers.notify import speaking_to
from handlers.press import Press
from handlers.scores.compute import ScoringSetup
from scoring.config import RatingScale
from store.uow import UnitOfWork

Rescore = Callable[[UnitOfWork, int, list[int]], None]


def press_accept(
    press: Press, *, uow: UnitOfWork, actor: Actor, scoring: ScoringSetup, rescore: Rescore
) -> Reply:
    """Ask for the corrected value and a note; then store the correction and re-score."""
    return decide(
        uow,
        press,
        actor,
        "appeal.accept",
        lambda o: _correct(press, uow, actor, (scoring, rescore), o),
    )


def _correct(
    press: Press, uow: UnitOfWork, actor: Actor, scorers: tuple[ScoringSetup, Rescore], o: Opened
) -> Reply:
    scoring = scorers[0]
    d = disputed_for(uow, scoring, o)
    current = _standing(o, d)
    form = Form(
        t.AP_ACCEPT_FORM.format(id=o.appeal.id),
        "ap:acc",
        str(o.appeal.id),
        (
            Input("value", t.AP_ACCEPT_VALUE.format(label=d.label), "number", True, num(current)),
            Input("note", t.AP_ACCEPT_NOTE.format(name=o.person.name), required=False),
        ),
    )
    figure = t.AP_NOW.format(label=d.label, figure=amount(current, d.unit))
    if not press.form:
        return ask_form(form, figure)
    raw = press.form.get("value", "")
    value = read_number(raw)
    bad = _bad_value(raw, value, scoring.config.rating_scale if d.is_rating else None)
    if bad is not None or value is None:
        return ask_form(form, figure, errors=(("value", bad or ""),))
    note = press.form.get("note", "").strip()[:MAX_NOTE]
    return _accept(uow, actor, o, d, (current, value), note, scorers)


def _standing(o: Opened, d: Disputed) -> Decimal | None:
    """The figure the appeal is about as it counts now: a closed period's is its frozen
    score's; an open one's what the records (or the correction in force) give."""
    if o.period.status == "closed" and d.snapshot is not None:
        return d.snapshot
    return d.current if d.current is not None else d.snapshot


def _bad_value(raw: str, value: Decimal | None, scale: RatingScale | None) -> str | None:
    """Why a corrected value can't be used; a rating must be a whole step of the scale."""
    token = raw.strip()[:30] or "—"
    if value is None:
        return t.AP_BAD_VALUE.format(token=token)
    if scale is None:
        return None
    low, high = scale.low, scale.high
    if value != value.to_integral_value() or not low <= value <= high:
        return t.AP_BAD_RATING.format(token=token, low=low, high=high)
    return None


def _accept(
    uow: UnitOfWork,
    actor: Actor,
    o: Opened,
    d: Disputed,
    figures: tuple[Decimal | None, Decimal],
    note: str,
    scorers: tuple[ScoringSetup, Rescore],
) -> Reply:
    a, (old, value), closed = o.appeal, figures, o.period.status == "closed"
    before, total_before = a.status, _total(uow, o)
    fix = record_correction(
        uow, a, rating=d.is_rating, spec=d.spec, figures=(old, value), actor=actor, note=note
    )
    a.status, a.corrected_value, a.resolution_note = "accepted", value, note
    a.resolved_at, a.resolved_by = uow.clock(), actor.employee_id
    change = None
    if closed:  # only this person's result is re-opened; everyone else's stays frozen
        why = t.APPEAL_WHY.format(id=a.id)
        change = recompute_result(uow, scorers[0], o.period, o.person, actor=actor.email, why=why)
    else:
        scorers[1](uow, o.period.id, [o.person.id])
    total_after = _total(uow, o)
    with speaking_to(uow, a.employee_id):  # the employee's card, in their language
        old_new = {"old": amount(old, d.unit), "new": amount(value, d.unit)}
        lines = [t.AP_ACCEPTED.format(label=d.label, by=actor.name, **old_new)]
        if total_before is not None and total_after is not None:
            lines.append(t.AP_SCORE_MOVED.format(old=num(total_before), new=num(total_after)))
        lines += [change.incentives_line()] if change is not None else []
        lines += [t.AP_NOTE_LINE.format(note=note)] if note else []
        card = outcome_card(a, t.AP_ACCEPTED_TITLE.format(id=a.id), *lines)
    notices = tell_employee(uow, a, card, "outcome") + (change.notices if change else ())
    # Audited last: on PostgreSQL the audit chain is one lock, held from here to commit.
    uow.audit_row(
        a,
        actor.email,
        "appeal.accept",
        before={"status": before, "figure": old, "score": total_before},
        after={
            "status": "accepted",
            "period": o.period.key,
            "figure": value,
            "correction": fix.id,
            "note": note,
            "score": total_after,
            "reopened": closed,
        },
    )
    uow.commit()
    done = (t.AP_CORRECTED_DONE_CLOSED if closed else t.AP_ACCEPT_DONE).format(
        label=d.label,
        old=amount(old, d.unit),
        new=amount(value, d.unit),
        name=o.person.name,
        period=o.period.key,
    )
    return Reply(
        cards=(Card(title=t.AP_TITLE.format(id=a.id), lines=(done, *lines[1:2])),), notices=notices
    )


def _total(uow: UnitOfWork, o: Opened) -> Decimal | None:
    return uow.scores.total(o.person.id, o.period.id)
