"""Appeals after close (R7): within the window a closed month's figure is appealed and
accepted, and only that person's result changes; after it, a refusal naming the deadline."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from handlers.appeals.window import AppealWindow
from handlers.closing.close import close_period
from store.breakdowns import breakdowns
from store.models import Employee, IncentiveFlag, Score
from tests.conftest import NOW
from tests.e2e.social_support import HR_HQ, MANAGER, REPORT, World, opened_id, text_of

OCT = "2026-10"


@pytest.fixture
def world(demo):  # type: ignore[no-untyped-def]
    return World(demo)


def close_october(world: World, at: datetime) -> None:
    """HR closes October at `at` (UTC), then the clock is back at the tests' now."""
    world.move_to(at)
    close_period(OCT, uow=world.rt.uow(), scoring=world.rt.scoring, actor=HR_HQ)
    world.move_to(NOW)


def results(world: World) -> dict[int, tuple[Any, ...]]:
    """Every October result as stored: score, band, frozen, when computed, incentives."""
    period = world.period(OCT)
    with world.rt.uow() as uow:
        scores = uow.session.scalars(select(Score).where(Score.period_id == period.id))
        out = {s.employee_id: [s.total, s.band, s.frozen, s.computed_at, []] for s in scores}
        for flag in uow.session.scalars(
            select(IncentiveFlag).where(IncentiveFlag.period_id == period.id)
        ):
            out[flag.employee_id][4].append((flag.kind, flag.reason))
    return {emp: (*row[:4], sorted(row[4])) for emp, row in out.items()}


def test_a_closed_months_figure_is_appealed_accepted_and_only_that_result_changes(world):
    close_october(world, datetime(2026, 11, 10, 3, tzinfo=UTC))  # deadline: 24 November
    ana = world.person(REPORT)
    before = results(world)
    assert before[ana.id][2] is True and "bonus" not in dict(before[ana.id][4])
    score = world.run(REPORT, f"/score {OCT}").cards[0]
    [button] = [b for b in score.buttons if b.action == "ap:new"]
    form = world.run(REPORT, f"press {button.callback}").cards[0]
    assert f"Appeals for {OCT} are open until 2026-11-24." in form.lines
    reply = world.run(REPORT, f"/appeal sales_amount {OCT} the D-9 deal closed on 30 October")
    appeal_id = opened_id(reply)
    assert f"{OCT} is closed: if the appeal is accepted, only your result is recomputed." in (
        reply.cards[0].lines
    )
    card = reply.notices[0].card
    assert f"{OCT} is closed: accepting re-opens Ana Li's result only, and HR is told." in (
        card.lines
    )
    done = world.run(MANAGER, f"press ap:acc {appeal_id} value=99m 'note=D-9 counted late'")
    assert done.ok, text_of(done.cards[0])
    assert "their 2026-10 result was recomputed and HR was told" in done.cards[0].lines[0]
    assert world.rescore.calls == []  # not the open-period re-score: the closed one's
    after = results(world)
    # Everyone else's result exactly as closed: score, band, still frozen, not recomputed.
    assert {k: v for k, v in after.items() if k != ana.id} == {
        k: v for k, v in before.items() if k != ana.id
    }
    total, band, frozen, computed_at, flags = after[ana.id]
    assert frozen is True and computed_at == NOW and total > before[ana.id][0]
    assert flags == []  # 103 is still not in the top 10% (ranks 1-3 score 111 and more)
    assert world.period(OCT).status == "closed"
    dim = world.dimension(REPORT, "sales_amount", OCT)
    assert Decimal(str(dim["actual"])) == Decimal(99_000_000)
    # HR is told what moved; the employee hears the outcome with the incentive.
    hr_rows = world.outbox(f"reopened:{world.period(OCT).id}:{ana.id}:%")
    with world.rt.uow() as uow:
        roles = {uow.session.get(Employee, r.recipient_id).role for r in hr_rows}
    assert hr_rows and roles == {"hr"}
    hr_card = hr_rows[0].payload
    assert hr_card["title"] == f"2026-10 result of Ana Li recomputed (appeal #{appeal_id})"
    assert any(line.startswith("Sales: ") and "99,000,000" in line for line in hr_card["lines"])
    assert "Incentives: none → none" in hr_card["lines"]
    assert "Everyone else's 2026-10 results stay as they were closed." in hr_card["lines"]
    told = next(n.card for n in done.notices if n.recipient_id == ana.id)
    assert "Incentives: none → none" in told.lines
    [event] = world.audit("result.reopen")
    assert event.actor == MANAGER and event.after["why"] == f"appeal #{appeal_id}"
    assert Decimal(event.before["total"]) == before[ana.id][0]
    assert Decimal(event.after["total"]) == total and event.after["band"] == band
    assert [e.after["reopened"] for e in world.audit("appeal.accept")] == [True]
    # /score of the closed month shows the figure as corrected.
    line = next(x for x in world.run(REPORT, f"/score {OCT}").cards[0].lines if "Sales" in x)
    assert f"(appeal #{appeal_id})" in line and "99,000,000" in line


def test_after_the_window_the_appeal_is_refused_naming_the_deadline(world):
    close_october(world, datetime(2026, 11, 2, 3, tzinfo=UTC))  # deadline: 16 November
    says = (
        "Appeals for 2026-10 closed on 2026-11-16 (10 business days after the period closed). "
        "If something is still wrong, ask HR."
    )
    reply = world.run(REPORT, f"/appeal sales {OCT} a deal is missing")
    assert not reply.ok and reply.cards[0].lines == (says,)
    score = world.run(REPORT, f"/score {OCT}").cards[0]
    assert [b for b in score.buttons if b.action == "ap:new"] == []
    pressed = world.run(REPORT, f"press ap:new {world.period(OCT).id} metric=sales reason=x")
    assert not pressed.ok and pressed.cards[0].lines == (says,)
    assert world.audit("appeal.open") == [] and world.outbox("appeal:%") == []
    # The window is configuration: 15 business days reach to 23 November.
    longer = World(world.rt, appeal_window=AppealWindow(days=15))
    assert longer.run(REPORT, f"/appeal sales {OCT} a deal is missing").ok


def test_the_current_month_stays_appealable_while_another_is_closed(world):
    close_october(world, datetime(2026, 11, 2, 3, tzinfo=UTC))
    assert world.run(REPORT, "/appeal sales a deal is missing").ok
    score = world.run(REPORT, "/score").cards[0]
    assert [b.action for b in score.buttons if b.action == "ap:new"] == ["ap:new"]


def test_a_result_pushed_into_the_bonus_gets_it_and_nobody_else_loses_theirs(world):
    close_october(world, datetime(2026, 11, 10, 3, tzinfo=UTC))
    before = results(world)
    with world.rt.uow() as uow:  # the bonus ranks within the scorecard: the 13 sales reps
        sales = set(
            uow.session.scalars(select(Employee.id).where(Employee.scorecard == "sales_rep"))
        )
    ranked = sorted(sales & set(before), key=lambda emp: before[emp][0], reverse=True)
    bonus = {emp for emp in before if "bonus" in dict(before[emp][4])}
    assert len(ranked) == 13 and bonus == set(ranked[:1])  # top 10% of 13 people: rank 1
    # The first one below the line whose metric, corrected to its cap, lifts them over it.
    who, metric = _lifted_over(world, ranked, before[ranked[0]][0])
    with world.rt.uow() as uow:
        person = uow.session.get(Employee, who)
        manager = uow.session.get(Employee, person.manager_id)
    target = world.dimension(person.email, metric, OCT)["target"]
    appeal_id = opened_id(world.run(person.email, f"/appeal {metric} {OCT} figures were late"))
    done = world.run(manager.email, f"press ap:acc {appeal_id} value={target * 2}")
    assert done.ok, text_of(done.cards[0])
    after = results(world)
    assert "bonus" in dict(after[who][4])
    # The ranking moved, but the closed results of everyone else did not.
    assert {emp for emp in after if "bonus" in dict(after[emp][4])} == bonus | {who}
    assert {k: v for k, v in after.items() if k != who} == {
        k: v for k, v in before.items() if k != who
    }


def _lifted_over(world: World, ranked: list[int], line: Decimal) -> tuple[int, str]:
    """(employee, metric): someone below the bonus line whose metric at its cap beats it."""
    period = world.period(OCT)
    cards = world.rt.scoring.config.scorecards
    with world.rt.uow() as uow:
        found = breakdowns(uow.session, period.id, ranked[1:10])
    for emp in ranked[1:10]:
        b = found[emp]
        for dim in b["dimensions"]:
            spec = cards[b["scorecard"]].dimensions[dim["pos"]]
            if spec.kind != "metric" or spec.direction != "higher" or dim["target"] is None:
                continue
            gain = Decimal(dim["weight"]) * (spec.cap - Decimal(dim["attainment"] or 0)) / 100
            if Decimal(b["total"]) + gain > line + 1:
                return emp, dim["metric"]
    raise AssertionError("no one below the line can be lifted over it")
