"""[Accept and correct]: an explicit correction beside the source's records (never a made-up
record), a re-score, the employee told."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from handlers.format import num
from store.models import Appeal, ManagerRating, MetricFact
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


def test_accepting_stores_an_explicit_correction_rescores_and_tells_the_employee(world):
    appeal_id = opened_id(world.run(REPORT, "/appeal sales deals D-77 and D-78 are missing"))
    crm_before = world.facts(REPORT, "sales_amount")
    keys_before = [(f.id, f.record_id, f.value, f.void) for f in crm_before]
    old = total(crm_before)
    assert world.dimension(REPORT, "sales_amount")["actual"] is not None
    form = world.run(MANAGER, f"press ap:acc:{appeal_id}").cards[0]
    assert form.form is not None and form.form.inputs[0].initial == num(old)
    reply = world.run(
        MANAGER, f"press ap:acc {appeal_id} value=1.18m 'note=D-77 and D-78 confirmed'"
    )
    assert reply.ok, text_of(reply.cards[0])
    # The source's records untouched, and no record made up: the correction is its own row.
    crm_after = world.facts(REPORT, "sales_amount")
    assert [(f.id, f.record_id, f.value, f.void) for f in crm_after] == keys_before
    assert world.synthetic_facts() == []
    [fix] = world.corrections()
    ana, chen = world.person(REPORT), world.person(MANAGER)
    assert (fix.employee_id, fix.period_id, fix.metric, fix.kind) == (
        ana.id,
        world.period().id,
        "sales_amount",
        "metric",
    )
    assert (fix.value_before, fix.value_after, fix.appeal_id, fix.by_id) == (
        old,
        Decimal(1_180_000),
        appeal_id,
        chen.id,
    )
    assert fix.note == "D-77 and D-78 confirmed" and fix.active
    assert fix.fingerprint and fix.fingerprint.startswith(f"{len(crm_before)}|{old:.4f}|")
    assert world.rescore.calls == [(world.period().id, [ana.id])]
    dim = world.dimension(REPORT, "sales_amount")
    assert Decimal(str(dim["actual"])) == Decimal(1_180_000)
    assert dim["sources"] == "crm" and dim["facts"] == len(crm_before)
    told = only_notice_to(world, reply, REPORT)
    assert told.title == f"Appeal #{appeal_id} accepted"
    assert told.lines[0] == f"Sales corrected by Chen Jing: {num(old)} → 1,180,000."
    assert told.lines[1].startswith("Score: ") and told.lines[-1] == "Note: D-77 and D-78 confirmed"
    assert world.outbox(f"appeal:{appeal_id}:outcome")[0].recipient_id == ana.id
    appeal = world.appeal(appeal_id)
    assert (appeal.status, appeal.corrected_value, appeal.resolved_by) == (
        "accepted",
        Decimal(1_180_000),
        chen.id,
    )
    [event] = world.audit("appeal.accept")
    assert event.actor == MANAGER and event.after["correction"] == fix.id
    assert event.after["reopened"] is False
    listing = world.run(REPORT, "/appeal").cards[0].lines[0]
    assert listing.endswith(f"accepted: {num(appeal.disputed_value)} → 1,180,000")


def test_a_rate_is_corrected_without_a_single_made_up_rating(world):
    with world.rt.uow() as uow:
        facts_before = uow.session.scalar(select(func.count()).select_from(MetricFact))
    appeal_id = opened_id(world.run(REPORT, "/appeal csat two bad ratings were for another agent"))
    was = world.dimension(REPORT, "csat")["actual"]
    reply = world.run(MANAGER, f"press ap:acc {appeal_id} value=95 'note=tickets T-1, T-2'")
    assert reply.ok, text_of(reply.cards[0])
    with world.rt.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(MetricFact)) == facts_before
    assert world.synthetic_facts() == []
    assert Decimal(str(world.dimension(REPORT, "csat")["actual"])) == 95  # exactly
    [fix] = world.corrections(REPORT)
    assert (fix.metric, fix.value_before, fix.value_after) == ("csat", Decimal(str(was)), 95)
    # /explain: the records as the source sent them, and the correction labelled as one.
    card = world.run(REPORT, "/explain csat").cards[0]
    assert Decimal(card.lines[0].split(" = ")[0].replace(",", "")) == Decimal(str(was))
    assert all("appeal:" not in line for line in card.lines)
    assert (
        f"Corrected by appeal #{appeal_id}: {num(was)} → 95 (Chen Jing, 2026-11-20)" in card.lines
    )
    assert "Correction note: tickets T-1, T-2" in card.lines
    assert "The score uses the corrected 95; the records are as the source sent them." in (
        card.lines
    )
    assert not any(line.startswith("The stored score used") for line in card.lines)
    # /score: the figure as corrected, marked as such.
    line = next(x for x in world.run(REPORT, "/score").cards[0].lines if "satisfaction" in x)
    assert f"✎ corrected from {num(was)} (appeal #{appeal_id})" in line and "): 95 of " in line


def test_pressing_a_decided_appeal_again_says_already_handled(world):
    appeal_id = opened_id(world.run(REPORT, "/appeal sales missing deals"))
    assert world.run(MANAGER, f"press ap:acc {appeal_id} value=900k").ok
    for line in (f"press ap:acc {appeal_id} value=1m", f"press ap:rej {appeal_id} reason=x"):
        again = world.run(MANAGER, line)
        assert again.cards[0].lines == ("Already handled: nothing changed.",)
    assert len(world.corrections()) == 1 and world.synthetic_facts() == []
    assert len(world.rescore.calls) == 1


def test_a_bad_value_brings_the_form_back_and_changes_nothing(world):
    appeal_id = opened_id(world.run(REPORT, "/appeal sales missing deals"))
    for value in ("abc", "", "-5"):
        reply = world.run(MANAGER, f"press ap:acc {appeal_id} value={value}")
        assert not reply.ok and reply.errors[0][0] == "value"
        assert reply.cards[0].form is not None and reply.errors[0][1] in reply.cards[0].lines
    assert world.appeal(appeal_id).status == "open" and world.rescore.calls == []
    assert world.corrections() == []


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


def test_a_stale_or_unknown_appeal_button(world):
    for line in ("press ap:acc 999 value=1", "press ap:acc", "press ap:esc abc"):
        reply = world.run(MANAGER, line)
        assert not reply.ok and reply.cards[0].lines == ("That appeal doesn't exist (any more).",)


def test_an_accepted_rating_appeal_corrects_the_rating_and_keeps_the_managers_own(world):
    with world.rt.uow() as uow:
        own = uow.session.scalars(
            select(ManagerRating).where(
                ManagerRating.employee_id == world.person(REPORT).id,
                ManagerRating.period_id == world.period("2026-10").id,
            )
        ).one()
    appeal_id = opened_id(world.run(REPORT, "/appeal manager_rating 2026-10 unfair"))
    for bad in ("7", "3.5", "0"):
        reply = world.run(MANAGER, f"press ap:acc {appeal_id} value={bad}")
        assert not reply.ok and reply.errors[0] == (
            "value",
            f"'{bad}' is not a rating: use a whole number from 1 to 5",
        )
    new = 5 if own.rating < 5 else 4
    assert world.run(MANAGER, f"press ap:acc {appeal_id} value={new}").ok
    [fix] = world.corrections(REPORT)
    assert (fix.kind, fix.value_before, fix.value_after) == ("rating", own.rating, new)
    assert fix.fingerprint is None  # no source records to watch behind a rating
    dim = world.dimension(REPORT, "manager_rating", "2026-10")
    assert dim["actual"] == new and dim["attainment"] == (new - 1) * 25
    with world.rt.uow() as uow:
        assert uow.session.get(ManagerRating, own.id).rating == own.rating  # as the manager gave it
