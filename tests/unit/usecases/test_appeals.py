"""The appeals use cases (file, list, ask and answer, reject, accept, escalate, the SLA
check, the correction watch) against the in-memory unit of work: no database."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from handlers import strings_en as t
from handlers.actor import Actor
from handlers.appeals.accept import press_accept
from handlers.appeals.correction_watch import watch_corrections
from handlers.appeals.escalate import press_escalate
from handlers.appeals.file import file_appeal
from handlers.appeals.list import list_appeals
from handlers.appeals.reject import press_reject
from handlers.appeals.sla import check_appeal_slas
from handlers.appeals.talk import press_answer, press_ask
from handlers.appeals.window import card_period
from handlers.cards import Card, Reply
from handlers.commands import Appeal as AppealCmd
from handlers.press import Press
from store.models import Appeal, Employee, FigureCorrection, MetricFact, Period, Score
from tests.fakes.org import NOW, People, small_company
from tests.fakes.uow import FakeUnitOfWork

DEALS = {
    "pos": 1,
    "metric": "deals",
    "label": "Deals won",
    "kind": "metric",
    "actual": Decimal("3"),
    "target": Decimal("5"),
    "attainment": Decimal("60"),
    "sources": "crm",
}
NO_SCORING: Any = SimpleNamespace(specs=(), config=None)  # plain sums of each metric's facts


def fact(fid: int, day: int, value: str = "1", *, void: bool = False) -> MetricFact:
    return MetricFact(
        id=fid,
        employee_id=5,
        metric="deals",
        value=Decimal(value),
        occurred_on=date(2026, 11, day),
        source="crm",
        record_id=f"D{fid}",
        link=None,
        fetched_at=NOW - timedelta(days=1),
        raw=None,
        void=void,
    )


@pytest.fixture
def org() -> tuple[FakeUnitOfWork, People]:
    """The small company, Ana scored on three deals (a fourth record voided) in 2026-11."""
    uow, p = small_company()
    uow.scores.stored[(p.ana.id, 1)] = {"total": "80.00", "dimensions": [dict(DEALS)]}  # type: ignore[attr-defined]
    for row in (fact(1, 3), fact(2, 9), fact(3, 12), fact(4, 13, void=True)):
        uow.add(row)
    uow.add(Score(id=1, employee_id=5, period_id=1, total=Decimal("80"), coverage=Decimal(1)))
    return uow, p


def actor(e: Employee) -> Actor:
    return Actor(e.id, e.email, e.name, e.role, e.branch_id, "console", None)


def lines(reply: Reply) -> list[str]:
    return [line for card in reply.cards for line in card.lines]


def file(uow: FakeUnitOfWork, who: Employee, metric: str = "deals") -> Reply:
    cmd = AppealCmd(metric, "I closed a fourth deal on the 18th")
    return file_appeal(
        cmd, uow=uow, actor=actor(who), scoring=None, refetch=None, appeal_window=None
    )


def filed(uow: FakeUnitOfWork, p: People) -> Appeal:
    file(uow, p.ana)
    (appeal,) = uow.all(Appeal)
    uow.audits.clear()
    uow.outbox.clear()
    return appeal


def test_filing_puts_a_card_in_front_of_the_manager(org: tuple[FakeUnitOfWork, People]) -> None:
    uow, p = org
    reply = file(uow, p.ana)
    (appeal,) = uow.all(Appeal)
    assert (appeal.status, appeal.handler_id, appeal.metric) == ("open", p.manager.id, "deals")
    assert appeal.disputed_value == Decimal("3") and appeal.details == ""
    assert lines(reply)[0] == t.AP_OPENED.format(label="Deals won", period="2026-11", figure="3")
    (sent,) = uow.outbox
    assert (sent["recipient_id"], sent["dedupe_key"]) == (p.manager.id, f"appeal:{appeal.id}:open")
    card = sent["payload"]
    assert card["title"] == t.AP_CARD_TITLE.format(id=appeal.id, name="Ana Li", label="Deals won")
    assert t.AP_CARD_RECORDS.format(shown=3, count=3) in card["lines"], "the voided one left out"
    assert [a["action"] for a in uow.audits] == ["appeal.open"]
    assert uow.audits[0]["after"]["handler"] == p.manager.email and uow.commits == 1


def test_filing_is_refused_twice_or_without_a_score(org: tuple[FakeUnitOfWork, People]) -> None:
    uow, p = org
    appeal = filed(uow, p)
    again = file(uow, p.ana, "deals")
    assert not again.ok
    assert lines(again) == [
        t.AP_DUPLICATE.format(id=appeal.id, label="Deals won", period="2026-11")
    ]
    unknown = file(uow, p.ana, "calls")
    assert lines(unknown) == [t.AP_UNKNOWN_METRIC.format(metric="calls", choices="Deals won")]
    nothing = file(uow, p.bo)
    assert lines(nothing) == [t.AP_NO_SCORE.format(period="2026-11")]
    assert len(uow.all(Appeal)) == 1 and not uow.outbox


def test_a_closed_period_past_its_window_is_not_appealable(
    org: tuple[FakeUnitOfWork, People],
) -> None:
    uow, p = org
    closed_at = datetime.fromisoformat("2026-11-01T10:00:00+00:00")
    uow.add(
        Period(
            id=2,
            key="2026-10",
            kind="month",
            starts_on=date(2026, 10, 1),
            ends_on=date(2026, 10, 31),
            status="closed",
            closed_at=closed_at,
        )
    )
    found = card_period(uow, actor(p.ana), 2)
    assert isinstance(found, Reply) and not found.ok
    assert lines(found) == [
        t.AP_WINDOW_OVER.format(period="2026-10", deadline="2026-11-13", days=10)
    ]
    current = card_period(uow, actor(p.ana), None)
    assert not isinstance(current, Reply) and (current[0].key, current[1]) == ("2026-11", None)


def test_my_appeals_are_listed(org: tuple[FakeUnitOfWork, People]) -> None:
    uow, p = org
    appeal = filed(uow, p)
    reply = list_appeals(uow, actor(p.ana))
    state = t.AP_STATE_OPEN.format(name="Chen Jing")
    assert lines(reply) == [
        t.AP_LIST_LINE.format(
            id=appeal.id, label="Deals won", period="2026-11", filed="2026-11-20", state=state
        )
    ]
    assert lines(list_appeals(uow, actor(p.bo))) == [t.AP_LIST_EMPTY]


def test_the_manager_rejects_with_a_reason(org: tuple[FakeUnitOfWork, People]) -> None:
    uow, p = org
    a = filed(uow, p)
    asked = press_reject(Press("ap:rej", str(a.id)), uow=uow, actor=actor(p.manager))
    assert asked.cards[0].form is not None and a.status == "open"
    press = Press("ap:rej", str(a.id), {"reason": "That deal closed in December"})
    reply = press_reject(press, uow=uow, actor=actor(p.manager))
    assert lines(reply) == [t.AP_REJECT_DONE.format(name="Ana Li")]
    assert (a.status, a.resolution_note, a.resolved_by) == (
        "rejected",
        "That deal closed in December",
        p.manager.id,
    )
    (told,) = uow.outbox
    assert (told["recipient_id"], told["dedupe_key"]) == (p.ana.id, f"appeal:{a.id}:outcome")
    assert [e["action"] for e in uow.audits] == ["appeal.reject"]


def test_only_the_appellants_managers_decide(org: tuple[FakeUnitOfWork, People]) -> None:
    uow, p = org
    a = filed(uow, p)
    press = Press("ap:rej", str(a.id), {"reason": "no"})
    own = press_reject(press, uow=uow, actor=actor(p.ana))
    assert lines(own) == [t.AP_OWN] and not own.ok
    peer = press_reject(press, uow=uow, actor=actor(p.bo))
    assert lines(peer) == [t.AP_NOT_YOURS.format(name="Ana Li")]
    assert a.status == "open" and not uow.outbox
    assert own.refusal and peer.refusal and uow.audits == [], "refused: the dispatcher audits"
    stale = press_reject(Press("ap:rej", "999"), uow=uow, actor=actor(p.manager))
    assert lines(stale) == [t.AP_NO_SUCH]


def test_questions_and_answers_go_back_and_forth(org: tuple[FakeUnitOfWork, People]) -> None:
    uow, p = org
    a = filed(uow, p)
    ask = Press("ap:ask", str(a.id), {"question": "Which deal?"})
    reply = press_ask(ask, uow=uow, actor=actor(p.manager))
    assert lines(reply) == [t.AP_ASKED.format(name="Ana Li")]
    assert a.status == "needs_info" and "Which deal?" in a.details
    answer = Press("ap:ans", str(a.id), {"answer": "ACME, signed on the 18th"})
    peer = press_answer(answer, uow=uow, actor=actor(p.bo), scoring=None)
    assert lines(peer) == [t.AP_NOT_YOUR_APPEAL] and a.status == "needs_info"
    press_answer(answer, uow=uow, actor=actor(p.ana), scoring=None)
    assert a.status == "open" and "ACME" in a.details
    press_ask(ask, uow=uow, actor=actor(p.manager))
    keys = [(o["recipient_id"], o["dedupe_key"]) for o in uow.outbox]
    assert keys == [
        (p.ana.id, f"appeal:{a.id}:ask:1"),
        (p.manager.id, f"appeal:{a.id}:answer:1"),
        (p.ana.id, f"appeal:{a.id}:ask:2"),
    ], "each round has its own notice"


def test_accepting_corrects_the_figure_and_rescores(org: tuple[FakeUnitOfWork, People]) -> None:
    uow, p = org
    a = filed(uow, p)
    rescored: list[tuple[int, list[int]]] = []

    def rescore(u: Any, period_id: int, ids: list[int]) -> None:
        rescored.append((period_id, ids))
        uow.scores.stored[(p.ana.id, 1)]["total"] = "86"  # type: ignore[attr-defined]

    press = Press("ap:acc", str(a.id), {"value": "abc"})
    bad = press_accept(press, uow=uow, actor=actor(p.manager), scoring=NO_SCORING, rescore=rescore)
    assert bad.errors == (("value", t.AP_BAD_VALUE.format(token="abc")),)
    assert a.status == "open" and not rescored
    press = Press("ap:acc", str(a.id), {"value": "4", "note": "CRM missed one"})
    reply = press_accept(
        press, uow=uow, actor=actor(p.manager), scoring=NO_SCORING, rescore=rescore
    )
    assert lines(reply)[0] == t.AP_ACCEPT_DONE.format(
        label="Deals won", old="3", new="4", name="Ana Li", period="2026-11"
    )
    assert (a.status, a.corrected_value) == ("accepted", Decimal("4")) and rescored == [(1, [5])]
    (fix,) = uow.all(FigureCorrection)
    assert (fix.value_before, fix.value_after, fix.appeal_id, fix.active) == (
        Decimal("3"),
        Decimal("4"),
        a.id,
        True,
    )
    assert fix.fingerprint == f"3|3.0000|{(NOW - timedelta(days=1)).isoformat()}"
    (audit,) = uow.audits
    assert audit["action"] == "appeal.accept" and audit["after"]["correction"] == fix.id
    assert (audit["before"]["score"], audit["after"]["score"]) == (Decimal("80"), Decimal("86"))
    assert [o["dedupe_key"] for o in uow.outbox] == [f"appeal:{a.id}:outcome"]


def test_escalation_hands_the_appeal_to_hr(org: tuple[FakeUnitOfWork, People]) -> None:
    uow, p = org
    a = filed(uow, p)
    reply = press_escalate(
        Press("ap:esc", str(a.id)), uow=uow, actor=actor(p.manager), scoring=None
    )
    assert lines(reply) == [t.AP_ESCALATED_DONE.format(name="Greta Hr")]
    assert (a.handler_id, a.escalated_at) == (p.hr_berlin.id, NOW)
    assert [o["recipient_id"] for o in uow.outbox] == [p.hr_berlin.id, p.ana.id]
    again = press_escalate(
        Press("ap:esc", str(a.id)), uow=uow, actor=actor(p.hr_berlin), scoring=None
    )
    assert lines(again) == [t.AP_ALREADY_WITH_HR]
    assert [e["action"] for e in uow.audits] == ["appeal.escalate"]


def test_the_sla_check_reminds_then_escalates(org: tuple[FakeUnitOfWork, People]) -> None:
    uow, p = org

    def appeal(aid: int, who: Employee, filed_on: str, **kw: Any) -> Appeal:
        row = Appeal(
            id=aid,
            employee_id=who.id,
            period_id=1,
            metric="deals",
            reason="r",
            status="open",
            handler_id=p.manager.id,
            details="",
            created_at=datetime.fromisoformat(f"{filed_on}T09:00:00+00:00"),
            **kw,
        )
        uow.add(row)
        return row

    old = appeal(1, p.ana, "2026-11-10")  # 8 business days: escalate
    new = appeal(2, p.bo, "2026-11-18")  # 2 business days: remind
    done = appeal(3, p.bo, "2026-11-02", reminded_at=NOW, escalated_at=NOW)  # nothing left
    report = check_appeal_slas(uow=uow, clock=uow.clock)
    assert (report.checked, report.reminded, report.escalated) == (2, (2,), (1,))
    assert old.handler_id == p.hr_berlin.id and old.reminded_at == NOW
    assert new.reminded_at == NOW and new.handler_id == p.manager.id
    assert done.handler_id == p.manager.id
    assert [e["action"] for e in uow.audits] == ["appeal.escalate", "appeal.remind"]
    again = check_appeal_slas(uow=uow, clock=uow.clock)
    assert (again.reminded, again.escalated) == ((), ()), "each happens once"


def test_one_run_s_escalations_reach_each_hr_as_one_card(
    org: tuple[FakeUnitOfWork, People],
) -> None:
    uow, p = org
    for aid, who in ((11, p.ana), (12, p.bo), (13, p.ana)):
        uow.add(
            Appeal(id=aid, employee_id=who.id, period_id=1, metric="deals", reason="r",
                   status="open", handler_id=p.manager.id, details="",
                   created_at=datetime.fromisoformat("2026-11-10T09:00:00+00:00"))
        )  # fmt: skip
    report = check_appeal_slas(uow=uow, clock=uow.clock)
    assert report.escalated == (11, 12, 13)
    to_hr = [r for r in uow.outbox if r["recipient_id"] == p.hr_berlin.id]
    assert len(to_hr) == 1, "one card for HR, not one per appeal"
    card = Card.from_dict(to_hr[0]["payload"])
    assert card.title == "3 appeals escalated to you"
    heads = [line for line in card.lines if line.startswith("■ ")]
    assert [h.split(" · ")[0] for h in heads] == ["■ Appeal #11", "■ Appeal #12", "■ Appeal #13"]
    assert [b.value for b in card.buttons if b.action == "ap:acc"] == ["11", "12", "13"]
    again = check_appeal_slas(uow=uow, clock=uow.clock)
    assert (
        again.escalated == ()
        and len([r for r in uow.outbox if r["recipient_id"] == p.hr_berlin.id]) == 1
    )


def test_a_corrected_figure_whose_records_change_is_told_once(
    org: tuple[FakeUnitOfWork, People],
) -> None:
    uow, p = org
    was = f"3|3.0000|{(NOW - timedelta(days=1)).isoformat()}"
    fix = FigureCorrection(
        id=1,
        employee_id=p.ana.id,
        period_id=1,
        metric="deals",
        kind="metric",
        value_before=Decimal("3"),
        value_after=Decimal("4"),
        appeal_id=None,
        by_id=p.manager.id,
        note="",
        at=NOW,
        active=True,
        fingerprint=was,
    )
    uow.add(fix)
    assert watch_corrections(uow, None) == 0, "records as they were"
    uow.add(fact(5, 18))  # the source sent the missing deal
    assert watch_corrections(uow, None) == 1
    (told,) = uow.outbox
    assert (told["recipient_id"], told["dedupe_key"]) == (p.manager.id, "correction:1:source")
    assert fix.source_changed_at == NOW and fix.value_after == Decimal("4"), "still in force"
    assert [e["action"] for e in uow.audits] == ["correction.source_changed"]
    assert watch_corrections(uow, None) == 0, "told once"
