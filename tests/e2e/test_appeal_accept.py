"""[Accept and correct]: a correction fact next to the source's, a re-score, the employee told."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import update

from handlers.format import num
from store.models import Appeal, Period
from tests.e2e.social_support import (
    HEAD,
    HR_HQ,
    HR_SG,
    MANAGER,
    PEER,
    REPORT,
    World,
    only_notice_to,
    opened_id,
    text_of,
    total,
)


@pytest.fixture
def world(demo):  # type: ignore[no-untyped-def]
    return World(demo)


def test_accepting_stores_a_correction_rescores_and_tells_old_and_new(world):
    appeal_id = opened_id(world.run(REPORT, "/appeal sales deals D-77 and D-78 are missing"))
    crm_before = world.facts(REPORT, "sales_amount", source="crm")
    keys_before = [(f.id, f.record_id, f.value, f.void) for f in crm_before]
    old = total(crm_before)
    assert world.dimension(REPORT, "sales_amount")["actual"] is not None
    form = world.run(MANAGER, f"press ap:acc:{appeal_id}").cards[0]
    assert form.form is not None and form.form.inputs[0].initial == num(old)
    reply = world.run(
        MANAGER, f"press ap:acc {appeal_id} value=1.18m 'note=D-77 and D-78 confirmed'"
    )
    assert reply.ok, text_of(reply.cards[0])
    # Both versions kept: the source's records untouched, the correction beside them.
    crm_after = world.facts(REPORT, "sales_amount", source="crm")
    assert [(f.id, f.record_id, f.value, f.void) for f in crm_after] == keys_before
    [fix] = world.facts(REPORT, "sales_amount", source=f"appeal:{appeal_id}")
    assert (fix.record_id, fix.value) == (str(appeal_id), Decimal(1_180_000) - old)
    assert fix.raw["by"] == MANAGER and fix.raw["note"] == "D-77 and D-78 confirmed"
    ana = world.person(REPORT)
    assert world.rescore.calls == [(world.period().id, [ana.id])]
    dim = world.dimension(REPORT, "sales_amount")
    assert Decimal(str(dim["actual"])) == Decimal(1_180_000)
    assert f"appeal:{appeal_id}" in dim["sources"]
    told = only_notice_to(world, reply, REPORT)
    assert told.title == f"Appeal #{appeal_id} accepted"
    assert told.lines[0] == f"Sales corrected by Chen Jing: {num(old)} → 1,180,000."
    assert told.lines[1].startswith("Score: ") and told.lines[-1] == "Note: D-77 and D-78 confirmed"
    assert world.outbox(f"appeal:{appeal_id}:outcome")[0].recipient_id == ana.id
    appeal = world.appeal(appeal_id)
    assert (appeal.status, appeal.corrected_value, appeal.resolved_by) == (
        "accepted",
        Decimal(1_180_000),
        world.person(MANAGER).id,
    )
    [event] = world.audit("appeal.accept")
    assert event.actor == MANAGER and event.after["fact"] == fix.id
    listing = world.run(REPORT, "/appeal").cards[0].lines[0]
    assert listing.endswith(f"accepted: {num(appeal.disputed_value)} → 1,180,000")


def test_a_ratio_is_corrected_so_the_rescored_figure_is_the_accepted_one(world):
    appeal_id = opened_id(world.run(REPORT, "/appeal csat two bad ratings were for another agent"))
    reply = world.run(MANAGER, f"press ap:acc {appeal_id} value=95")
    assert reply.ok, text_of(reply.cards[0])
    dim = world.dimension(REPORT, "csat")
    assert abs(Decimal(str(dim["actual"])) - 95) < Decimal("0.01")
    # CSAT was 100%: only a bad rating can bring it down, so the correction is one.
    [fix] = world.facts(REPORT, "csat_bad", source=f"appeal:{appeal_id}")
    assert fix.value > 0


def test_pressing_a_decided_appeal_again_says_already_handled(world):
    appeal_id = opened_id(world.run(REPORT, "/appeal sales missing deals"))
    assert world.run(MANAGER, f"press ap:acc {appeal_id} value=900k").ok
    for line in (f"press ap:acc {appeal_id} value=1m", f"press ap:rej {appeal_id} reason=x"):
        again = world.run(MANAGER, line)
        assert again.cards[0].lines == ("Already handled: nothing changed.",)
    assert len(world.facts(REPORT, "sales_amount", source=f"appeal:{appeal_id}")) == 1
    assert len(world.rescore.calls) == 1


def test_a_bad_value_brings_the_form_back_and_changes_nothing(world):
    appeal_id = opened_id(world.run(REPORT, "/appeal sales missing deals"))
    for value in ("abc", "", "-5"):
        reply = world.run(MANAGER, f"press ap:acc {appeal_id} value={value}")
        assert not reply.ok and reply.errors[0][0] == "value"
        assert reply.cards[0].form is not None and reply.errors[0][1] in reply.cards[0].lines
    assert world.appeal(appeal_id).status == "open" and world.rescore.calls == []
    assert world.facts(REPORT, "sales_amount", source=f"appeal:{appeal_id}") == []


def test_the_employee_cannot_resolve_their_own_appeal(world):
    appeal_id = opened_id(world.run(REPORT, "/appeal sales missing deals"))
    reply = world.run(REPORT, f"press ap:acc {appeal_id} value=2m")
    assert not reply.ok and reply.cards[0].lines == (
        "You can't decide your own appeal: your manager or HR does.",
    )
    assert world.audit("denied")[-1].after["attempted"] == "appeal.accept"
    assert world.appeal(appeal_id).status == "open"


def test_a_manager_cannot_resolve_an_appeal_on_their_own_figure(world):
    chen, period = world.person(MANAGER), world.period()
    with world.rt.uow() as uow:
        appeal = Appeal(
            employee_id=chen.id,
            period_id=period.id,
            metric="sales_amount",
            reason="my own team's deals",
            handler_id=world.person(HEAD).id,
            created_at=world.rt.clock(),
        )
        uow.session.add(appeal)
        uow.commit()
    reply = world.run(MANAGER, f"press ap:acc {appeal.id} value=1")
    assert not reply.ok and "your own appeal" in reply.cards[0].lines[0]
    assert world.run(HEAD, f"press ap:rej {appeal.id} 'reason=figures are right'").ok


@pytest.mark.parametrize(
    "who, allowed",
    [(PEER, False), (HR_SG, False), (HR_HQ, True), (HEAD, True)],
)
def test_who_may_decide(world, who, allowed):
    appeal_id = opened_id(world.run(REPORT, "/appeal sales missing deals"))
    reply = world.run(who, f"press ap:acc {appeal_id} value=800k")
    assert reply.ok is allowed
    assert world.appeal(appeal_id).status == ("accepted" if allowed else "open")


def test_a_closed_period_takes_no_corrections(world):
    appeal_id = opened_id(world.run(REPORT, "/appeal sales missing deals"))
    with world.rt.uow() as uow:
        uow.session.execute(update(Period).where(Period.key == "2026-11").values(status="closed"))
        uow.commit()
    reply = world.run(MANAGER, f"press ap:acc {appeal_id} value=800k")
    assert not reply.ok and "closed" in reply.cards[0].lines[0]
    assert world.appeal(appeal_id).status == "open" and world.rescore.calls == []


def test_a_stale_or_unknown_appeal_button(world):
    for line in ("press ap:acc 999 value=1", "press ap:acc", "press ap:esc abc"):
        reply = world.run(MANAGER, line)
        assert not reply.ok and reply.cards[0].lines == ("That appeal doesn't exist (any more).",)
