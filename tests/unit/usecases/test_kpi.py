"""The /kpi use cases (a manager asks HR to change a target; HR approves or rejects)
against the in-memory unit of work: no database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest

from handlers import strings_en as t
from handlers.actor import Actor
from handlers.commands import Kpi, PersonRef
from handlers.kpi.decide import approve_target_change, reject_target_change
from handlers.kpi.request import request_target_change
from handlers.press import Press
from store.models import Employee, Goal, KpiAdjustment, Score
from tests.fakes.org import NOW, People, small_company
from tests.fakes.uow import FakeUnitOfWork


@pytest.fixture
def org() -> tuple[FakeUnitOfWork, People]:
    """The small company; Ana's confirmed sales goal of 499 this month, her score 80."""
    uow, p = small_company()
    uow.add(
        Goal(
            id=102,
            period_id=1,
            level="employee",
            employee_id=p.ana.id,
            title="Revenue",
            metric="sales_amount",
            unit="CNY",
            target=D(499),
            proposed_target=None,
            status="confirmed",
            updated_at=NOW,
        )
    )
    uow.add(
        Score(
            id=1,
            employee_id=p.ana.id,
            period_id=1,
            total=D(80),
            coverage=D(1),
            breakdown={},
            computed_at=NOW,
        )
    )
    return uow, p


def actor(e: Employee) -> Actor:
    return Actor(e.id, e.email, e.name, e.role, e.branch_id, "console", None)


def lines(reply: Any) -> list[str]:
    return [line for card in reply.cards for line in card.lines]


def ask(uow: FakeUnitOfWork, by: Employee, target: str = "400", why: str = "market shrank") -> Any:
    cmd = Kpi(PersonRef("email", "ana.li@acme.example"), "sales_amount", D(target), why)
    return request_target_change(cmd, uow=uow, actor=actor(by))


def test_a_manager_asks_hr_for_a_new_target(org: tuple[FakeUnitOfWork, People]) -> None:
    uow, p = org
    uow.scores.stored[(p.ana.id, 1)] = {
        "dimensions": [{"metric": "sales_amount", "actual": 250, "attainment": 50}]
    }
    reply = ask(uow, p.manager)
    [adj] = uow.all(KpiAdjustment)
    assert (adj.goal_id, adj.requested_by, adj.old_target, adj.new_target) == (
        102,
        p.manager.id,
        D(499),
        D(400),
    )
    assert adj.effective_from == date(2026, 11, 1) and adj.reason == "market shrank"
    assert lines(reply) == [t.KPI_SENT.format(id=adj.id, name="Ana Li", old="499", new="400")]
    assert [a["action"] for a in uow.audits] == ["kpi.request"]
    [sent] = uow.outbox
    assert (sent["kind"], sent["recipient_id"]) == ("kpi.approval", p.hr_berlin.id)
    assert [t.KPI_NOW, "250 (50%)"] in [list(f) for f in reply.notices[0].card.fields]
    assert uow.get(Goal, 102).target == D(499), "nothing changes before HR decides"  # type: ignore[union-attr]


def test_requests_refused(org: tuple[FakeUnitOfWork, People]) -> None:
    uow, p = org
    not_manager = ask(uow, p.bo)
    assert not not_manager.ok and not_manager.refusal is not None
    assert lines(ask(uow, p.manager, why=" ")) == [t.KPI_NO_REASON]
    assert ask(uow, p.manager).ok
    [adj] = uow.all(KpiAdjustment)
    assert lines(ask(uow, p.manager, "450")) == [t.KPI_PENDING.format(id=adj.id)]
    assert len(uow.all(KpiAdjustment)) == 1


def pending(uow: FakeUnitOfWork, p: People) -> KpiAdjustment:
    adj = KpiAdjustment(
        id=7,
        goal_id=102,
        requested_by=p.manager.id,
        old_target=D(499),
        new_target=D(400),
        reason="market shrank",
        status="pending",
        effective_from=date(2026, 11, 1),
        created_at=NOW,
    )
    uow.add(adj)
    return adj


def test_hr_approves_the_target_counts_and_the_score_follows(
    org: tuple[FakeUnitOfWork, People],
) -> None:
    uow, p = org
    adj = pending(uow, p)
    calls: list[tuple[int, list[int]]] = []

    def rescore(u: Any, period_id: int, people: list[int]) -> None:
        calls.append((period_id, people))
        u.scores.stored[(p.ana.id, 1)] = {"total": "95"}  # what scores.total reads

    reply = approve_target_change(
        Press("kp:ok", "7"), uow=uow, actor=actor(p.hr_berlin), rescore=rescore
    )
    goal = uow.get(Goal, 102)
    assert goal is not None and goal.target == D(400) and goal.status == "confirmed"
    assert (adj.status, adj.decided_by) == ("approved", p.hr_berlin.id)
    assert calls == [(1, [p.ana.id])]
    assert lines(reply) == [
        t.KPI_APPROVED.format(
            name="Ana Li", goal="Revenue", new="400", old="499", since="2026-11-01", score="95"
        )
    ]
    assert [a["action"] for a in uow.audits] == ["kpi.approve"]
    assert [o["recipient_id"] for o in uow.outbox] == [p.manager.id, p.ana.id]
    again = approve_target_change(
        Press("kp:ok", "7"), uow=uow, actor=actor(p.hr_berlin), rescore=rescore
    )
    assert lines(again) == [t.ALREADY_HANDLED] and len(calls) == 1


def test_only_hr_covering_the_person_decides(org: tuple[FakeUnitOfWork, People]) -> None:
    uow, p = org
    adj = pending(uow, p)
    reply = approve_target_change(
        Press("kp:ok", "7"), uow=uow, actor=actor(p.manager), rescore=lambda *_: None
    )
    assert not reply.ok and lines(reply) == [t.KPI_NOT_HR.format(name="Ana Li")]
    assert adj.status == "pending" and uow.get(Goal, 102).target == D(499)  # type: ignore[union-attr]


def test_hr_rejects_with_a_reason(org: tuple[FakeUnitOfWork, People]) -> None:
    uow, p = org
    adj = pending(uow, p)
    asked = reject_target_change(Press("kp:no", "7"), uow=uow, actor=actor(p.hr_hq))
    assert asked.ok and asked.cards[0].form is not None and adj.status == "pending"
    empty = reject_target_change(
        Press("kp:no", "7", {"reason": " "}), uow=uow, actor=actor(p.hr_hq)
    )
    assert not empty.ok and empty.errors == (("reason", t.KPI_REJECT_NEEDS_REASON),)
    reply = reject_target_change(
        Press("kp:no", "7", {"reason": "target is fair"}), uow=uow, actor=actor(p.hr_hq)
    )
    assert (adj.status, adj.decision_note) == ("rejected", "target is fair")
    assert lines(reply) == [
        t.KPI_REJECTED.format(name="Ana Li", goal="Revenue", old="499", note="target is fair")
    ]
    assert [o["recipient_id"] for o in uow.outbox] == [p.manager.id], "the manager is told"
    assert uow.get(Goal, 102).target == D(499) and uow.commits == 1  # type: ignore[union-attr]
