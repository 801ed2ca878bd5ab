"""`/appeal`: opening an appeal, the manager's card with provenance, duplicates, the list."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from connectors import strings as cs
from connectors.http import SourceError
from handlers.format import num
from said import Said
from store.models import Appeal, Employee
from tests.e2e.social_support import MANAGER, REPORT, World, only_notice_to, opened_id, text_of


@pytest.fixture
def world(demo):  # type: ignore[no-untyped-def]
    return World(demo)


def test_an_appeal_puts_the_figure_and_its_records_in_front_of_the_manager(world):
    reply = world.run(REPORT, "/appeal sales two deals from last week are missing")
    appeal_id = opened_id(reply)
    dim = world.dimension(REPORT, "sales_amount")
    assert reply.cards[0].lines[0] == f"Sales for 2026-11: {num(dim['actual'])} is under appeal."
    assert "Chen Jing will review it" in reply.cards[0].lines[1]
    card = only_notice_to(world, reply, MANAGER)
    assert card.title == f"Appeal #{appeal_id} · Ana Li disputes Sales"
    assert card.lines[0].startswith(f"Ana Li disputes Sales for 2026-11: {num(dim['actual'])} of")
    assert card.lines[1] == "Reason: “two deals from last week are missing”"
    facts = world.facts(REPORT, "sales_amount")
    assert card.lines[2] == f"Source records (latest {min(10, len(facts))} of {len(facts)}):"
    newest = facts[0]
    where = f"{newest.occurred_on} · {newest.source} {newest.record_id}"
    assert card.lines[3].startswith(f"{where} · sales_amount {num(newest.value)}")
    assert newest.link and card.lines[3].endswith(newest.link)
    assert [b.callback for b in card.buttons] == [
        f"ap:acc:{appeal_id}",
        f"ap:rej:{appeal_id}",
        f"ap:ask:{appeal_id}",
        f"ap:esc:{appeal_id}",
    ]
    [row] = world.outbox(f"appeal:{appeal_id}:open")
    assert row.recipient_id == world.person(MANAGER).id and row.kind == "appeal"
    appeal = world.appeal(appeal_id)
    assert (appeal.status, appeal.metric, appeal.handler_id) == (
        "open",
        "sales_amount",
        world.person(MANAGER).id,
    )
    assert appeal.disputed_value == Decimal(str(dim["actual"]))
    [event] = world.audit("appeal.open")
    assert event.actor == REPORT and event.after["handler"] == MANAGER


def test_a_fresh_fetch_from_the_source_shows_what_changed(world):
    first, second, third = world.facts(REPORT, "sales_amount")[:3]
    world.source.records = {
        (first.source, first.record_id): {"value": str(first.value + 1000)},
        (second.source, second.record_id): {"void": True},
        (third.source, third.record_id): {"sales_amount": str(third.value)},
    }
    card = world.run(REPORT, "/appeal sales_amount numbers look old").notices[0].card
    assert card.lines[3].endswith(f" · source now says {num(first.value + 1000)} (+1,000)")
    assert card.lines[4].endswith(" · no longer in the source")
    assert card.lines[5].endswith(" · source agrees")
    assert "Fresh from the sources: 2 records differ from what was scored." in card.lines
    assert (first.source, first.record_id) in world.source.asked


def test_a_source_that_is_down_does_not_stop_the_appeal(world):
    world.source.down = {"crm"}
    reply = world.run(REPORT, "/appeal sales two deals are missing")
    assert reply.ok
    assert "couldn't ask the source: crm timed out" in text_of(reply.notices[0].card)


@pytest.mark.parametrize(
    ("locale", "said"),
    [
        (
            "en",
            " · couldn't ask the source: crm: no list of records at the top level of the answer",
        ),
        ("zh_CN", "crm：返回内容的 顶层 处没有记录列表"),
    ],
)
def test_a_source_that_failed_is_said_in_the_managers_language(world, locale, said):
    with world.rt.uow() as uow:
        manager = uow.session.scalars(select(Employee).where(Employee.email == MANAGER)).one()
        manager.locale = locale
        uow.commit()
    world.source.failures["crm"] = SourceError(
        "crm", Said(cs.NO_RECORD_LIST, where=Said(cs.TOP_LEVEL))
    )
    card = only_notice_to(world, world.run(REPORT, "/appeal sales two deals are missing"), MANAGER)
    failed = [line for line in card.lines if said in line]
    assert failed and len(failed) == len([x for x in card.lines if " crm " in x]), card.lines


def test_one_undecided_appeal_per_metric_and_period(world):
    first = opened_id(world.run(REPORT, "/appeal sales two deals are missing"))
    again = world.run(REPORT, "/appeal Sales also this one")
    assert not again.ok
    assert again.cards[0].lines == (
        f"You already have appeal #{first} open on Sales for 2026-11. Type /appeal to see it.",
    )
    assert world.run(REPORT, "/appeal csat two ratings were for another agent").ok
    with world.rt.uow() as uow:
        n = uow.session.scalar(select(func.count()).select_from(Appeal))
    assert n == 2 and len(world.outbox("appeal:%:open")) == 2


def test_appeal_alone_lists_my_appeals_and_their_states(world):
    empty = world.run(REPORT, "/appeal")
    assert empty.ok and "You have no appeals" in empty.cards[0].lines[0]
    a = opened_id(world.run(REPORT, "/appeal sales two deals are missing"))
    b = opened_id(world.run(REPORT, "/appeal csat wrong agent"))
    assert world.run(MANAGER, f"press ap:ask {b} question='which tickets?'").ok
    listing = world.run(REPORT, "/appeal").cards[0]
    assert listing.lines[0].startswith(f"#{b} Customer satisfaction · 2026-11 · filed 2026-11-20")
    assert listing.lines[0].endswith("Chen Jing asked you a question: answer it below")
    assert listing.lines[1] == f"#{a} Sales · 2026-11 · filed 2026-11-20 · open, with Chen Jing"
    assert [btn.callback for btn in listing.buttons] == [f"ap:ans:{b}"]
    assert world.run(MANAGER, "/appeal").cards[0].lines == (
        "You have no appeals. To open one: /appeal <metric> <reason>",
    )


@pytest.mark.parametrize(
    "line, says",
    [
        (
            "/appeal bonus it is too low",
            "'bonus' isn't one of your figures. Your figures: Sales",
        ),
        ("/appeal sales 2026-13 wrong", "'2026-13' is not a month or quarter"),
        ("/appeal sales 2025-01 wrong", "Period 2025-01 has not been set up yet"),
        ("/appeal sales 2027-01 wrong", "Period 2027-01 has not been set up yet"),
        ("/appeal sales", "a reason is required"),
        ("/appeal 12 wrong", "'12' is not a metric"),
    ],
)
def test_bad_appeals_get_a_clear_answer_and_change_nothing(world, line, says):
    reply = world.run(REPORT, line)
    assert not reply.ok and says in text_of(reply.cards[0])
    assert world.outbox("appeal:%") == [] and world.audit("appeal.open") == []


def test_someone_without_a_score_has_nothing_to_appeal(world):
    reply = world.run(MANAGER, "/appeal sales wrong")
    assert not reply.ok and reply.cards[0].lines == (
        "There is no score for 2026-11 yet, so there is no figure to appeal.",
    )


def test_the_appeal_button_on_my_score_card_asks_what_and_why(world):
    score = world.run(REPORT, "/score").cards[0]
    [button] = [b for b in score.buttons if b.action == "ap:new"]
    form = world.run(REPORT, f"press {button.callback}").cards[0].form
    assert form is not None and [i.name for i in form.inputs] == ["metric", "reason"]
    missing = world.run(REPORT, f"press ap:new {button.value} metric=sales reason=")
    assert not missing.ok and missing.errors == (("reason", "A reason is required."),)
    done = world.run(REPORT, f"press ap:new {button.value} metric=sales 'reason=deal D-1 missing'")
    assert opened_id(done) and world.appeal(opened_id(done)).reason == "deal D-1 missing"


def test_a_period_after_the_metric_files_against_that_period(world):
    reply = world.run(REPORT, "/appeal sales_amount 2026-10 30 deals of October are missing")
    appeal = world.appeal(opened_id(reply))
    assert appeal.period_id == world.period("2026-10").id
    assert appeal.reason == "30 deals of October are missing"
    assert reply.cards[0].lines[0].startswith("Sales for 2026-10: ")
    assert appeal.disputed_value == Decimal(
        str(world.dimension(REPORT, "sales_amount", "2026-10")["actual"])
    )
    # A reason that starts with a number is a reason: the current period.
    other = world.appeal(opened_id(world.run(REPORT, "/appeal sales 2 deals are missing")))
    assert other.period_id == world.period().id and other.reason == "2 deals are missing"


def test_the_rating_can_be_appealed_too(world):
    reply = world.run(REPORT, "/appeal manager_rating 2026-10 rated before my big deal closed")
    appeal = world.appeal(opened_id(reply))
    dim = world.dimension(REPORT, "manager_rating", "2026-10")
    assert appeal.metric == "manager_rating" and appeal.disputed_value == dim["actual"]
    card = only_notice_to(world, reply, MANAGER)
    assert card.lines[0] == (
        f"Ana Li disputes Manager rating for 2026-10: rated {num(dim['actual'])} "
        f"({num(dim['attainment'])}%) [manager]"
    )
    assert any(line.startswith(f"Rated {num(dim['actual'])} by ") for line in card.lines)
    assert not any(line.startswith("No source records") for line in card.lines)


def test_the_appeal_button_of_a_past_open_score_files_against_that_period(world):
    past = world.period("2026-10")
    score = world.run(REPORT, "/score 2026-10").cards[0]
    [button] = [b for b in score.buttons if b.action == "ap:new"]
    assert button.value == str(past.id)
    reply = world.run(REPORT, f"press ap:new {past.id} metric=sales reason=old")
    assert world.appeal(opened_id(reply)).period_id == past.id
    stale = world.run(REPORT, "press ap:new 999 metric=sales reason=old")
    assert not stale.ok and len(world.audit("appeal.open")) == 1
