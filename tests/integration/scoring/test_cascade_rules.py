"""A re-cascade splits the way the goals file said, from the file or from chat, around
targets HR approved; one target per person and metric."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from bot.console.app import ConsoleSession
from handlers.goals.cascade import run_cascade
from handlers.goals.file import parse_goals
from store.goal_targets import latest_target
from store.models import Goal, Period, Team

WEIGHTED = """
period: 2026-11
goals:
  - {key: revenue, title: Revenue, metric: sales_amount, target: 10000000, unit: CNY,
     teams: [Sales East, Sales SEA], split: weights, weights: {Sales East: 3, Sales SEA: 2},
     people_split: equal, places: -3}
"""


def _load(rt, text: str):  # type: ignore[no-untyped-def]
    with rt.uow() as uow:
        teams = set(uow.session.scalars(select(Team.name)))
    return run_cascade(parse_goals(text, teams), uow=rt.uow(), scoring=rt.scoring, actor="t")


def _revenue(rt) -> dict[str, Goal]:  # type: ignore[no-untyped-def]
    with rt.uow() as uow:
        period = uow.session.scalar(select(Period.id).where(Period.key == "2026-11"))
        goals = uow.session.scalars(
            select(Goal).where(Goal.period_id == period, Goal.key.like("revenue%"))
        ).all()
        return {g.key: g for g in goals}


def test_a_change_from_chat_keeps_the_files_weights_people_split_and_rounding(demo):
    assert not _load(demo, WEIGHTED).refused
    reply = ConsoleSession(demo.dispatcher, demo.uow, "wang.jun@acme.example").handle(
        "/goals company sales_amount 12m Revenue"
    )
    assert reply.ok, reply.cards[0].lines
    goals = _revenue(demo)
    company = goals["revenue"]
    assert (company.rule, company.places, company.weights) == (
        "weights",
        -3,
        {"Sales East": "3", "Sales SEA": "2"},
    )
    east, sea = goals["revenue:Sales East"], goals["revenue:Sales SEA"]
    assert (latest_target(east), latest_target(sea)) == (Decimal(7_200_000), Decimal(4_800_000))
    people = [latest_target(g) or 0 for g in goals.values() if g.parent_id == east.id]
    # 7,200,000 in whole thousands, equally among 7: 1,029,000 four times, 1,028,000 three.
    assert sorted(people) == [Decimal(1_028_000)] * 3 + [Decimal(1_029_000)] * 4
    assert {g.rule for g in goals.values() if g.level != "company"} == {"equal"}


def test_a_second_goal_for_a_metric_someone_already_carries_is_refused(demo):
    before = _revenue(demo)
    twin = WEIGHTED.replace("key: revenue", "key: sales-push").replace(
        "teams: [Sales East, Sales SEA], split: weights, weights: {Sales East: 3, Sales SEA: 2}",
        "teams: [Sales East], split: same",
    )
    report = _load(demo, twin)
    assert report.created == report.changed == 0
    assert len(report.refused) == 1
    assert "already have a sales_amount target from goal 'revenue'" in report.refused[0]
    assert "Ana Li" in report.refused[0]
    with demo.uow() as uow:
        assert not uow.session.scalar(select(Goal.id).where(Goal.key.like("sales-push%")))
    assert {k: latest_target(g) for k, g in _revenue(demo).items()} == {
        k: latest_target(g) for k, g in before.items()
    }


def test_approved_targets_that_take_a_whole_share_are_refused(demo):
    east = ConsoleSession(demo.dispatcher, demo.uow, "chen.jing@acme.example")
    asked = east.handle("/kpi @ana.li sales_amount 7m she took over the key accounts")
    hr = ConsoleSession(demo.dispatcher, demo.uow, "zhao.min@acme.example")
    assert hr.handle(f"press kp:ok {asked.notices[0].card.buttons[0].value}").ok
    text = WEIGHTED.replace(
        "split: weights, weights: {Sales East: 3, Sales SEA: 2}",
        "split: weights, weights: {Sales East: 7, Sales SEA: 3}",
    )
    report = _load(demo, text)  # Sales East's share: 7,000,000, all of it Ana's
    assert report.refused == [
        "Sales East: its share of Revenue is 7,000,000 CNY, and the targets HR approved "
        "(Ana Li 7,000,000) take all of it, leaving nothing for the other 6 people. Raise "
        "the goal, or change those targets with /kpi first."
    ]
    assert latest_target(_revenue(demo)["revenue"]) == Decimal(13_000_000)


def test_a_goal_cascaded_before_its_weights_were_kept_splits_in_its_teams_proportion(demo):
    assert not _load(demo, WEIGHTED).refused
    with demo.uow() as uow:  # as a goal cascaded before the weights were stored looks
        uow.session.get(Goal, _revenue(demo)["revenue"].id).weights = None
        uow.commit()
    ceo = ConsoleSession(demo.dispatcher, demo.uow, "wang.jun@acme.example")
    assert ceo.handle("/goals company sales_amount 12m Revenue").ok
    goals = _revenue(demo)
    east, sea = goals["revenue:Sales East"], goals["revenue:Sales SEA"]
    assert (latest_target(east), latest_target(sea)) == (Decimal(7_200_000), Decimal(4_800_000))
