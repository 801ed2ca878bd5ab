"""The goals use cases (view, progress, acknowledge, confirm and adjust, company goals and
their cascade) against the in-memory unit of work: no database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from types import SimpleNamespace
from typing import Any

import pytest

from handlers import strings_en as t
from handlers.actor import Actor
from handlers.commands import CompanyGoal, GoalAck, Goals, GoalUpdate, PersonRef
from handlers.goals.ack import acknowledge_goal
from handlers.goals.cascade import run_cascade
from handlers.goals.company import set_company_goal
from handlers.goals.confirm import (
    adjust_form,
    confirm_goal,
    confirm_team_targets,
    submit_adjustment,
)
from handlers.goals.file import CompanyGoalSpec, GoalsFile
from handlers.goals.update import update_goal_progress
from handlers.goals.view import show_goals
from handlers.press import Press
from handlers.scores.compute import ScoringSetup
from store.models import Employee, Goal, GoalUpdateLog, KpiAdjustment, Period, Team
from tests.fakes.org import NOW, People, small_company
from tests.fakes.uow import FakeUnitOfWork

ANA_KEY, BO_KEY = "rev:ana.li@acme.example", "rev:bo.wu@acme.example"


def goal(gid: int, level: str, target: str | None, **kw: Any) -> Goal:
    fields: dict[str, Any] = {
        "period_id": 1,
        "title": "Revenue",
        "metric": "sales_amount",
        "unit": "",
        "direction": "higher",
        "rule": "equal",
        "places": 0,
        "status": "proposed",
        "proposed_target": None,
        "progress": None,
        "updated_at": NOW,
    }
    return Goal(id=gid, level=level, target=D(target) if target else None, **{**fields, **kw})


@pytest.fixture
def org() -> tuple[FakeUnitOfWork, People]:
    """The small company with a Sales team (Chen's: Ana and Bo), this month's revenue goal
    cascaded to them (1,000 split 499/501, waiting for Chen) and Ana's own manual goal."""
    uow, p = small_company()
    uow.add(Team(id=1, name="Sales", branch_id=2, manager_id=p.manager.id))
    for e in (p.ana, p.bo, p.gone):
        e.team_id = 1
    for g in (
        goal(100, "company", "1000", key="rev", rule="headcount", status="confirmed"),
        goal(101, "team", "1000", key="rev:Sales", parent_id=100, team_id=1),
        goal(102, "employee", "499", key=ANA_KEY, parent_id=101, team_id=1, employee_id=5),
        goal(103, "employee", "501", key=BO_KEY, parent_id=101, team_id=1, employee_id=6),
        goal(
            104,
            "employee",
            None,
            title="Ship the API",
            metric=None,
            employee_id=5,
            status="confirmed",
        ),
    ):
        uow.add(g)
    return uow, p


def actor(e: Employee) -> Actor:
    return Actor(e.id, e.email, e.name, e.role, e.branch_id, "console", None)


def lines(reply: Any) -> list[str]:
    return [line for card in reply.cards for line in card.lines]


class Rescores:
    """A rescore callback that records what it was asked to re-score."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, list[int]]] = []

    def __call__(self, uow: Any, period_id: int, people: list[int]) -> None:
        self.calls.append((period_id, people))


# -- view, progress, acknowledge ---------------------------------------------------------


def test_goals_card_shows_progress_and_the_buttons_each_viewer_gets(
    org: tuple[FakeUnitOfWork, People],
) -> None:
    uow, p = org
    uow.scores.stored[(p.ana.id, 1)] = {
        "dimensions": [{"metric": "sales_amount", "actual": 250, "attainment": 50}]
    }
    mine = show_goals(Goals(), uow=uow, actor=actor(p.ana))
    assert lines(mine) == [
        "#102 Revenue: 250 of 499 (50%) · " + t.GOAL_STATUS.get("proposed", "proposed"),
        "#104 Ship the API: not started · " + t.GOAL_STATUS.get("confirmed", "confirmed"),
    ]
    assert [b.value for b in mine.cards[0].buttons] == ["104"], "acknowledge the confirmed one"
    managers = show_goals(Goals(PersonRef("email", p.ana.email)), uow=uow, actor=actor(p.manager))
    assert [(b.action, b.value) for b in managers.cards[0].buttons] == [
        ("gl:cf", "102"),
        ("gl:adj", "101"),
    ]
    refused = show_goals(Goals(PersonRef("email", p.ana.email)), uow=uow, actor=actor(p.bo))
    assert not refused.ok and refused.refusal is not None and uow.audits == []


def test_progress_is_logged_audited_and_told_to_the_manager(
    org: tuple[FakeUnitOfWork, People],
) -> None:
    uow, p = org
    cmd = GoalUpdate(104, D(60), "https://git.example/pr/1", "API done")
    reply = update_goal_progress(cmd, uow=uow, actor=actor(p.ana))
    assert reply.ok and lines(reply) == [
        t.GOAL_UPDATED.format(id=104, title="Ship the API", percent=D(60))
    ]
    assert uow.get(Goal, 104).progress == D(60)  # type: ignore[union-attr]
    [log] = uow.all(GoalUpdateLog)
    assert (log.goal_id, log.author_id, log.link) == (104, p.ana.id, "https://git.example/pr/1")
    assert [a["action"] for a in uow.audits] == ["goal.progress"]
    assert [(o["kind"], o["recipient_id"]) for o in uow.outbox] == [("goal.progress", 4)]
    assert uow.outbox[0]["dedupe_key"] == f"goal-progress:{log.id}" and uow.commits == 1


def test_progress_refused_for_someone_elses_goal_and_a_measured_one(
    org: tuple[FakeUnitOfWork, People],
) -> None:
    uow, p = org
    stranger = update_goal_progress(GoalUpdate(104, D(60), None, ""), uow=uow, actor=actor(p.bo))
    assert not stranger.ok and stranger.refusal is not None
    measured = update_goal_progress(GoalUpdate(102, D(60), None, ""), uow=uow, actor=actor(p.ana))
    assert lines(measured) == [t.GOAL_NUMERIC.format(id=102)]
    assert measured.cards[0].title == t.GOAL_UPDATE_REFUSED_TITLE, "never 'Progress updated'"
    assert uow.get(Goal, 104).progress is None and not uow.all(GoalUpdateLog)  # type: ignore[union-attr]


def test_acknowledging_confirmed_goals(org: tuple[FakeUnitOfWork, People]) -> None:
    uow, p = org
    not_mine = acknowledge_goal(GoalAck(104), uow=uow, actor=actor(p.bo))
    assert not not_mine.ok and lines(not_mine) == [t.NOT_YOUR_GOAL]
    unconfirmed = acknowledge_goal(GoalAck(102), uow=uow, actor=actor(p.ana))
    assert lines(unconfirmed) == [t.GOAL_NOT_CONFIRMED]
    assert unconfirmed.cards[0].title == t.ACK_REFUSED_TITLE
    reply = acknowledge_goal(GoalAck(None), uow=uow, actor=actor(p.ana))
    assert lines(reply) == [t.ACKED.format(goals="1 goal")]
    assert uow.get(Goal, 104).status == "acknowledged"  # type: ignore[union-attr]
    assert uow.get(Goal, 102).status == "proposed"  # type: ignore[union-attr]
    assert [(a["action"], a["entity_id"]) for a in uow.audits] == [("goal.acknowledge", "104")]
    again = acknowledge_goal(GoalAck(None), uow=uow, actor=actor(p.ana))
    assert lines(again) == [t.NOTHING_TO_ACK] and uow.commits == 1


# -- the manager confirms or adjusts ---------------------------------------------------


def test_confirming_a_team_proposal_confirms_everyone_and_rescores(
    org: tuple[FakeUnitOfWork, People],
) -> None:
    uow, p = org
    rescores = Rescores()
    reply = confirm_team_targets(
        Press("gl:cft", "101"), uow=uow, actor=actor(p.manager), rescore=rescores
    )
    assert lines(reply) == [t.CONFIRMED.format(goals="3 goals", team="Sales")]
    assert {g.id: g.status for g in uow.all(Goal)} == {
        100: "confirmed",
        101: "confirmed",
        102: "confirmed",
        103: "confirmed",
        104: "confirmed",
    }
    assert [a["entity_id"] for a in uow.audits if a["action"] == "goal.confirm"] == [
        "101",
        "102",
        "103",
    ]
    assert [(o["kind"], o["recipient_id"]) for o in uow.outbox] == [
        ("goal.confirmed", 5),
        ("goal.confirmed", 6),
    ]
    assert rescores.calls == [(1, [5, 6])] and uow.commits == 1
    again = confirm_team_targets(Press("gl:cft", "101"), uow=uow, actor=actor(p.manager))
    assert lines(again) == [t.ALREADY_HANDLED]


def test_only_the_teams_manager_confirms(org: tuple[FakeUnitOfWork, People]) -> None:
    uow, p = org
    reply = confirm_goal(Press("gl:cf", "102"), uow=uow, actor=actor(p.bo))
    assert not reply.ok and lines(reply) == [t.NOT_TEAM_MANAGER.format(team="Sales")]
    assert uow.get(Goal, 102).status == "proposed" and not uow.outbox  # type: ignore[union-attr]
    by_goal = confirm_goal(Press("gl:cf", "102"), uow=uow, actor=actor(p.manager))
    assert by_goal.ok and uow.get(Goal, 103).status == "confirmed"  # type: ignore[union-attr]


def test_adjusting_targets_that_add_up(org: tuple[FakeUnitOfWork, People]) -> None:
    uow, p = org
    form = adjust_form(Press("gl:adj", "101"), uow=uow, actor=actor(p.manager))
    card_form = form.cards[0].form
    assert card_form is not None
    assert [(i.name, i.label, i.initial) for i in card_form.inputs] == [
        ("e5", "Ana Li", "499"),
        ("e6", "Bo Wu", "501"),
    ]
    bo = uow.get(Goal, 103)
    assert bo is not None
    bo.proposed_target = D("5E+2")  # a round target, as Decimal arithmetic leaves it
    again = adjust_form(Press("gl:adj", "101"), uow=uow, actor=actor(p.manager)).cards[0].form
    assert again is not None and again.inputs[1].initial == "500", "plain digits, never 5E+2"
    bo.proposed_target = None
    off = submit_adjustment(
        Press("gl:adjs", "101", {"e5": "600", "e6": "501"}), uow=uow, actor=actor(p.manager)
    )
    assert not off.ok and off.errors == (("e5", t.ADJUST_SUM.format(got="1,101", want="1,000")),)
    assert uow.get(Goal, 102).target == D(499) and not uow.audits  # type: ignore[union-attr]
    rescores = Rescores()
    ok = submit_adjustment(
        Press("gl:adjs", "101", {"e5": "600", "e6": "400"}),
        uow=uow,
        actor=actor(p.manager),
        rescore=rescores,
    )
    assert ok.ok and lines(ok) == [t.CONFIRMED.format(goals="2 goals", team="Sales")]
    assert [(g.target, g.status) for g in (uow.get(Goal, 102), uow.get(Goal, 103))] == [  # type: ignore[union-attr]
        (D(600), "confirmed"),
        (D(400), "confirmed"),
    ]
    assert [a["action"] for a in uow.audits].count("goal.adjust") == 2
    assert rescores.calls == [(1, [5, 6])]


def test_a_target_hr_approved_is_not_adjusted_here(org: tuple[FakeUnitOfWork, People]) -> None:
    uow, p = org
    uow.add(
        KpiAdjustment(
            id=1,
            goal_id=102,
            requested_by=4,
            old_target=D(400),
            new_target=D(499),
            reason="r",
            status="approved",
            created_at=NOW,
        )
    )
    reply = submit_adjustment(
        Press("gl:adjs", "101", {"e5": "600", "e6": "400"}), uow=uow, actor=actor(p.manager)
    )
    assert reply.errors == (("e5", t.ADJUST_APPROVED.format(name="Ana Li", target="499")),)
    assert uow.get(Goal, 102).status == "proposed" and uow.commits == 0  # type: ignore[union-attr]


# -- company goals and the cascade -----------------------------------------------------


def scoring(rate: bool = False) -> ScoringSetup:
    """A scorecard (sales_rep) with sales_amount and csat; csat is a rate."""
    dims = [
        SimpleNamespace(metric="sales_amount", label="Sales"),
        SimpleNamespace(metric="csat", label=""),
    ]
    config = SimpleNamespace(scorecards={"sales_rep": SimpleNamespace(dimensions=dims)})
    specs = (
        SimpleNamespace(name="sales_amount", denominator=None),
        SimpleNamespace(name="csat", denominator=SimpleNamespace(op="count", facts=("x",))),
    )
    return ScoringSetup(config, specs)  # type: ignore[arg-type]


def test_shifting_a_company_goal_re_proposes_the_split(org: tuple[FakeUnitOfWork, People]) -> None:
    uow, p = org
    cmd = CompanyGoal("sales_amount", D(2000), "Revenue")
    reply = set_company_goal(cmd, uow=uow, actor=actor(p.admin), scoring=scoring())
    assert reply.ok, lines(reply)
    assert [(g.id, g.target) for g in uow.all(Goal)][:4] == [
        (100, D(2000)),
        (101, D(2000)),
        (102, D(1000)),
        (103, D(1000)),
    ]
    assert [(o["kind"], o["recipient_id"]) for o in uow.outbox] == [("goal.proposal", 4)]
    assert lines(reply) == [
        t.COMPANY_GOAL_DONE.format(
            title="Revenue",
            target="2,000",
            period="2026-11",
            teams="Sales",
            created="0 goals",
            changed=4,
            managers="1 manager",
        )
    ]
    assert "0 goals created, 4 changed; 1 manager asked to confirm." in lines(reply)[0]


def test_a_new_rate_goal_is_carried_whole(org: tuple[FakeUnitOfWork, People]) -> None:
    uow, p = org
    cmd = CompanyGoal("csat", D(92), "Happy customers")
    reply = set_company_goal(cmd, uow=uow, actor=actor(p.admin), scoring=scoring())
    made = [g for g in uow.all(Goal) if g.metric == "csat"]
    assert reply.ok and [(g.level, g.employee_id, g.target) for g in made] == [
        ("company", None, D(92)),
        ("team", None, D(92)),
        ("employee", 5, D(92)),
        ("employee", 6, D(92)),
    ]
    assert [g.parent_id for g in made[1:]] == [made[0].id, made[1].id, made[1].id]
    assert [a["action"] for a in uow.audits] == ["goal.propose"] * 4


def test_company_goals_are_refused_to_non_admins_and_unknown_metrics(
    org: tuple[FakeUnitOfWork, People],
) -> None:
    uow, p = org
    by_manager = set_company_goal(
        CompanyGoal("sales_amount", D(5), "R"), uow=uow, actor=actor(p.manager), scoring=scoring()
    )
    assert lines(by_manager) == [t.COMPANY_GOAL_ADMIN]
    assert by_manager.refusal is not None and uow.audits == []
    unknown = set_company_goal(
        CompanyGoal("nope", D(5), "R"), uow=uow, actor=actor(p.admin), scoring=scoring()
    )
    assert lines(unknown) == [t.COMPANY_GOAL_METRIC.format(metric="nope")]
    assert uow.get(Goal, 100).target == D(1000)  # type: ignore[union-attr]


def spec(key: str, target: str, **kw: Any) -> CompanyGoalSpec:
    fields: dict[str, Any] = {"unit": "", "direction": "higher", "split": "same"}
    return CompanyGoalSpec(
        key, "Revenue", "sales_amount", D(target), teams=("Sales",), **{**fields, **kw}
    )


def test_the_cascade_splits_by_last_periods_share(org: tuple[FakeUnitOfWork, People]) -> None:
    uow, _ = org
    uow.add(
        Period(
            id=2,
            key="2026-10",
            kind="month",
            starts_on=date(2026, 10, 1),
            ends_on=date(2026, 10, 31),
            status="closed",
        )
    )
    uow.goals.stored_actuals[("sales_amount", date(2026, 10, 1), 5)] = D(300)
    uow.goals.stored_actuals[("sales_amount", date(2026, 10, 1), 6)] = D(100)
    gf = GoalsFile("2026-11", (spec("rev", "1000", people_split="last_share"),))
    report = run_cascade(gf, uow=uow, scoring=scoring(), actor="admin")
    assert not report.refused and report.managers_notified == ["chen.jing@acme.example"]
    assert [uow.get(Goal, i).target for i in (102, 103)] == [D(750), D(250)]  # type: ignore[union-attr]
    assert uow.commits == 1


def test_the_cascade_refuses_a_second_target_for_the_same_metric(
    org: tuple[FakeUnitOfWork, People],
) -> None:
    uow, _ = org
    gf = GoalsFile("2026-11", (spec("other", "1000"),))
    report = run_cascade(gf, uow=uow, scoring=scoring(), actor="admin")
    assert report.refused == [
        t.CASCADE_TWIN.format(
            goal="Revenue", people="Ana Li, Bo Wu", metric="sales_amount", other="rev"
        )
    ]
    assert uow.commits == 0 and not uow.outbox and not uow.audits
