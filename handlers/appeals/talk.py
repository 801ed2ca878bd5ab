"""[Ask for details] on an appeal card and the employee's [Answer], relayed back to the manager."""

from __future__ import annotations

from handlers import strings as t
from handlers.actor import Actor
from handlers.appeals.common import MAX_NOTE, Opened, card_for, decide, open_for_press, outcome_card
from handlers.appeals.correction import HasSpecs
from handlers.appeals.figures import label_of
from handlers.cards import Button, Form, Input, Reply
from handlers.forms import required_text
from handlers.notify import notify, speaking_to
from handlers.permissions import deny
from handlers.press import Press
from store.models import Appeal
from store.uow import UnitOfWork


def press_ask(press: Press, *, uow: UnitOfWork, actor: Actor) -> Reply:
    """Ask the employee a question; the appeal waits for their answer."""
    return decide(uow, press, actor, "appeal.ask", lambda o: _ask(press, uow, actor, o))


def _ask(press: Press, uow: UnitOfWork, actor: Actor, o: Opened) -> Reply:
    a = o.appeal
    title = t.AP_ASK_FORM.format(id=a.id, name=o.person.name)
    if a.status == "needs_info":
        return Reply.say(title, t.AP_STILL_WAITING.format(name=o.person.name), ok=False)
    form = Form(title, "ap:ask", str(a.id), (Input("question", t.AP_ASK_QUESTION),))
    question = required_text(press, form, "question", t.AP_NEED_QUESTION, limit=MAX_NOTE)
    if isinstance(question, Reply):
        return question
    rounds = _post(uow, actor, a, "appeal.ask", "needs_info", "question", question)
    label = label_of(uow, a.employee_id, a.period_id, a.metric)
    with speaking_to(uow, o.person.id):
        answer = Button(t.AP_ANSWER_BUTTON.format(id=a.id), "ap:ans", str(a.id), "primary")
        card = outcome_card(
            a,
            t.AP_QUESTION_TITLE.format(id=a.id),
            t.AP_QUESTION.format(by=actor.name, label=label),
            question,
            buttons=(answer,),
        )
    key = f"appeal:{a.id}:ask:{rounds}"
    notice = notify(uow, kind="appeal", dedupe_key=key, card=card, recipient_id=o.person.id)
    uow.commit()
    return Reply.say(
        title, t.AP_ASKED.format(name=o.person.name), notices=[notice] if notice else []
    )


def press_answer(press: Press, *, uow: UnitOfWork, actor: Actor, scoring: HasSpecs | None) -> Reply:
    """The employee answers a question on their appeal; the manager gets the card again."""
    with uow:
        o = open_for_press(uow, press)
        if isinstance(o, Reply):
            return o
        a = o.appeal
        if actor.employee_id != a.employee_id:
            return deny("appeal.answer", o.person, t.AP_NOT_YOUR_APPEAL)
        title = t.AP_ANSWER_FORM.format(id=a.id)
        if a.status != "needs_info":
            return Reply.say(title, t.ALREADY_HANDLED)
        form = Form(title, "ap:ans", str(a.id), (Input("answer", t.AP_ANSWER_LABEL),))
        # The question being answered is the thread's last line.
        asked = a.details.strip().splitlines()[-1:]
        answer = required_text(press, form, "answer", t.AP_NEED_ANSWER, *asked, limit=MAX_NOTE)
        if isinstance(answer, Reply):
            return answer
        rounds = _post(uow, actor, a, "appeal.answer", "open", "answer", answer)
        with speaking_to(uow, a.handler_id):
            heading = t.AP_ANSWERED_TITLE.format(id=a.id, name=o.person.name)
            card = card_for(uow, scoring, o, heading)
        key = f"appeal:{a.id}:answer:{rounds}"
        notice = notify(uow, kind="appeal", dedupe_key=key, card=card, recipient_id=a.handler_id)
        uow.commit()
        return Reply.say(title, t.AP_ANSWERED, notices=[notice] if notice else [])


def _post(
    uow: UnitOfWork, actor: Actor, a: Appeal, action: str, status: str, kind: str, text: str
) -> int:
    """Add a question or an answer (`kind`) to the appeal's thread and move it to `status`
    (audited); the round's number, which keeps each round's notice apart."""
    rounds = uow.appeals.times_done(a.id, action) + 1
    before, a.status = a.status, status
    line = t.AP_Q_LINE if kind == "question" else t.AP_A_LINE
    a.details += line.format(name=actor.name, text=text) + "\n"
    uow.audit_row(
        a, actor.email, action, before={"status": before}, after={"status": status, kind: text}
    )
    return rounds
