"""[Escalate to HR]: the branch's HR gets the full card and decides; the employee is told."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from handlers.appeals.sla import check_appeal_slas
from store.models import Employee
from tests.e2e.social_support import HR_HQ, HR_SG, MANAGER, PEER, REPORT, World, opened_id, text_of


@pytest.fixture
def world(demo):  # type: ignore[no-untyped-def]
    return World(demo)


def test_escalating_hands_the_appeal_to_the_branch_hr(world):
    appeal_id = opened_id(world.run(REPORT, "/appeal sales missing deals"))
    reply = world.run(MANAGER, f"press ap:esc:{appeal_id}")
    assert reply.ok and reply.cards[0].lines == ("Escalated to Zhao Min (HR).",)
    to_hr, to_ana = reply.notices
    assert to_hr.recipient_id == world.person(HR_HQ).id
    assert to_hr.card.title == f"Appeal #{appeal_id} · Ana Li · escalated to you"
    assert "Reason: “missing deals”" in to_hr.card.lines
    assert [b.action for b in to_hr.card.buttons] == ["ap:acc", "ap:rej", "ap:ask"]
    assert to_ana.recipient_id == world.person(REPORT).id
    assert "now with Zhao Min (HR)" in text_of(to_ana.card)
    appeal = world.appeal(appeal_id)
    assert appeal.handler_id == world.person(HR_HQ).id and appeal.escalated_at is not None
    [event] = world.audit("appeal.escalate")
    assert event.actor == MANAGER and event.after["handler"] == HR_HQ
    again = world.run(MANAGER, f"press ap:esc {appeal_id}")
    assert again.cards[0].lines == ("This appeal is already with HR.",)
    assert len(world.outbox(f"appeal:{appeal_id}:escalate%")) == 2
    assert "escalated, with Zhao Min (HR)" in world.run(REPORT, "/appeal").cards[0].lines[0]
    decided = world.run(HR_HQ, f"press ap:rej {appeal_id} 'reason=checked with finance'")
    assert decided.ok and world.appeal(appeal_id).resolved_by == world.person(HR_HQ).id


@pytest.mark.parametrize("who", [REPORT, PEER, HR_SG])
def test_only_those_who_may_decide_may_escalate(world, who):
    appeal_id = opened_id(world.run(REPORT, "/appeal sales missing deals"))
    reply = world.run(who, f"press ap:esc {appeal_id}")
    assert not reply.ok and reply.cards[0].title == "Not allowed"
    assert world.appeal(appeal_id).escalated_at is None


def test_with_no_hr_or_admin_left_nothing_moves_and_the_check_reports_it(world):
    appeal_id = opened_id(world.run(REPORT, "/appeal sales missing deals"))
    with world.rt.uow() as uow:
        uow.session.execute(
            update(Employee).where(Employee.role.in_(("hr", "admin"))).values(active=False)
        )
        uow.commit()
    reply = world.run(MANAGER, f"press ap:esc {appeal_id}")
    assert not reply.ok and reply.cards[0].lines == (
        "There is no HR to escalate to: ask an admin to set one up.",
    )
    world.move_to(datetime(2026, 11, 27, 2, 0, tzinfo=UTC))  # 5 business days later
    report = check_appeal_slas(uow=world.rt.uow, clock=world.rt.clock)
    assert report.stuck == (appeal_id,) and report.escalated == ()
    appeal = world.appeal(appeal_id)
    assert appeal.handler_id == world.person(MANAGER).id and appeal.escalated_at is None
    assert world.outbox(f"appeal:{appeal_id}:escalate%") == []
