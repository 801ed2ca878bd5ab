"""Leavers and movers over the in-memory unit of work: deactivation refuses the next
request, open items pass to the manager above or HR (told, audited), the org file's
`active:` and its checks."""

from __future__ import annotations

from decimal import Decimal

import pytest

from handlers import strings_en as t
from handlers.dispatch import Dispatcher
from handlers.nudges.sweep_calendar import SweepPolicy
from handlers.people.leavers import UnknownPeople, deactivate_people, reactivate_people
from handlers.people.org_load import load_org
from handlers.people.org_validate import OrgFileError
from store.models import Appeal, Employee, Goal, KpiAdjustment, Team
from tests.fakes.org import NOW, People, small_company
from tests.fakes.uow import FakeUnitOfWork
from tests.unit.usecases.scoring_support import SETUP, breakdown
from tests.unit.usecases.test_people import ORG, actor


@pytest.fixture
def org() -> tuple[FakeUnitOfWork, People]:
    return small_company()


def appeal(uow: FakeUnitOfWork, aid: int, who: Employee, handler: Employee) -> Appeal:
    row = Appeal(
        id=aid,
        employee_id=who.id,
        period_id=1,
        metric="deals",
        reason="r",
        status="open",
        handler_id=handler.id,
        details="",
        created_at=NOW,
    )
    uow.add(row)
    return row


def actions(uow: FakeUnitOfWork) -> list[str]:
    return [a["action"] for a in uow.audits]


def test_a_leaving_manager_hands_appeals_reports_and_team_to_the_manager_above(org):
    uow, p = org
    p.manager.manager_id = p.admin.id
    uow.add(Team(id=1, name="Sales", branch_id=2, manager_id=p.manager.id))
    filed = appeal(uow, 1, p.ana, p.manager)
    [left] = deactivate_people(uow, [p.manager.email], actor="cli")
    assert not p.manager.active
    assert filed.handler_id == p.admin.id and filed.escalated_at is not None  # admin: no [Escalate]
    assert p.ana.manager_id == p.bo.manager_id == p.admin.id
    assert uow.get(Team, 1).manager_id == p.admin.id
    assert left.handed == {
        p.admin.email: ["appeal #1", "team Sales", "report Ana Li", "report Bo Wu"]
    }
    to_admin = [o for o in uow.outbox if o["recipient_id"] == p.admin.id]
    assert [o["kind"] for o in to_admin] == ["appeal", "handover"]
    assert "handed over to you" in to_admin[0]["payload"]["title"]
    assert "Chen Jing has left" in to_admin[1]["payload"]["lines"][0]
    assert actions(uow)[0] == "employee.deactivate"
    assert {"org.handover", "appeal.handover"} <= set(actions(uow))


def test_without_a_manager_above_appeals_go_to_hr_who_hear_of_people_left_without_one(org):
    uow, p = org
    filed = appeal(uow, 1, p.ana, p.manager)
    deactivate_people(uow, [p.manager.id], actor="cli")
    assert filed.handler_id == p.hr_berlin.id and p.ana.manager_id is None
    notice = next(o for o in uow.outbox if o["kind"] == "handover")
    assert notice["recipient_id"] == p.hr_berlin.id
    assert any("Without a manager now" in line for line in notice["payload"]["lines"])


def test_a_leavers_own_appeal_moves_to_hr(org):
    uow, p = org
    own = appeal(uow, 1, p.ana, p.manager)
    deactivate_people(uow, ["ANA.LI@acme.example"], actor="cli")
    assert own.handler_id == p.hr_berlin.id and own.escalated_at is not None
    assert [o["recipient_id"] for o in uow.outbox if o["kind"] == "appeal"] == [p.hr_berlin.id]


def test_a_target_change_waiting_on_a_leaving_hr_goes_to_the_next_approver(org):
    uow, p = org
    uow.add(
        Goal(
            id=1,
            period_id=1,
            level="employee",
            employee_id=p.ana.id,
            title="Deals",
            metric="deals",
            target=Decimal(10),
            status="confirmed",
            updated_at=NOW,
        )
    )
    uow.add(
        KpiAdjustment(
            id=7,
            goal_id=1,
            requested_by=p.manager.id,
            new_target=Decimal(8),
            reason="r",
            status="pending",
            created_at=NOW,
        )
    )
    card = {"title": "Target change for Ana Li: approve?"}
    uow.enqueue(dedupe_key="kpi:7:hr:3", kind="kpi.approval", payload=card, recipient_id=3)
    [left] = deactivate_people(uow, [p.hr_berlin.email], actor="cli")
    resent = uow.outbox[1]
    assert resent["dedupe_key"] == "kpi:7:hr:2" and resent["payload"] == card
    assert left.handed == {p.hr_hq.email: ["target change #7"]}
    assert "kpi.handover" in actions(uow)


def test_a_decided_request_is_not_handed_over_and_unknown_people_change_nothing(org):
    uow, p = org
    uow.enqueue(dedupe_key="kpi:9:hr:3", kind="kpi.approval", payload={}, recipient_id=3)
    with pytest.raises(UnknownPeople) as err:
        deactivate_people(uow, [p.hr_berlin.email, "nobody@acme.example"], actor="cli")
    assert err.value.missing == ["nobody@acme.example"] and p.hr_berlin.active
    assert deactivate_people(uow, [p.hr_berlin.email], actor="cli")[0].handed == {}
    assert deactivate_people(uow, [p.hr_berlin.email], actor="cli") == []  # already gone


def test_the_next_request_of_a_deactivated_person_is_refused_and_audited(org):
    uow, p = org
    dispatcher = Dispatcher({"uow": lambda: uow})
    me = actor(p.ana)
    assert dispatcher.text(me, "help").ok
    deactivate_people(uow, [p.ana.email], actor="cli")
    reply = dispatcher.text(me, "help")
    assert not reply.ok and reply.cards[0].lines == (t.GONE,)
    assert uow.audits[-1]["action"] == "denied" and uow.audits[-1]["actor"] == p.ana.email
    assert reactivate_people(uow, [p.ana.email], actor="cli") == [p.ana.email]
    assert dispatcher.text(me, "help").ok


def test_org_file_active_false_deactivates_and_a_reload_keeps_it_so(org):
    uow, _ = org
    load_org(ORG, uow=uow, actor="t", platforms=("slack", "telegram"))
    gone = ORG.replace("name: New Hire,", "name: New Hire, active: false,")
    report = load_org(gone, uow=uow, actor="t", platforms=("slack", "telegram"))
    assert report.deactivated == ["new.hire@acme.example"]
    assert "employee new.hire@acme.example" in report.updated
    hire = uow.org.employee_by_email("new.hire@acme.example")
    assert hire is not None and not hire.active
    again = load_org(ORG, uow=uow, actor="t", platforms=("slack", "telegram"))
    assert not hire.active and again.deactivated == again.reactivated == []
    back = ORG.replace("name: New Hire,", "name: New Hire, active: true,")
    assert load_org(back, uow=uow, actor="t", platforms=("slack", "telegram")).reactivated == [
        "new.hire@acme.example"
    ]


def test_deactivate_missing(org):
    uow, _ = org
    load_org(ORG, uow=uow, actor="t", platforms=("slack",))
    fewer = ORG.replace(
        "  - {email: new.hire@acme.example, name: New Hire, team: Sales, "
        "manager: chen.jing@acme.example}\n",
        "",
    )
    kept = load_org(fewer, uow=uow, actor="t", platforms=("slack",))
    assert "new.hire@acme.example" in kept.not_in_file and kept.deactivated == []
    gone = load_org(fewer, uow=uow, actor="t", platforms=("slack",), deactivate_missing=True)
    # Everyone active the file leaves out (the fake company's own people too).
    assert {"new.hire@acme.example", "ada.admin@acme.example"} <= set(gone.deactivated)
    assert not uow.org.employee_by_email("new.hire@acme.example").active


@pytest.mark.parametrize(
    "change, problem",
    [
        ("name: Chen Jing,", "manager chen.jing@acme.example is marked active: false"),
        ("name: Ana Li, active: maybe,", "active must be true or false"),
    ],
)
def test_bad_active_flags_load_nothing(org, change, problem):
    uow, _ = org
    flag = " active: false," if "Chen" in change else ""
    text = ORG.replace(change.split(",")[0] + ",", change + flag)
    with pytest.raises(OrgFileError) as err:
        load_org(text, uow=uow, actor="t", platforms=("slack", "telegram"))
    assert any(problem in p for p in err.value.problems), err.value.problems
    assert uow.audits == []


def test_a_manager_deactivated_by_command_cannot_come_back_as_manager_by_a_reload(org):
    uow, _ = org
    load_org(ORG, uow=uow, actor="t", platforms=("slack", "telegram"))
    deactivate_people(uow, ["chen.jing@acme.example"], actor="cli")
    with pytest.raises(OrgFileError) as err:
        load_org(ORG, uow=uow, actor="t", platforms=("slack", "telegram"))
    assert "mark chen.jing@acme.example active: true" in err.value.problems[0]


def test_a_mover_keeps_history_and_their_open_appeal_follows_the_new_manager(org):
    uow, _p = org
    load_org(ORG, uow=uow, actor="t", platforms=("slack", "telegram"))
    ana = uow.org.employee_by_email("ana.li@acme.example")
    chen = uow.org.employee_by_email("chen.jing@acme.example")
    filed = appeal(uow, 3, ana, chen)
    moved = ORG.replace(
        "name: Ana Li, team: Sales, manager: chen.jing@acme.example",
        "name: Ana Li, team: Sales, manager: new.hire@acme.example",
    )
    report = load_org(moved, uow=uow, actor="t", platforms=("slack", "telegram"))
    hire = uow.org.employee_by_email("new.hire@acme.example")
    assert filed.handler_id == hire.id and filed.employee_id == ana.id
    assert report.handed == {"new.hire@acme.example": ["appeal #3"]}
    assert [o["kind"] for o in uow.outbox if o["recipient_id"] == hire.id] == ["appeal", "handover"]


def test_one_s_own_score_refuses_a_leaver_in_its_own_read_and_someone_else_s_too(org):
    uow, p = org
    uow.scores.stored[(p.ana.id, 1)] = breakdown("56", "low")
    policy = SweepPolicy()
    dispatcher = Dispatcher(
        {"uow": lambda: uow, "scoring": SETUP, "sweep_policy": policy, "appeal_window": None}
    )
    me = actor(p.ana)
    reads: list[int] = []
    is_active = uow.org.is_active
    uow.org.is_active = lambda eid: reads.append(eid) or is_active(eid)  # type: ignore[method-assign]
    assert dispatcher.text(me, "score").ok
    assert reads == [], "one's own /score reads it in the score view: no separate read"
    deactivate_people(uow, [p.ana.email], actor="cli")
    for typed in ("score", f"score {p.bo.email}"):
        reply = dispatcher.text(me, typed)
        assert not reply.ok and reply.cards[0].lines == (t.GONE,), typed
        assert uow.audits[-1]["action"] == "denied" and uow.audits[-1]["actor"] == p.ana.email
    assert reads == [p.ana.id], "someone else's: the dispatcher's read, before anything"
