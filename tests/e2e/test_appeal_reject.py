"""[Reject]: a reason is required, the employee hears it, and the figure stays."""

from __future__ import annotations

import pytest

from handlers.format import num
from tests.e2e.social_support import MANAGER, REPORT, World, only_notice_to, opened_id


@pytest.fixture
def world(demo):  # type: ignore[no-untyped-def]
    return World(demo)


def test_rejecting_needs_a_reason_and_tells_the_employee(world):
    appeal_id = opened_id(world.run(REPORT, "/appeal sales missing deals"))
    form = world.run(MANAGER, f"press ap:rej {appeal_id}")
    assert form.ok and [i.name for i in form.cards[0].form.inputs] == ["reason"]
    empty = world.run(MANAGER, f"press ap:rej {appeal_id} 'reason=   '")
    assert not empty.ok and empty.errors == (("reason", "A reason is required."),)
    assert world.appeal(appeal_id).status == "open" and world.outbox("%:outcome") == []
    reply = world.run(MANAGER, f"press ap:rej {appeal_id} 'reason=D-77 was booked in December'")
    assert reply.ok and reply.cards[0].lines == ("Rejected. Ana Li has been told why.",)
    appeal = world.appeal(appeal_id)
    assert (appeal.status, appeal.resolution_note) == ("rejected", "D-77 was booked in December")
    told = only_notice_to(world, reply, REPORT)
    assert told.lines == (
        f"Chen Jing rejected your appeal on Sales; the figure stays {num(appeal.disputed_value)}.",
        "Reason: D-77 was booked in December",
    )
    [event] = world.audit("appeal.reject")
    assert event.actor == MANAGER and event.before == {"status": "open"}
    assert world.facts(REPORT, "sales_amount", source=f"appeal:{appeal_id}") == []
    assert world.rescore.calls == []
    assert (
        world.run(REPORT, "/appeal")
        .cards[0]
        .lines[0]
        .endswith("rejected: D-77 was booked in December")
    )
    again = world.run(MANAGER, f"press ap:rej {appeal_id} reason=twice")
    assert again.cards[0].lines == ("Already handled: nothing changed.",)
    assert len(world.outbox(f"appeal:{appeal_id}:outcome")) == 1


def test_after_a_decision_the_same_figure_can_be_appealed_again(world):
    first = opened_id(world.run(REPORT, "/appeal sales missing deals"))
    assert world.run(MANAGER, f"press ap:rej {first} reason=no").ok
    second = opened_id(world.run(REPORT, "/appeal sales here is the contract: D-77"))
    assert second != first and world.appeal(second).status == "open"
