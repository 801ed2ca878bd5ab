"""Targets that count, through the console: a proposal scores nothing until confirmed, and
a re-cascade (from chat or from the goals file) keeps HR-approved targets and the goal's
split rules, or changes nothing and says why.

The demo's month (2026-11) has the company goal `revenue` (sales_amount, 13,000,000 split
by headcount into Sales East (7 people, confirmed by Chen Jing) and Sales SEA (6 people,
still proposed), then by last share in whole thousands).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, select

from bot.cli import main
from bot.console.app import ConsoleSession
from handlers.scores.compute import score_all
from store.goal_targets import latest_target
from store.models import Employee, Goal, Outbox, Period, Score

EAST_MANAGER, SEA_MANAGER = "chen.jing@acme.example", "tan.mei.ling@acme.example"
ADMIN, HR = "wang.jun@acme.example", "zhao.min@acme.example"


def as_(rt, email: str) -> ConsoleSession:  # type: ignore[no-untyped-def]
    return ConsoleSession(rt.dispatcher, rt.uow, email)


def _goals(rt, prefix: str) -> dict[str, Goal]:  # type: ignore[no-untyped-def]
    """This month's goals under `prefix`, by owner e-mail (or team name)."""
    with rt.uow() as uow:
        period = uow.session.scalar(select(Period.id).where(Period.key == "2026-11"))
        rows = uow.session.scalars(
            select(Goal).where(Goal.period_id == period, Goal.key.like(f"{prefix}%"))
        ).all()
        return {g.key.split(":", 1)[-1]: g for g in rows}


def _score(rt, email: str) -> Score:  # type: ignore[no-untyped-def]
    with rt.uow() as uow:
        return uow.session.scalar(
            select(Score)
            .join(Employee, Employee.id == Score.employee_id)
            .join(Period, Period.id == Score.period_id)
            .where(Employee.email == email, Period.key == "2026-11")
        )


def _proposals(rt) -> list[dict]:  # type: ignore[no-untyped-def]
    with rt.uow() as uow:
        return list(
            uow.session.scalars(
                select(Outbox.payload).where(Outbox.kind == "goal.proposal").order_by(Outbox.id)
            )
        )


def _approve(rt, who: str, target: str) -> None:  # type: ignore[no-untyped-def]
    asked = as_(rt, EAST_MANAGER).handle(f"/kpi @{who} sales_amount {target} market change")
    assert asked.ok, asked.cards[0].lines
    adj = asked.notices[0].card.buttons[0].value
    assert as_(rt, HR).handle(f"press kp:ok {adj}").ok


def test_a_first_proposal_scores_nothing_until_the_manager_confirms(demo):
    raj = as_(demo, "raj.kumar@acme.example").handle("/score").cards[0]
    sales = [line for line in raj.lines if line.startswith("Sales")]
    assert "no confirmed target yet, not counted" in sales[0]
    assert sales[1] == "Sales: target 1,000,000 proposed, not confirmed yet — not counted"
    before = _score(demo, "raj.kumar@acme.example")
    sea = _goals(demo, "revenue:")["Sales SEA"]
    assert as_(demo, SEA_MANAGER).handle(f"press gl:cft {sea.id}").ok
    after = _score(demo, "raj.kumar@acme.example")
    assert after.coverage > before.coverage and after.total != before.total
    raj = as_(demo, "raj.kumar@acme.example").handle("/score").cards[0]
    assert not any("proposed" in line for line in raj.lines)
    assert any(line.startswith("Sales (") and "of 1,000,000" in line for line in raj.lines)


def test_a_changed_target_keeps_the_confirmed_one_counting_until_confirmed(demo):
    before = _score(demo, "ana.li@acme.example")
    shifted = as_(demo, ADMIN).handle("/goals company sales_amount 14m Revenue")
    assert shifted.ok, shifted.cards[0].lines
    ana = _goals(demo, "revenue:")["ana.li@acme.example"]
    assert (ana.target, ana.status) == (Decimal(1_000_000), "confirmed")
    new = ana.proposed_target  # her last share of 7,538,000, in whole thousands
    assert new is not None and new > ana.target and new % 1000 == 0
    score_all("2026-11", uow=demo.uow(), setup=demo.scoring, actor="test")
    assert _score(demo, "ana.li@acme.example").total == before.total  # pending: no change
    card = as_(demo, "ana.li@acme.example").handle("/score").cards[0]
    assert f"Sales: target {new:,.0f} proposed, not confirmed yet — not counted" in card.lines
    goals = as_(demo, "ana.li@acme.example").handle("/goals").cards[0]
    assert any(f"{new:,.0f} CNY proposed, awaiting the manager" in line for line in goals.lines)
    east = _goals(demo, "revenue:")["Sales East"]
    assert as_(demo, EAST_MANAGER).handle(f"press gl:cft {east.id}").ok
    ana = _goals(demo, "revenue:")["ana.li@acme.example"]
    assert (ana.target, ana.proposed_target) == (new, None)
    assert _score(demo, "ana.li@acme.example").total < before.total  # a higher bar now


def test_a_recascade_keeps_the_approved_target_and_the_split_rules(demo):
    _approve(demo, "ana.li", "800000")
    sent = len(_proposals(demo))
    reply = as_(demo, ADMIN).handle("/goals company sales_amount 14m Revenue")
    assert reply.ok, reply.cards[0].lines
    goals = _goals(demo, "revenue:")
    ana = goals["ana.li@acme.example"]
    assert (ana.target, ana.proposed_target) == (Decimal(800_000), None)
    east, sea = goals["Sales East"], goals["Sales SEA"]
    # Teams by headcount (7 and 6) in whole thousands, as the goals file said.
    assert (latest_target(east), latest_target(sea)) == (Decimal(7_538_000), Decimal(6_462_000))
    people = [g for g in goals.values() if g.parent_id == east.id]
    others = [latest_target(g) for g in people if g.id != ana.id]
    assert len(others) == 6 and sum(others) == Decimal(7_538_000 - 800_000)
    assert all(v is not None and v % 1000 == 0 for v in others)  # still whole thousands
    cards = _proposals(demo)[sent:]
    east_card = next(c for c in cards if "Sales East" in c["title"])
    lines = east_card["lines"][1:]
    assert not any(line.startswith("Ana Li:") for line in lines)  # only the differences
    assert lines[-1] == "Kept, approved by HR: Ana Li 800,000"
    assert sum("→" in line for line in lines) == 7  # the team and the six others
    # The manager can't re-split the approved target on the adjust form either.
    form = as_(demo, EAST_MANAGER).handle(f"press gl:adj {east.id}").cards[0].form
    assert form is not None
    values = {i.name: Decimal(i.initial) for i in form.inputs}
    ana_field = f"e{ana.employee_id}"
    other = next(k for k in values if k != ana_field)
    values[ana_field] -= 1000
    values[other] += 1000
    fields = " ".join(f"{k}={v}" for k, v in values.items())
    bad = as_(demo, EAST_MANAGER).handle(f"press gl:adjs {east.id} {fields}")
    assert not bad.ok and "approved by HR; change it with /kpi" in bad.errors[0][1]


def test_an_impossible_recascade_changes_nothing_and_says_why(demo):
    _approve(demo, "ana.li", "6m")
    before = {k: (g.target, g.proposed_target, g.status) for k, g in _goals(demo, "").items()}
    sent = len(_proposals(demo))
    reply = as_(demo, ADMIN).handle("/goals company sales_amount 10m Revenue")
    assert not reply.ok
    assert reply.cards[0].lines[0] == "Revenue was not changed:"
    why = reply.cards[0].lines[1]
    # 10,000,000 by headcount gives Sales East 5,385,000; Ana alone has 6,000,000.
    assert why.startswith("Sales East: its share of Revenue is 5,385,000 CNY")
    assert "(Ana Li 6,000,000) add up to 6,000,000, 615,000 more" in why
    assert "6 other people still need a part" in why
    after = {k: (g.target, g.proposed_target, g.status) for k, g in _goals(demo, "").items()}
    assert after == before and len(_proposals(demo)) == sent


GOALS = """
period: 2026-11
goals:
  - key: revenue
    title: Revenue
    metric: sales_amount
    target: {target}
    unit: CNY
    teams: [Sales East, Sales SEA]
    split: headcount
    people_split: last_share
    places: -3
"""


def test_the_goals_file_takes_the_same_way(demo, demo_url, tmp_path: Path):
    _approve(demo, "ana.li", "6m")
    file = tmp_path / "goals.yaml"
    file.write_text(GOALS.format(target=10_000_000))
    result = CliRunner().invoke(main, ["goals", "load", str(file), "--db", demo_url])
    assert result.exit_code == 1, result.output
    assert "nothing cascaded" in result.output and "Ana Li 6,000,000" in result.output
    assert latest_target(_goals(demo, "revenue")["revenue"]) == Decimal(13_000_000)
    file.write_text(GOALS.format(target=14_000_000))
    result = CliRunner().invoke(main, ["goals", "load", str(file), "--db", demo_url])
    assert result.exit_code == 0, result.output
    goals = _goals(demo, "revenue:")
    assert goals["ana.li@acme.example"].target == Decimal(6_000_000)
    east = [latest_target(g) for g in goals.values() if g.parent_id == goals["Sales East"].id]
    assert sum(v or 0 for v in east) == Decimal(7_538_000)


def test_bad_input_is_refused_without_a_change(demo):
    with demo.uow() as uow:
        goals = uow.session.scalar(select(func.count()).select_from(Goal))
    assert not as_(demo, EAST_MANAGER).handle("/goals company sales_amount 14m Revenue").ok
    assert not as_(demo, ADMIN).handle("/goals company sales_amount lots Revenue").ok
    assert not as_(demo, EAST_MANAGER).handle("press gl:cft 999999").ok
    with demo.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Goal)) == goals
