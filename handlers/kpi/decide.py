"""HR approves or rejects a target change; approval re-scores and tells everyone involved."""

from __future__ import annotations

from collections.abc import Callable

from handlers import strings as t
from handlers.actor import Actor
from handlers.cards import Card, Form, Input, Notice, Reply
from handlers.format import amount, day, num
from handlers.forms import required_text
from handlers.notify import notify
from handlers.permissions import deny, hr_covers
from handlers.press import Press
from store.models import Employee, Goal, KpiAdjustment
from store.uow import UnitOfWork

Rescore = Callable[[UnitOfWork, int, list[int]], None]


def _open(
    uow: UnitOfWork, actor: Actor, press: Press
) -> tuple[KpiAdjustment, Goal, Employee] | Reply:
    adj = uow.get(KpiAdjustment, press.int_value() or 0)
    goal = uow.get(Goal, adj.goal_id) if adj else None
    person = uow.get(Employee, goal.employee_id) if goal and goal.employee_id else None
    if adj is None or goal is None or person is None:
        return Reply.say(t.STALE_TITLE, t.UNKNOWN_ACTION, ok=False)
    if actor.role != "admin" and not hr_covers(uow, actor, person):
        return deny("kpi.decide", person, t.KPI_NOT_HR.format(name=person.name))
    if adj.status != "pending":
        return Reply.say(t.KPI_TITLE, t.ALREADY_HANDLED)
    return adj, goal, person


def approve_target_change(
    press: Press, *, uow: UnitOfWork, actor: Actor, rescore: Rescore
) -> Reply:
    """[Approve]: the new target applies from the effective date; the old stays on record."""
    with uow:
        found = _open(uow, actor, press)
        if isinstance(found, Reply):
            return found
        adj, goal, person = found
        adj.status, adj.decided_by, adj.decided_at = "approved", actor.employee_id, uow.clock()
        before = {"target": adj.old_target, "status": goal.status}
        # HR's approval settles the target: it counts now, over any proposal still waiting
        # (and no re-cascade changes it afterwards).
        goal.target, goal.proposed_target, goal.updated_at = adj.new_target, None, uow.clock()
        if goal.status == "proposed":
            goal.status = "confirmed"
        uow.audit_row(
            goal,
            actor.email,
            "kpi.approve",
            before=before,
            after={"target": adj.new_target, "adjustment": adj.id, "status": goal.status},
        )
        uow.flush()
        rescore(uow, goal.period_id, [person.id])
        total = uow.scores.total(person.id, goal.period_id)

        def approved() -> Card:
            text = t.KPI_APPROVED.format(
                name=person.name,
                goal=goal.title,
                new=amount(adj.new_target, goal.unit),
                old=amount(adj.old_target, goal.unit),
                since=day(adj.effective_from) if adj.effective_from else "—",
                score=num(total),
            )
            return Card(t.KPI_APPROVED_TITLE, (text,))

        notices = _tell(uow, adj, person, approved)
        uow.commit()
        return Reply(cards=(approved(),), notices=notices)


def reject_target_change(press: Press, *, uow: UnitOfWork, actor: Actor) -> Reply:
    """[Reject]: asks for a reason, then records it and tells the manager."""
    with uow:
        found = _open(uow, actor, press)
        if isinstance(found, Reply):
            return found
        adj, goal, person = found
        form = Form(
            t.KPI_REJECT_FORM,
            "kp:no",
            str(adj.id),
            (Input("reason", t.KPI_REJECT_REASON),),
            t.REJECT,
        )
        note = required_text(press, form, "reason", t.KPI_REJECT_NEEDS_REASON)
        if isinstance(note, Reply):
            return note
        adj.status, adj.decided_by, adj.decided_at = "rejected", actor.employee_id, uow.clock()
        adj.decision_note = note
        uow.audit_row(
            adj,
            actor.email,
            "kpi.reject",
            before={"status": "pending"},
            after={"status": "rejected", "note": note},
        )

        def rejected() -> Card:
            text = t.KPI_REJECTED.format(
                name=person.name, goal=goal.title, old=amount(adj.old_target, goal.unit), note=note
            )
            return Card(t.KPI_REJECTED_TITLE, (text,))

        notices = _tell(uow, adj, None, rejected)
        uow.commit()
        return Reply(cards=(rejected(),), notices=notices)


def _tell(
    uow: UnitOfWork, adj: KpiAdjustment, person: Employee | None, card: Callable[[], Card]
) -> tuple[Notice, ...]:
    who = [adj.requested_by] + ([person.id] if person else [])
    return tuple(
        n
        for r in who
        if (
            n := notify(
                uow,
                kind="kpi.decision",
                dedupe_key=f"kpi:{adj.id}:{adj.status}:{r}",
                card=card,
                recipient_id=r,
            )
        )
    )
