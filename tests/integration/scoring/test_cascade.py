"""Goal cascade: children sum to parents; a strategy shift re-proposes only the differences.

The demo company already has this month's goals (keys revenue, csat, core-feature): these
tests re-cascade them (a second goal for the same metric would be refused: one target per
person and metric). The newest target of a goal is `latest_target` (a change to a
confirmed target waits for the manager in `proposed_target`)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from bot.console.app import ConsoleSession
from handlers.goals.cascade import run_cascade
from handlers.goals.file import parse_goals
from handlers.people.org_validate import OrgFileError
from store.goal_targets import latest_target
from store.models import Goal, Outbox, Period

GOALS = """
period: 2026-11
goals:
  - {key: revenue, title: Revenue, metric: sales_amount, target: 10000001, unit: CNY,
     teams: [Sales East, Sales SEA], split: weights, weights: {Sales East: 3, Sales SEA: 2},
     people_split: last_share}
  - {key: feat, title: Ship the billing feature, teams: [Engineering]}
"""


def _load(rt, text: str):  # type: ignore[no-untyped-def]
    with rt.uow() as uow:
        from store.models import Team

        teams = set(uow.session.scalars(select(Team.name)))
    return run_cascade(parse_goals(text, teams), uow=rt.uow(), scoring=rt.scoring, actor="t")


def _tree(rt):  # type: ignore[no-untyped-def]
    with rt.uow() as uow:
        period = uow.session.scalar(select(Period).where(Period.key == "2026-11"))
        return list(
            uow.session.scalars(
                select(Goal).where(Goal.period_id == period.id, Goal.key.is_not(None))
            )
        )


def test_children_always_sum_to_their_parent(demo):
    _load(demo, GOALS)
    goals = _tree(demo)
    by_parent: dict[int, list[Goal]] = {}
    for g in goals:
        if g.parent_id:
            by_parent.setdefault(g.parent_id, []).append(g)
    numeric = [g for g in goals if g.key.startswith("revenue") and g.level != "employee"]
    assert numeric
    for parent in numeric:
        kids = by_parent[parent.id]
        total = sum((latest_target(k) or 0 for k in kids), Decimal(0))
        assert total == latest_target(parent), parent.key
    east = next(g for g in goals if g.key == "revenue:Sales East")
    assert latest_target(east) == Decimal("6000001")  # 3/5 of 10,000,001, largest remainder
    feature = [g for g in goals if g.key.startswith("feat:") and g.level == "employee"]
    assert len(feature) == 7 and all(g.target is None for g in feature)


RATE = """
period: 2026-11
goals:
  - {key: csat, title: Customer satisfaction, metric: csat, target: 92, unit: "%",
     teams: [Support, Sales East], split: same, people_split: same}
"""


def test_a_rate_is_carried_whole_by_every_team_and_person(demo):
    # 92% satisfaction split among six people would be 15-16% each: a rate is not a sum.
    _load(demo, RATE)
    goals = [g for g in _tree(demo) if g.key.startswith("csat")]
    teams = [g for g in goals if g.level == "team"]
    people = [g for g in goals if g.level == "employee"]
    assert len(teams) == 2 and len(people) > 6
    assert {latest_target(g) for g in teams + people} == {Decimal(92)}
    assert {g.rule for g in people} == {"same"}


def test_a_strategy_shift_sends_only_the_differences(demo):
    _load(demo, GOALS)
    with demo.uow() as uow:
        sent = uow.session.scalar(
            select(func.count()).select_from(Outbox).where(Outbox.kind == "goal.proposal")
        )
    again = _load(demo, GOALS)
    assert again.created == again.changed == 0
    report = _load(demo, GOALS.replace("10000001", "8000000"))
    assert report.changed > 0 and report.created == 0
    with demo.uow() as uow:
        cards = uow.session.scalars(
            select(Outbox.payload)
            .where(Outbox.kind == "goal.proposal")
            .order_by(Outbox.id)
            .offset(sent)
        ).all()
    assert len(cards) == 2  # one per sales team, nothing for engineering
    assert all("→" in line for c in cards for line in c["lines"][1:])


def test_manager_confirms_then_employee_acknowledges(demo):
    _load(demo, GOALS)
    east = next(g for g in _tree(demo) if g.key == "revenue:Sales East")
    peer = ConsoleSession(demo.dispatcher, demo.uow, "zhou.tao@acme.example")
    assert not peer.handle(f"press gl:cft {east.id}").ok
    manager = ConsoleSession(demo.dispatcher, demo.uow, "chen.jing@acme.example")
    reply = manager.handle(f"press gl:cft {east.id}")
    assert reply.ok and "confirmed" in reply.cards[0].lines[0]
    assert "Already handled" in manager.handle(f"press gl:cft {east.id}").cards[0].lines[0]
    ana = ConsoleSession(demo.dispatcher, demo.uow, "ana.li@acme.example")
    goals = ana.handle("/goals").cards[0]
    ack = [b for b in goals.buttons if b.action == "gl:ack"]
    assert ack and ana.handle(f"press {ack[0].callback}").ok


def test_adjusting_must_keep_the_team_total(demo):
    _load(demo, GOALS)
    east = next(g for g in _tree(demo) if g.key == "revenue:Sales East")
    manager = ConsoleSession(demo.dispatcher, demo.uow, "chen.jing@acme.example")
    form = manager.handle(f"press gl:adj {east.id}").cards[0].form
    assert form is not None and len(form.inputs) == 7
    fields = " ".join(f"{i.name}=1" for i in form.inputs)
    bad = manager.handle(f"press gl:adjs {east.id} {fields}")
    assert not bad.ok and bad.errors and "add up to 7" in bad.errors[0][1]
    values = [i.initial for i in form.inputs]
    values[0], values[1] = str(Decimal(values[0]) + 1000), str(Decimal(values[1]) - 1000)
    good = " ".join(f"{i.name}={v}" for i, v in zip(form.inputs, values, strict=True))
    assert manager.handle(f"press gl:adjs {east.id} {good}").ok


def test_a_bad_goals_file_cascades_nothing(demo):
    try:
        _load(demo, "period: 2026-11\ngoals:\n  - {key: x, title: X, metric: m, teams: [Nope]}\n")
    except OrgFileError as exc:
        assert any("unknown team 'Nope'" in p for p in exc.problems)
        assert any("needs a target" in p for p in exc.problems)
    else:
        raise AssertionError("expected OrgFileError")


def test_progress_on_a_non_numeric_goal(demo):
    _load(demo, GOALS)
    goal = next(g for g in _tree(demo) if g.key == "feat:lena.fischer@acme.example")
    lena = ConsoleSession(demo.dispatcher, demo.uow, "lena.fischer@acme.example")
    reply = lena.handle(f"/goals update {goal.id} 60% https://git.acme.example/pr/42 API done")
    assert reply.ok and reply.notices and "60" in reply.cards[0].lines[0]
    max_ = ConsoleSession(demo.dispatcher, demo.uow, "max.becker@acme.example")
    assert not max_.handle(f"/goals update {goal.id} 90%").ok


def test_admin_sets_and_shifts_a_company_goal_from_chat(demo):
    ceo = ConsoleSession(demo.dispatcher, demo.uow, "wang.jun@acme.example")
    reply = ceo.handle("/goals company tasks_done 90 Engineering throughput")
    assert reply.ok and "carried by Engineering" in reply.cards[0].lines[0]
    with demo.uow() as uow:
        kids = uow.session.scalars(
            select(Goal).where(
                Goal.metric == "tasks_done", Goal.level == "employee", Goal.key.like("tasks_done:%")
            )
        ).all()
        # The people's own tasks_done goals were adopted into the tree, not duplicated.
        assert len(kids) == 7 and sum(latest_target(k) or 0 for k in kids) == 90
        twins = uow.session.scalar(
            select(func.count())
            .select_from(Goal)
            .where(
                Goal.metric == "tasks_done",
                Goal.parent_id.is_(None),
                Goal.level == "employee",
                Goal.period_id == kids[0].period_id,
            )
        )
        assert twins == 0
    shifted = ceo.handle("/goals company tasks_done 70 Engineering throughput")
    assert "0 goals created" in shifted.cards[0].lines[0]
    manager = ConsoleSession(demo.dispatcher, demo.uow, "chen.jing@acme.example")
    assert not manager.handle("/goals company sales_amount 1m Revenue").ok
    assert not ceo.handle("/goals company nope 5 Nothing").ok
