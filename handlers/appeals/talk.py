"""[Ask for details] on an appeal card and the employee's [Answer], relayed back to the manager."""

from __future__ import annotations

from handlers import strings as t
from handlers.actor import Actor
from handlers.appeals.common import (
    card_for,
    open_for_press,
    open_to_decide,
    outcome_card,
)
from handlers.appeals.correction import HasSpecs
from handlers.appeals.figures import label_of
from handlers.cards import Button, Form, Input, Reply
from handlers.forms import required_text
from handlers.notify import notify, speaking_to
from handlers.permissions import deny
from handlers.press import Press
from store.uow import UnitOfWork

MAX_TEXT = 1000


def press_ask(press: Press, *, uow: UnitOfWork, actor: Actor) -> Reply:
    """Ask the employee a question; the appeal waits for their answer."""
    with uow:
        o = open_to_decide(uow, press, actor, "appeal.ask")
        if isinstance(o, Reply):
            return o
        a = o.appeal
        title = t.AP_ASK_FORM.format(id=a.id, name=o.person.name)
        if a.status == "needs_info":
            return Reply.say(title, t.AP_STILL_WAITING.format(name=o.person.name), ok=False)
        form = Form(title, "ap:ask", str(a.id), (Input("question", t.AP_ASK_QUESTION),))
        question = required_text(press, form, "question", t.AP_NEED_QUESTION, limit=MAX_TEXT)
        if isinstance(question, Reply):
            return question
        rounds = _count(uow, a.id, "appeal.ask") + 1
        a.status = "needs_info"
        a.details += t.AP_Q_LINE.format(name=actor.name, text=question) + "\n"
        uow.audit(
            actor=actor.email,
            action="appeal.ask",
            entity="appeal",
            entity_id=a.id,
            before={"status": "open"},
            after={"status": "needs_info", "question": question},
        )
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
        done = Reply.say(title, t.AP_ASKED.format(name=o.person.name))
        return Reply(cards=done.cards, notices=(notice,) if notice else ())


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
        answer = required_text(press, form, "answer", t.AP_NEED_ANSWER, *asked, limit=MAX_TEXT)
        if isinstance(answer, Reply):
            return answer
        rounds = _count(uow, a.id, "appeal.answer") + 1
        a.status = "open"
        a.details += t.AP_A_LINE.format(name=actor.name, text=answer) + "\n"
        uow.audit(
            actor=actor.email,
            action="appeal.answer",
            entity="appeal",
            entity_id=a.id,
            before={"status": "needs_info"},
            after={"status": "open", "answer": answer},
        )
        with speaking_to(uow, a.handler_id):
            heading = t.AP_ANSWERED_TITLE.format(id=a.id, name=o.person.name)
            card = card_for(uow, scoring, o, heading)
        key = f"appeal:{a.id}:answer:{rounds}"
        notice = notify(uow, kind="appeal", dedupe_key=key, card=card, recipient_id=a.handler_id)
        uow.commit()
        done = Reply.say(title, t.AP_ANSWERED)
        return Reply(cards=done.cards, notices=(notice,) if notice else ())


def _count(uow: UnitOfWork, appeal_id: int, action: str) -> int:
    """How many times this step happened before (numbers each round's dedupe key)."""
    return uow.appeals.times_done(appeal_id, action)
