"""Closing a period (preview, calibration, close, re-open, one result recomputed) against
the in-memory unit of work: no database. Scoring itself is the scores feature's and runs
in SQL, so the fresh scoring before a close is stubbed and the scores are laid out here."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from handlers.actor import Actor
from handlers.closing import preview as preview_module
from handlers.closing.auto_close import close_or_tell_hr
from handlers.closing.calibrate import CalibrationError, calibrate
from handlers.closing.chat import calibrate_in_chat, press_close, show_period
from handlers.closing.close import CloseRefused, PeriodStateError, close_period, reopen_period
from handlers.closing.preview import ClosePolicy
from handlers.closing.reopen import recompute_result
from handlers.commands import Calibrate, PeriodPreview, PersonRef
from handlers.press import Press
from handlers.scores.compute import ScoringSetup
from scoring.config import load_scoring_config
from store.models import Calibration, Employee, IncentiveFlag, Period, Score, ScoreLine
from tests.fakes.org import People, small_company
from tests.fakes.uow import FakeUnitOfWork

AFTER_END = datetime.fromisoformat("2026-12-02T09:00:00+00:00")  # November is over everywhere

SETUP = ScoringSetup(
    load_scoring_config(
        {
            "scorecards": {
                "sales_rep": {
                    "dimensions": [
                        {"metric": "sales_amount", "weight": 60, "label": "Sales"},
                        {"metric": "csat", "weight": 40, "label": "Customer satisfaction"},
                    ]
                }
            },
            "bands": [
                {"name": "excellent", "min": 90},
                {"name": "good", "min": 75},
                {"name": "needs improvement", "min": 0},
            ],
            "incentives": [
                {"name": "bonus", "rule": "top_percent", "percent": 50, "cohort": "scorecard"},
                {
                    "name": "promotion candidate",
                    "rule": "consecutive_band",
                    "band": "excellent",
                    "periods": 2,
                },
            ],
        }
    ),
    (),
)
POLICY = ClosePolicy()


def score(sid: int, emp: int, period: int, total: str, coverage: str, band: str) -> Score:
    return Score(
        id=sid,
        employee_id=emp,
        period_id=period,
        total=Decimal(total),
        coverage=Decimal(coverage),
        band=band,
        breakdown={},
        computed_at=AFTER_END,
        frozen=period != 1,
    )


def month(now: datetime = AFTER_END) -> tuple[FakeUnitOfWork, People]:
    """The small company in November, scored: Ana excellent (and in October too), Bo good
    without any customer satisfaction figure; October is closed."""
    uow, p = small_company(now)
    for row in (
        Period(
            id=2,
            key="2026-10",
            kind="month",
            starts_on=date(2026, 10, 1),
            ends_on=date(2026, 10, 31),
            status="closed",
        ),
        score(1, p.ana.id, 1, "95", "100", "excellent"),
        score(2, p.bo.id, 1, "80", "60", "good"),
        score(3, p.ana.id, 2, "92", "100", "excellent"),
        ScoreLine(period_id=1, employee_id=p.bo.id, pos=1, weight=Decimal(40), attainment=None),
    ):
        uow.add(row)
    return uow, p


@pytest.fixture(autouse=True)
def scored_already(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Preview and close score an open period afresh first (SQL): here the scores stand."""
    calls: list[int] = []

    def rescore(uow: Any, setup: Any, period_id: int, ids: Any) -> int:
        calls.append(period_id)
        return 0

    monkeypatch.setattr(preview_module, "rescore", rescore)
    yield calls


def actor(e: Employee) -> Actor:
    return Actor(e.id, e.email, e.name, e.role, e.branch_id, "console", None)


def flags(uow: FakeUnitOfWork) -> set[tuple[int, int, str]]:
    return {(f.employee_id, f.period_id, f.kind) for f in uow.all(IncentiveFlag)}


def text(reply: Any) -> str:
    card = reply.cards[0]
    return "\n".join([card.title, *card.lines])


def test_close_freezes_decides_incentives_and_tells_everyone(scored_already: list[int]) -> None:
    uow, p = month()
    report = close_period("2026-11", uow=uow, scoring=SETUP, actor=p.hr_hq.email, policy=POLICY)
    november = uow.get(Period, 1)
    assert november is not None and november.status == "closed"
    assert november.closed_at == AFTER_END
    assert scored_already == [1], "an open period is scored afresh before it closes"
    assert report.frozen == 2 and all(s.frozen for s in uow.all(Score))
    assert flags(uow) == {(p.ana.id, 1, "bonus"), (p.ana.id, 1, "promotion candidate")}
    assert {(e, rule) for e, rule, _ in report.flags} == {
        (p.ana.email, "bonus"),
        (p.ana.email, "promotion candidate"),
    }
    assert [a["action"] for a in uow.audits] == ["period.close"]
    sent = {(o["kind"], o["recipient_id"]) for o in uow.outbox}
    assert sent == {
        ("period.closed", p.hr_hq.id),
        ("period.closed", p.hr_berlin.id),
        ("period.result", p.ana.id),
        ("period.result", p.bo.id),
    }
    (bo_card,) = [o for o in uow.outbox if o["recipient_id"] == p.bo.id]
    assert "Score 80 (good)" in bo_card["payload"]["lines"][0]
    assert (report.hr_notified, report.result_cards, uow.commits) == (2, 2, 1)


def test_a_running_period_is_refused_and_nothing_changes() -> None:
    uow, _ = month(datetime.fromisoformat("2026-11-20T09:00:00+00:00"))
    with pytest.raises(CloseRefused, match="runs until 2026-11-30"):
        close_period("2026-11", uow=uow, scoring=SETUP, actor="cli", policy=POLICY)
    november = uow.get(Period, 1)
    assert november is not None and november.status == "open"
    assert flags(uow) == set() and not any(s.frozen for s in uow.all(Score) if s.period_id == 1)
    assert [a["action"] for a in uow.audits] == ["period.close.refused"]
    assert uow.outbox == []


def test_low_coverage_is_refused_with_who_lacks_what() -> None:
    uow, _ = month()
    with pytest.raises(CloseRefused) as refused:
        close_period(
            "2026-11", uow=uow, scoring=SETUP, actor="cli", policy=ClosePolicy(Decimal(90))
        )
    assert "only 80% of the scorecards' weight has data" in str(refused.value)
    assert "Customer satisfaction: 1 without data (Bo Wu)" in str(refused.value)


def test_closing_twice_or_an_unknown_period_is_refused() -> None:
    uow, _ = month()
    with pytest.raises(PeriodStateError, match="already closed"):
        close_period("2026-10", uow=uow, scoring=SETUP, actor="cli")
    with pytest.raises(PeriodStateError, match="has not been set up"):
        close_period("2026-09", uow=uow, scoring=SETUP, actor="cli")


def test_the_scheduler_tells_hr_why_once_a_day() -> None:
    uow, p = month(datetime.fromisoformat("2026-11-20T09:00:00+00:00"))
    assert (
        close_or_tell_hr("2026-11", uow=uow, scoring=SETUP, policy=POLICY)
        == "refused 2026-11 (HR told: 2)"
    )
    assert (
        close_or_tell_hr("2026-11", uow=uow, scoring=SETUP, policy=POLICY)
        == "refused 2026-11 (HR told: 0)"
    ), "once per period and day"
    told = [(o["kind"], o["recipient_id"]) for o in uow.outbox]
    assert told == [("period.close_refused", p.hr_hq.id), ("period.close_refused", p.hr_berlin.id)]


def test_without_hr_the_admins_are_told() -> None:
    uow, p = month(datetime.fromisoformat("2026-11-20T09:00:00+00:00"))
    p.hr_hq.active = p.hr_berlin.active = False
    assert "HR told: 1" in close_or_tell_hr("2026-11", uow=uow, scoring=SETUP, policy=POLICY)
    assert [o["recipient_id"] for o in uow.outbox] == [p.admin.id]


def test_reopen_thaws_scores_and_drops_flags() -> None:
    uow, p = month()
    close_period("2026-11", uow=uow, scoring=SETUP, actor="cli")
    assert reopen_period("2026-11", uow=uow, actor="cli", reason="late figures") == 2
    november = uow.get(Period, 1)
    assert november is not None and (november.status, november.closed_at) == ("open", None)
    assert not any(s.frozen for s in uow.all(Score) if s.period_id == 1)
    assert flags(uow) == set()
    reopened = uow.audits[-1]
    assert reopened["action"] == "period.reopen" and reopened["after"]["reason"] == "late figures"
    assert {(e, k) for e, k, _ in reopened["before"]["flags"]} == {
        (p.ana.id, "bonus"),
        (p.ana.id, "promotion candidate"),
    }


def test_reopen_needs_a_reason_and_a_closed_period() -> None:
    uow, _ = month()
    with pytest.raises(PeriodStateError, match="needs a reason"):
        reopen_period("2026-10", uow=uow, actor="cli", reason=" ")
    with pytest.raises(PeriodStateError, match="is not closed"):
        reopen_period("2026-11", uow=uow, actor="cli", reason="why not")
    assert uow.audits == []


def test_hr_calibrates_someone_they_cover() -> None:
    uow, p = month()
    cmd = Calibrate(PersonRef("email", p.bo.email), None, Decimal("91.5"), "strong Q4 deals")
    reply = calibrate_in_chat(cmd, uow=uow, actor=actor(p.hr_berlin), scoring=SETUP)
    assert reply.ok and "Final result 91.5 (excellent); computed 80" in text(reply)
    (row,) = uow.all(Calibration)
    assert (row.employee_id, row.period_id, row.final_total) == (p.bo.id, 1, Decimal("91.50"))
    assert (row.computed_total, row.by) == (Decimal(80), p.hr_berlin.email)
    (audit,) = uow.audits
    assert audit["action"] == "score.calibrate" and audit["after"]["band"] == "excellent"
    assert uow.commits == 1
    again = Calibrate(PersonRef("email", p.bo.email), None, Decimal(85), "second look")
    reply = calibrate_in_chat(again, uow=uow, actor=actor(p.hr_berlin), scoring=SETUP)
    assert "Was calibrated to 91.5" in text(reply)
    assert len(uow.all(Calibration)) == 1, "a calibration is changed, never duplicated"


def test_calibration_refusals() -> None:
    uow, p = month()
    cmd = Calibrate(PersonRef("email", p.bo.email), None, Decimal(85), "because")
    reply = calibrate_in_chat(cmd, uow=uow, actor=actor(p.manager), scoring=SETUP)
    assert not reply.ok and "for HR and admins" in text(reply)
    assert reply.refusal is not None and reply.refusal.action == "score.calibrate"
    november, october = uow.get(Period, 1), uow.get(Period, 2)
    assert november is not None and october is not None
    for period, person, reason, why in (
        (november, p.bo, " ", "needs a reason"),
        (october, p.ana, "r", "is closed"),
        (november, p.gone, "r", "no score with data"),
    ):
        with pytest.raises(CalibrationError, match=why):
            calibrate(
                uow, period=period, person=person, total=Decimal(85), reason=reason, by="cli",
                config=SETUP.config,
            )  # fmt: skip
    with pytest.raises(CalibrationError, match="between 0 and 200"):
        calibrate(
            uow, period=november, person=p.bo, total=Decimal(201), reason="r", by="cli",
            config=SETUP.config,
        )  # fmt: skip
    assert uow.all(Calibration) == []


def test_preview_shows_what_close_would_do() -> None:
    uow, p = month()
    reply = show_period(
        PeriodPreview(), uow=uow, actor=actor(p.hr_hq), scoring=SETUP, close_policy=POLICY
    )
    card = reply.cards[0]
    assert card.title == "Period 2026-11 · before close"
    lines = "\n".join(card.lines)
    assert "Customer satisfaction: 1 without data (Bo Wu)" in lines
    assert "  Ana Li (Sales rep, 95): rank 1 of 2 in Sales rep" in lines
    assert "Ready to close" in lines
    assert [b.action for b in card.buttons] == ["pd:cl"], "HR at headquarters may close"
    branch = show_period(
        PeriodPreview(), uow=uow, actor=actor(p.hr_berlin), scoring=SETUP, close_policy=POLICY
    )
    assert branch.cards[0].buttons == (), "a branch's HR previews but doesn't close"
    assert uow.audits == [] and uow.commits == 0, "a preview changes nothing"


def test_preview_is_for_hr_and_admins() -> None:
    uow, p = month()
    reply = show_period(
        PeriodPreview(), uow=uow, actor=actor(p.ana), scoring=SETUP, close_policy=POLICY
    )
    assert not reply.ok and "for HR and admins" in text(reply)


def test_close_button() -> None:
    uow, p = month()
    press = Press("pd:cl", "1")
    refused = press_close(
        press, uow=uow, actor=actor(p.hr_berlin), scoring=SETUP, close_policy=POLICY
    )
    assert not refused.ok and "HR at headquarters or an admin" in text(refused)
    november = uow.get(Period, 1)
    assert november is not None and november.status == "open"
    stale = press_close(
        Press("pd:cl", "99"), uow=uow, actor=actor(p.admin), scoring=SETUP, close_policy=POLICY
    )
    assert not stale.ok
    done = press_close(press, uow=uow, actor=actor(p.admin), scoring=SETUP, close_policy=POLICY)
    assert done.ok and done.cards[0].title == "Period 2026-11 closed"
    assert "2 scores frozen, 2 incentive decisions" in done.cards[0].lines[0]
    assert len(done.notices) == 4 and november.status == "closed"


def test_an_accepted_appeal_recomputes_one_closed_result() -> None:
    uow, p = month()
    close_period("2026-11", uow=uow, scoring=SETUP, actor="cli")
    uow.scores.stored[(p.bo.id, 1)] = {  # type: ignore[attr-defined]
        "total": "80", "band": "good",
        "dimensions": [{"metric": "sales_amount", "label": "Sales", "actual": "100"}],
    }  # fmt: skip
    uow.closing.recomputed[(p.bo.id, 1)] = {  # type: ignore[attr-defined]
        "total": "97", "band": "excellent",
        "dimensions": [{"metric": "sales_amount", "label": "Sales", "actual": "130"}],
    }  # fmt: skip
    november = uow.get(Period, 1)
    assert november is not None
    change = recompute_result(uow, SETUP, november, p.bo, actor="cli", why="appeal #7")
    assert change.total == (Decimal(80), Decimal(97))
    assert change.band == ("good", "excellent")
    assert change.incentives == ((), ("bonus",))
    assert change.figures == (("Sales", "100", "130"),)
    bo_score = uow.closing.score_of(p.bo.id, 1)
    assert bo_score is not None and bo_score.frozen, "it stays frozen"
    assert flags(uow) == {
        (p.ana.id, 1, "bonus"),
        (p.ana.id, 1, "promotion candidate"),
        (p.bo.id, 1, "bonus"),
    }, "nobody else's closed result moves"
    assert uow.audits[-1]["action"] == "result.reopen"
    assert [n.recipient_id for n in change.notices] == [p.hr_berlin.id]
