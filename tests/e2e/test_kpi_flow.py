"""Target change with approval (R2): reason required, manager only, HR decides, re-scored."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from bot.console.app import ConsoleSession
from store.models import AuditEvent, Employee, Goal, KpiAdjustment, Period, Score


def as_(rt, email: str) -> ConsoleSession:  # type: ignore[no-untyped-def]
    return ConsoleSession(rt.dispatcher, rt.uow, email)


def _ana(rt):  # type: ignore[no-untyped-def]
    with rt.uow() as uow:
        ana = uow.session.scalar(select(Employee).where(Employee.email == "ana.li@acme.example"))
        period = uow.session.scalar(select(Period.id).where(Period.key == "2026-11"))
        goal = uow.session.scalar(
            select(Goal).where(
                Goal.employee_id == ana.id, Goal.metric == "sales_amount", Goal.period_id == period
            )
        )
        score = uow.session.scalar(
            select(Score).where(Score.employee_id == ana.id, Score.period_id == goal.period_id)
        )
        return goal, score


def test_refused_without_reason_or_by_a_non_manager(demo):
    before = _adjustments(demo)
    assert not as_(demo, "chen.jing@acme.example").handle("/kpi @ana.li sales_amount 80k").ok
    peer = as_(demo, "zhou.tao@acme.example").handle("/kpi @ana.li sales_amount 80k slow month")
    assert not peer.ok
    engineer_boss = as_(demo, "jonas.weber@acme.example").handle(
        "/kpi ana.li@acme.example sales_amount 80k slow month"
    )
    assert not engineer_boss.ok
    assert _adjustments(demo) == before


def test_hr_approval_changes_the_target_and_the_score(demo):
    goal, before = _ana(demo)
    reply = as_(demo, "chen.jing@acme.example").handle(
        "/kpi @ana.li sales_amount 800000 market change"
    )
    assert reply.ok and reply.notices[0].card.buttons[0].action == "kp:ok"
    adj_id = reply.notices[0].card.buttons[0].value
    dup = as_(demo, "chen.jing@acme.example").handle("/kpi @ana.li sales_amount 700000 again")
    assert not dup.ok and "already waiting" in dup.cards[0].lines[0]
    assert not as_(demo, "cheryl.tan@acme.example").handle(f"press kp:ok {adj_id}").ok
    approved = as_(demo, "zhao.min@acme.example").handle(f"press kp:ok {adj_id}")
    assert approved.ok and {n.recipient_id for n in approved.notices} == {
        goal.employee_id,
        _manager_id(demo, goal.employee_id),
    }
    goal_after, after = _ana(demo)
    assert goal_after.target == Decimal("800000")
    assert after.total > before.total
    with demo.uow() as uow:
        adj = uow.session.get(KpiAdjustment, int(adj_id))
        assert adj.old_target == Decimal("1000000") and adj.status == "approved"
        assert uow.session.scalar(select(AuditEvent).where(AuditEvent.action == "kpi.approve"))
    again = as_(demo, "zhao.min@acme.example").handle(f"press kp:ok {adj_id}")
    assert "Already handled" in again.cards[0].lines[0]


def test_rejection_needs_a_reason(demo):
    reply = as_(demo, "chen.jing@acme.example").handle(
        "/kpi @hu.bin sales_amount 700k lost a key account"
    )
    adj_id = reply.notices[0].card.buttons[1].value
    hr = as_(demo, "zhao.min@acme.example")
    assert hr.handle(f"press kp:no {adj_id}").cards[0].form is not None
    assert hr.handle(f"press kp:no {adj_id} reason=").errors
    done = hr.handle(f"press kp:no {adj_id} 'reason=plan is fixed'")
    assert done.ok and "plan is fixed" in done.notices[0].card.lines[0]


def _manager_id(rt, employee_id: int) -> int:  # type: ignore[no-untyped-def]
    with rt.uow() as uow:
        return uow.session.get(Employee, employee_id).manager_id


def _adjustments(rt) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import func

    with rt.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(KpiAdjustment))
