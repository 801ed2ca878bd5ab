"""Reports (/team, its HR card, the projected incentives of an open period) against the
in-memory unit of work: no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest

from handlers.commands import Team as TeamCmd
from handlers.nudges.sweep_calendar import SweepPolicy
from handlers.periods import PeriodRef
from handlers.reports import team_rows
from handlers.reports.team import show_team
from handlers.scores.compute import ScoringSetup
from scoring.incentives import ConsecutiveBandRule, TopPercentRule
from store.models import Appeal, Goal, IncentiveFlag, Period, Team
from tests.fakes.org import People, small_company
from tests.fakes.uow import FakeUnitOfWork
from tests.unit.usecases.scoring_support import SETUP, actor, breakdown, text

Org = tuple[FakeUnitOfWork, People]
POLICY = SweepPolicy()
OCTOBER = PeriodRef("month", 2026, 10)


@pytest.fixture
def org(monkeypatch: pytest.MonkeyPatch) -> Org:
    """Ana (team Sales) and Bo scored in November so far and in a closed October."""
    uow, p = small_company()
    # Praise counts are the praise feature's queries (tested there): Ana was praised twice.
    monkeypatch.setattr(
        team_rows, "praise_counts", lambda uow, period, ids: {i: 2 if i == 5 else 0 for i in ids}
    )
    uow.add(Team(id=1, name="Sales", branch_id=2, parent_id=None, manager_id=4))
    p.ana.team_id = 1
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
    stored = uow.scores.stored
    stored[(p.ana.id, 1)] = breakdown("56", "low")  # on pace for 112 (top)
    stored[(p.bo.id, 1)] = breakdown("21", "low", revenue="30")  # on pace for 42 (low)
    stored[(p.ana.id, 2)] = breakdown("95", "top", revenue="95")
    stored[(p.bo.id, 2)] = breakdown("60", "low", revenue="60")
    return uow, p


def test_a_manager_sees_the_team_while_the_period_runs(org: Org) -> None:
    uow, p = org
    reply = show_team(
        TeamCmd(), uow=uow, actor=actor(p.manager), scoring=SETUP, sweep_policy=POLICY
    )
    assert len(reply.cards) == 1, "the HR card is for HR and admins"
    said = text(reply)
    assert reply.cards[0].title == "Team report · 2026-11"
    assert reply.cards[0].image is not None
    lines = reply.cards[0].lines
    ana = next(line for line in lines if line.startswith("Ana Li"))
    bo = next(line for line in lines if line.startswith("Bo Wu"))
    assert lines.index(ana) < lines.index(bo), "ordered by projection"
    # The trend is of the projection, against October's total.
    assert (
        ana == "Ana Li (Sales): 56.0 so far · on pace for 112.0 top (projected) ▲17.0 · praised 2×"
    )
    assert bo == "Bo Wu (): 21.0 so far · on pace for 42.0 low (projected) ▼18.0"
    assert "People: 2" in said and "Old Timer" not in said
    assert uow.audits == []


def test_an_employee_is_refused(org: Org) -> None:
    uow, p = org
    reply = show_team(TeamCmd(), uow=uow, actor=actor(p.ana), scoring=SETUP, sweep_policy=POLICY)
    assert not reply.ok and "for managers and HR" in text(reply)
    assert reply.refusal is not None and reply.refusal.action == "team.view"


def test_a_closed_period_shows_its_stored_flags(org: Org) -> None:
    uow, p = org
    uow.add(
        IncentiveFlag(employee_id=p.ana.id, period_id=2, kind="bonus", reason="top", at=uow.clock())
    )
    reply = show_team(
        TeamCmd(OCTOBER), uow=uow, actor=actor(p.manager), scoring=SETUP, sweep_policy=POLICY
    )
    lines = reply.cards[0].lines
    assert lines[0] == "Ana Li (Sales): 95.0 top · bonus · praised 2×"
    assert lines[1] == "Bo Wu (): 60.0 low"


def test_projected_incentives_of_an_open_period(org: Org) -> None:
    uow, p = org
    rules = (TopPercentRule("bonus", Decimal(50)), ConsecutiveBandRule("promotion", "top", 2))
    setup = ScoringSetup(replace(SETUP.config, incentives=rules), SETUP.specs)
    reply = show_team(
        TeamCmd(), uow=uow, actor=actor(p.manager), scoring=setup, sweep_policy=POLICY
    )
    ana, bo = reply.cards[0].lines[1:3]
    assert ana.endswith("· bonus (projected), promotion (projected) · praised 2×"), "top twice"
    assert bo.endswith("(projected) ▼18.0"), "no flag for the lowest band"


def test_hr_sees_branches_and_process_figures(org: Org) -> None:
    uow, p = org
    opened = datetime.fromisoformat("2026-11-10T08:00:00+00:00")
    for who, status in ((p.ana.id, "acknowledged"), (p.bo.id, "confirmed")):
        uow.add(
            Goal(
                period_id=1,
                level="employee",
                employee_id=who,
                title="Revenue",
                metric="revenue",
                target=Decimal(100),
                status=status,
                updated_at=opened,
            )
        )
    for status, resolved in (
        ("accepted", datetime.fromisoformat("2026-11-10T13:00:00+00:00")),
        ("open", None),
    ):
        uow.add(
            Appeal(
                employee_id=p.ana.id,
                period_id=1,
                metric="revenue",
                reason="",
                status=status,
                created_at=opened,
                resolved_at=resolved,
            )
        )
    reply = show_team(
        TeamCmd(), uow=uow, actor=actor(p.hr_berlin), scoring=SETUP, sweep_policy=POLICY
    )
    hr = reply.cards[1]
    assert hr.title == "Branches and process · 2026-11"
    assert "Berlin: average on pace 77.0 over 2 people (projected)" in hr.lines
    assert dict(hr.fields) == {
        "Review completion": "50% (1 of 2 goals acknowledged)",
        "Appeals opened": "2",
        "Appeals resolved": "1",
        "Median time to resolve": "5 h",
    }
