"""At-risk nudges (the sweep and a nudge's buttons) against the in-memory unit of work:
no database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from handlers import strings_en as t
from handlers.actor import Actor
from handlers.nudges.actions import message_person, snooze_nudges
from handlers.nudges.sweep import run_sweep
from handlers.nudges.sweep_calendar import SweepPolicy
from handlers.press import Press
from store.models import Employee, Goal, MetricFact, NudgeState
from tests.fakes.org import NOW, People, small_company
from tests.fakes.uow import FakeUnitOfWork

# Friday 20 November 2026: 15 of November's 21 business days have gone (71.43%).


@dataclass(frozen=True)
class Term:
    op: str
    facts: tuple[str, ...]


@dataclass(frozen=True)
class Spec:
    name: str
    numerator: Term
    denominator: Term | None = None
    scale: Decimal = Decimal(1)
    label: str | None = None


@dataclass(frozen=True)
class Scoring:
    specs: tuple[Any, ...]


SCORING = Scoring((Spec("sales_amount", Term("sum", ("sales_amount",)), label="Sales"),))


def goal(gid: int, who: Employee, target: str = "1000000") -> Goal:
    return Goal(
        id=gid,
        period_id=1,
        level="employee",
        employee_id=who.id,
        title="Sales",
        metric="sales_amount",
        target=Decimal(target),
        unit="",
        direction="higher",
        status="confirmed",
        updated_at=NOW,
    )


def fact(fid: int, who: Employee, value: str, metric: str = "sales_amount") -> MetricFact:
    return MetricFact(
        id=fid,
        employee_id=who.id,
        metric=metric,
        value=Decimal(value),
        occurred_on=date(2026, 11, 3),
        source="crm",
        record_id=f"r{fid}",
        fetched_at=NOW,
        void=False,
    )


@pytest.fixture
def org() -> tuple[FakeUnitOfWork, People]:
    uow, p = small_company()
    for row in (goal(1, p.ana), goal(2, p.bo), fact(1, p.ana, "400000"), fact(2, p.bo, "700000")):
        uow.add(row)
    return uow, p


def actor(e: Employee) -> Actor:
    return Actor(e.id, e.email, e.name, e.role, e.branch_id, "console", None)


def test_the_sweep_nudges_the_manager_once_a_week(org: tuple[FakeUnitOfWork, People]) -> None:
    uow, p = org
    report = run_sweep(uow=uow, scoring=SCORING, policy=SweepPolicy())  # type: ignore[arg-type]
    assert [(f.goal_id, f.decision, f.ratio) for f in report.findings] == [
        (1, "nudge", Decimal("56.00"))
    ], "Bo is at 98% of pace"
    (nudge,) = uow.outbox
    assert (nudge["dedupe_key"], nudge["recipient_id"]) == ("nudge:1:2026-W47", p.manager.id)
    assert nudge["payload"]["title"] == t.NUDGE_TITLE.format(name=p.ana.name, metric="Sales")
    state = uow.get(NudgeState, 1)
    assert state is not None and (state.behind_since, state.last_bucket) == (NOW, "2026-W47")
    assert [(a["action"], a["after"]["nudged"]) for a in uow.audits] == [("sweep.run", 1)]
    again = run_sweep(uow=uow, scoring=SCORING, policy=SweepPolicy())  # type: ignore[arg-type]
    assert [f.decision for f in again.findings] == ["already nudged"] and len(uow.outbox) == 1


def test_a_dry_run_writes_nothing_and_recovery_ends_the_episode(
    org: tuple[FakeUnitOfWork, People],
) -> None:
    uow, p = org
    dry = run_sweep(uow=uow, scoring=SCORING, policy=SweepPolicy(), dry_run=True)  # type: ignore[arg-type]
    assert dry.count("nudge") == 1 and uow.outbox == [] and uow.audits == [] and uow.commits == 0
    run_sweep(uow=uow, scoring=SCORING, policy=SweepPolicy())  # type: ignore[arg-type]
    uow.add(fact(3, p.ana, "500000"))
    later = run_sweep(uow=uow, scoring=SCORING, policy=SweepPolicy())  # type: ignore[arg-type]
    assert [f.decision for f in later.findings] == ["recovered"]
    state = uow.get(NudgeState, 1)
    assert state is not None and state.behind_since is None


def test_weekends_and_holidays_sit_out(org: tuple[FakeUnitOfWork, People]) -> None:
    uow, _ = org
    policy = SweepPolicy(holidays={"Berlin": {date(2026, 11, 20)}})
    report = run_sweep(uow=uow, scoring=SCORING, policy=policy, branch_ids=[2])  # type: ignore[arg-type]
    assert report.findings == () and [(s.branch, s.reason) for s in report.skipped] == [
        ("Berlin", "holiday")
    ]


def test_the_manager_snoozes_a_nudge(org: tuple[FakeUnitOfWork, People]) -> None:
    uow, p = org
    refused = snooze_nudges(Press("nd:snz", "1"), uow=uow, actor=actor(p.bo))
    assert not refused.ok and refused.cards[0].lines == (
        t.SNOOZE_NOT_YOURS.format(name=p.ana.name),
    )
    assert uow.get(NudgeState, 1) is None
    reply = snooze_nudges(Press("nd:snz", "1"), uow=uow, actor=actor(p.manager))
    assert reply.ok and reply.cards[0].title == t.SNOOZE_TITLE
    state = uow.get(NudgeState, 1)
    assert state is not None and state.snoozed_until == NOW + timedelta(days=7)
    assert refused.refusal is not None and [a["action"] for a in uow.audits] == ["nudge.snooze"]
    report = run_sweep(uow=uow, scoring=SCORING, policy=SweepPolicy())  # type: ignore[arg-type]
    assert [f.decision for f in report.findings] == ["snoozed"] and uow.outbox == []
    stale = snooze_nudges(Press("nd:snz", "99"), uow=uow, actor=actor(p.manager))
    assert stale.cards[0].lines == (t.UNKNOWN_ACTION,)


def test_message_shows_the_email_and_linked_accounts(org: tuple[FakeUnitOfWork, People]) -> None:
    uow, p = org
    contacts = {"slack": ("Slack: @{username}", "Slack: <@{user}>")}
    reply = message_person(
        Press("nd:msg", str(p.ana.id)), uow=uow, actor=actor(p.manager), contacts=contacts
    )
    assert reply.cards[0].lines == (t.CONTACT_EMAIL.format(email=p.ana.email), "Slack: @ana")
    refused = message_person(
        Press("nd:msg", str(p.ana.id)), uow=uow, actor=actor(p.bo), contacts=contacts
    )
    assert not refused.ok
