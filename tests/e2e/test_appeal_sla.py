"""Appeal SLA: a reminder after 2 business days, HR after 5, each once (frozen clock)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from handlers.appeals.sla import SlaReport, check_appeal_slas
from store.models import Employee
from tests.e2e.social_support import HR_HQ, MANAGER, REPORT, World, opened_id

# The fixture clock starts on Friday 2026-11-20 02:00 UTC: 10:00 in Shanghai (UTC+8).
SAT = datetime(2026, 11, 21, 6, 0, tzinfo=UTC)
MON_LATE = datetime(2026, 11, 23, 15, 59, tzinfo=UTC)  # Monday 23:59 in Shanghai: 1 day
TUE = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)  # already Tuesday 00:00 in Shanghai: 2 days
THU = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # 4 days
FRI = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)  # 5 days


@pytest.fixture
def world(demo):  # type: ignore[no-untyped-def]
    return World(demo)


def check(world: World) -> SlaReport:
    return check_appeal_slas(uow=world.rt.uow, clock=world.rt.clock, scoring=world.scoring)


def test_reminder_after_two_business_days_then_hr_after_five(world):
    appeal_id = opened_id(world.run(REPORT, "/appeal sales missing deals"))
    assert check(world) == SlaReport(checked=1)
    for when in (SAT, MON_LATE):  # the weekend doesn't count
        world.move_to(when)
        assert check(world).reminded == ()
    world.move_to(TUE)
    assert check(world).reminded == (appeal_id,)
    [reminder] = world.outbox(f"appeal:{appeal_id}:remind")
    assert reminder.recipient_id == world.person(MANAGER).id
    assert reminder.payload["title"].startswith(f"Reminder: appeal #{appeal_id} from Ana Li")
    assert {b["action"] for b in reminder.payload["buttons"]} >= {"ap:acc", "ap:rej"}
    assert check(world).reminded == ()  # once
    world.move_to(THU)
    assert check(world) == SlaReport(checked=1)
    world.move_to(FRI)
    assert check(world).escalated == (appeal_id,)
    appeal = world.appeal(appeal_id)
    assert appeal.handler_id == world.person(HR_HQ).id
    to_hr = world.outbox(f"appeal:{appeal_id}:escalate")
    assert [r.recipient_id for r in to_hr] == [world.person(HR_HQ).id]
    assert len(world.outbox(f"appeal:{appeal_id}:escalate:employee")) == 1
    assert check(world) == SlaReport(checked=0)  # both done: nothing left to look at
    assert [e.actor for e in world.audit("appeal.remind") + world.audit("appeal.escalate")] == [
        "scheduler",
        "scheduler",
    ]


def test_after_downtime_the_escalation_goes_out_without_a_late_reminder(world):
    appeal_id = opened_id(world.run(REPORT, "/appeal sales missing deals"))
    world.move_to(FRI)
    assert check(world) == SlaReport(checked=1, escalated=(appeal_id,))
    assert world.outbox(f"appeal:{appeal_id}:remind") == []
    assert world.appeal(appeal_id).reminded_at is not None


def test_waiting_for_the_employee_stops_the_clock_and_decided_ones_drop_out(world):
    asked = opened_id(world.run(REPORT, "/appeal sales missing deals"))
    decided = opened_id(world.run(REPORT, "/appeal csat wrong agent"))
    assert world.run(MANAGER, f"press ap:ask {asked} question=which?").ok
    assert world.run(MANAGER, f"press ap:rej {decided} reason=no").ok
    world.move_to(FRI)
    assert check(world) == SlaReport(checked=0)


def test_limits_are_configurable(world):
    appeal_id = opened_id(world.run(REPORT, "/appeal sales missing deals"))
    world.move_to(MON_LATE)
    report = check_appeal_slas(
        uow=world.rt.uow(), clock=world.rt.clock, remind_after_days=1, escalate_after_days=1
    )
    assert report.escalated == (appeal_id,)


def test_two_schedulers_at_once_send_each_reminder_once(world):
    appeal_id = opened_id(world.run(REPORT, "/appeal sales missing deals"))
    world.move_to(TUE)
    reports: list[SlaReport] = []
    threads = [threading.Thread(target=lambda: reports.append(check(world))) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=60)
    assert sorted(len(r.reminded) for r in reports) == [0, 1]
    assert len(world.outbox(f"appeal:{appeal_id}:remind")) == 1
    assert len(world.audit("appeal.remind")) == 1


def test_without_a_manager_hr_handles_it_from_the_start_and_is_only_reminded(world):
    with world.rt.uow() as uow:
        uow.session.execute(
            update(Employee).where(Employee.email == REPORT).values(manager_id=None)
        )
        uow.commit()
    reply = world.run(REPORT, "/appeal sales missing deals")
    appeal_id = opened_id(reply)
    card = reply.notices[0].card
    assert reply.notices[0].recipient_id == world.person(HR_HQ).id
    assert "ap:esc" not in {b.action for b in card.buttons}
    world.move_to(FRI)
    assert check(world) == SlaReport(checked=1, reminded=(appeal_id,))
    [reminder] = world.outbox(f"appeal:{appeal_id}:remind")
    assert reminder.recipient_id == world.person(HR_HQ).id
    assert world.outbox(f"appeal:{appeal_id}:escalate%") == []
