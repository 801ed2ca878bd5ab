"""Team report with chart and process figures; closing a period freezes and flags."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.console.app import ConsoleSession
from handlers.closing.close import PeriodStateError, close_period, reopen_period
from handlers.scores.compute import PeriodClosed, score_all
from store.models import IncentiveFlag, Outbox, Period, Score

PNG = b"\x89PNG\r\n\x1a\n"


def as_(rt, email: str) -> ConsoleSession:  # type: ignore[no-untyped-def]
    return ConsoleSession(rt.dispatcher, rt.uow, email)


def test_manager_report_covers_the_reporting_chain_with_a_chart(demo):
    reply = as_(demo, "li.wei@acme.example").handle("/team")  # head of sales: two teams
    card = reply.cards[0]
    assert reply.ok and card.image is not None and card.image.data.startswith(PNG)
    assert card.lines[0].startswith("Partial: 15 of 21 working days")  # November runs
    assert len(card.lines) == 1 + 13 and dict(card.fields)["People"] == "13"
    assert any("Ana Li (Sales East)" in line for line in card.lines)
    assert len(reply.cards) == 1  # no HR card for managers


def test_hr_gets_branches_and_process_figures(demo):
    reply = as_(demo, "zhao.min@acme.example").handle("/team last")
    hr = reply.cards[1]
    assert {line.split(":")[0] for line in hr.lines} == {"Berlin", "Shanghai HQ", "Singapore"}
    assert dict(hr.fields)["Review completion"].startswith("100%")
    singapore_hr = as_(demo, "cheryl.tan@acme.example").handle("/team").cards[0]
    assert all("(Sales SEA)" in x or "(Support)" in x for x in singapore_hr.lines[1:])


def test_employees_are_refused_the_team_report(demo):
    assert not as_(demo, "ana.li@acme.example").handle("/team").ok


def test_close_freezes_flags_with_reasons_and_refuses_twice(demo):
    report = close_period("2026-10", uow=demo.uow(), scoring=demo.scoring, actor="t")
    assert report.frozen == 33 and report.hr_notified == 3
    bonus = [f for f in report.flags if f[1] == "bonus"]
    # Ranked within each scorecard: only the sales reps (13) are enough for a top 10%.
    assert len(bonus) == 1 and all("in Sales rep; top 10%" in why for _, _, why in bonus)
    with pytest.raises(PeriodStateError, match="already closed"):
        close_period("2026-10", uow=demo.uow(), scoring=demo.scoring, actor="t")
    with pytest.raises(PeriodClosed):
        score_all("2026-10", uow=demo.uow(), setup=demo.scoring)
    with demo.uow() as uow:
        p = uow.session.scalar(select(Period).where(Period.key == "2026-10"))
        assert uow.session.scalar(select(func.count()).select_from(IncentiveFlag)) == len(
            report.flags
        )
        assert all(
            s.frozen for s in uow.session.scalars(select(Score).where(Score.period_id == p.id))
        )
        assert (
            uow.session.scalar(
                select(func.count()).select_from(Outbox).where(Outbox.kind == "period.closed")
            )
            == 3
        )
    with pytest.raises(PeriodStateError, match="reason"):
        reopen_period("2026-10", uow=demo.uow(), actor="t", reason=" ")
    assert reopen_period("2026-10", uow=demo.uow(), actor="t", reason="late CRM data") == 33
    assert score_all("2026-10", uow=demo.uow(), setup=demo.scoring).scored == 33
