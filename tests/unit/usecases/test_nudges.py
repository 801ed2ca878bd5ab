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
from handlers.cards import Card
from handlers.nudges.actions import message_person, snooze_nudges, snooze_person
from handlers.nudges.sweep import run_sweep
from handlers.nudges.sweep_calendar import SweepPolicy
from handlers.press import Press
from store.models import Employee, Goal, KpiAdjustment, MetricFact, NudgeState
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


SCORING = Scoring(
    (
        Spec("sales_amount", Term("sum", ("sales_amount",)), label="Sales"),
        *(Spec(f"m{i}", Term("sum", (f"m{i}",)), label=f"M{i}") for i in range(1, 4)),
    )
)


def goal(gid: int, who: Employee, target: str = "1000000", metric: str = "sales_amount") -> Goal:
    return Goal(
        id=gid,
        period_id=1,
        level="employee",
        employee_id=who.id,
        title="Sales" if metric == "sales_amount" else metric.title(),
        metric=metric,
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
    assert nudge["dedupe_key"].startswith("digest:4:2026-11-20:")
    assert nudge["recipient_id"] == p.manager.id
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


def test_six_goals_behind_for_one_manager_make_one_card(
    org: tuple[FakeUnitOfWork, People],
) -> None:
    uow, p = org
    uow.get(Goal, 2).target = Decimal(5_000_000)  # Bo's sales now behind too
    for i, metric in enumerate(("m1", "m2", "m3"), start=1):  # Ana behind on three more
        uow.add(goal(10 + i, p.ana, "100", metric))
        uow.add(fact(10 + i, p.ana, str(10 * i), metric))
    uow.add(goal(20, p.bo, "100", "m1"))
    uow.add(fact(20, p.bo, "5", "m1"))
    report = run_sweep(uow=uow, scoring=SCORING, policy=SweepPolicy())  # type: ignore[arg-type]
    assert report.count("nudge") == 6
    (digest,) = uow.outbox
    assert digest["recipient_id"] == p.manager.id
    card = Card.from_dict(digest["payload"])
    assert card.title == "2 people on your team are behind pace"
    people = [line for line in card.lines if line.startswith("• ")]
    assert len(people) == 2 and people[0].startswith("• Bo Wu is at 7% of pace on M1")
    assert people[1].startswith("• Ana Li is at 14% of pace on M1")  # her worst goal first
    snoozes = [(b.label, b.value) for b in card.buttons if b.action == "nd:snzp"]
    assert snoozes == [("Snooze Bo Wu 1 week", str(p.bo.id)), ("Snooze Ana Li 1 week", "5")]
    message = next(b for b in card.buttons if b.action == "nd:msg" and b.value == "5")
    assert message.chat == (("slack", "U05", "ana"),)
    again = run_sweep(uow=uow, scoring=SCORING, policy=SweepPolicy())  # type: ignore[arg-type]
    assert again.count("nudge") == 0 and len(uow.outbox) == 1


def test_snoozing_a_person_quiets_all_their_goals(org: tuple[FakeUnitOfWork, People]) -> None:
    uow, p = org
    uow.add(goal(11, p.ana, "100", "m1"))
    refused = snooze_person(Press("nd:snzp", str(p.ana.id)), uow=uow, actor=actor(p.bo))
    assert not refused.ok and refused.refusal is not None
    reply = snooze_person(Press("nd:snzp", str(p.ana.id)), uow=uow, actor=actor(p.manager))
    assert reply.cards[0].lines == (t.SNOOZED_PERSON.format(name="Ana Li", until="2026-11-27"),)
    for gid in (1, 11):
        state = uow.get(NudgeState, gid)
        assert state is not None and state.snoozed_until == NOW + timedelta(days=7)
    assert uow.audits[-1]["after"]["goals"] == [1, 11]
    report = run_sweep(uow=uow, scoring=SCORING, policy=SweepPolicy())  # type: ignore[arg-type]
    assert {f.decision for f in report.findings} == {"snoozed"} and uow.outbox == []


def test_waiting_goals_and_target_changes_are_reminded_once_in_the_digest(
    org: tuple[FakeUnitOfWork, People],
) -> None:
    uow, p = org
    old = NOW - timedelta(days=7)  # five business days ago
    waits = goal(30, p.bo, "50", "m2")
    waits.status, waits.updated_at = "proposed", old
    unacked = goal(31, p.ana, "50", "m3")
    unacked.updated_at = old
    fresh = goal(32, p.bo, "50", "m3")
    fresh.status = "proposed"  # changed today: not yet
    change = KpiAdjustment(id=40, goal_id=1, requested_by=p.manager.id, old_target=Decimal(1),
                           new_target=Decimal(900000), reason="r", status="pending",
                           created_at=old)  # fmt: skip
    for row in (waits, unacked, fresh, change):
        uow.add(row)
    uow.get(Goal, 1).updated_at = old  # Ana's sales goal waits for her acknowledgement too
    run_sweep(uow=uow, scoring=SCORING, policy=SweepPolicy(remind_after_days=3))  # type: ignore[arg-type]
    cards = {r["recipient_id"]: Card.from_dict(r["payload"]) for r in uow.outbox}
    manager = cards[p.manager.id]
    assert "Confirm Bo Wu's target on M2 (waiting 5 business days)." in " ".join(manager.lines)
    assert ("gl:cf", "30") in [(b.action, b.value) for b in manager.buttons]
    assert all("M3" not in line for line in manager.lines if "Confirm" in line)
    ana = cards[p.ana.id]
    assert ana.title == t.DIGEST_WAITING_TITLE
    assert [(b.action, b.value) for b in ana.buttons] == [("gl:ack", "1"), ("gl:ack", "31")]
    hr = cards[p.hr_berlin.id]
    assert hr.lines == (
        "• Approve or reject the change of Ana Li's target on Sales to 900,000"
        " (waiting 5 business days).",
    )
    assert [b.action for b in hr.buttons] == ["kp:ok", "kp:no"]
    assert uow.get(Goal, 30).reminded_at == NOW and change.reminded_at == NOW
    sent = len(uow.outbox)
    run_sweep(uow=uow, scoring=SCORING, policy=SweepPolicy(remind_after_days=3))  # type: ignore[arg-type]
    assert len(uow.outbox) == sent, "reminded once"
