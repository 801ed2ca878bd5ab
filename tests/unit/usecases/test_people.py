"""People use cases (chat accounts, link codes, the organisation file, unreachable people)
against the in-memory unit of work: no database."""

from __future__ import annotations

from datetime import timedelta

import pytest

from handlers import strings_en as t
from handlers.actor import Actor
from handlers.commands import LinkCode as LinkCodeCmd
from handlers.commands import PersonRef
from handlers.identity import ChatAccount
from handlers.people.chat_actor import actor_for_chat
from handlers.people.link_account import MAX_FAILURES, link_account
from handlers.people.link_codes import code_hash, issue_code, request_link_code
from handlers.people.org_load import load_org
from handlers.people.unreachable import report_unreachable
from store.models import Branch, ChatIdentity, Employee, LinkCode, Team
from tests.fakes.org import People, small_company
from tests.fakes.uow import FakeUnitOfWork

ORG = """
branches:
  - {name: HQ, timezone: Asia/Shanghai, hq: true}
  - {name: Berlin, timezone: Europe/Berlin}
teams:
  - {name: Sales, branch: Berlin, manager: chen.jing@acme.example}
employees:
  - {email: chen.jing@acme.example, name: Chen Jing, team: Sales, role: manager}
  - {email: ana.li@acme.example, name: Ana Li, team: Sales, manager: chen.jing@acme.example,
     scorecard: sales_rep, slack_id: U05, telegram_id: "42"}
  - {email: new.hire@acme.example, name: New Hire, team: Sales, manager: chen.jing@acme.example}
"""


@pytest.fixture
def org() -> tuple[FakeUnitOfWork, People]:
    return small_company()


def actor(e: Employee) -> Actor:
    return Actor(e.id, e.email, e.name, e.role, e.branch_id, "console", None)


def telegram(uow: FakeUnitOfWork, code: str, user: str = "777") -> tuple[bool, str]:
    reply = link_account(
        code, uow=uow, user_id=user, username="ana_t", dm_channel=user, platform="telegram"
    )
    return reply.ok, reply.cards[0].title


def test_a_chat_account_names_its_person_and_keeps_details_fresh(
    org: tuple[FakeUnitOfWork, People],
) -> None:
    uow, p = org
    p.ana.unreachable_since = uow.clock() - timedelta(days=2)
    me = actor_for_chat(uow, ChatAccount("slack", "U05", username="ana.li", dm_channel="D05"))
    assert me is not None and me.employee_id == p.ana.id
    ident = uow.get(ChatIdentity, 1)
    assert ident is not None and (ident.username, ident.dm_channel) == ("ana.li", "D05")
    assert p.ana.unreachable_since is None
    assert [a["action"] for a in uow.audits] == ["employee.reachable", "identity.update"]
    assert actor_for_chat(uow, ChatAccount("slack", "U99")) is None
    p.ana.active = False
    assert actor_for_chat(uow, ChatAccount("slack", "U05")) is None, (
        "a leaver's account names nobody"
    )


def test_hr_issues_a_code_and_the_person_redeems_it_once(
    org: tuple[FakeUnitOfWork, People],
) -> None:
    uow, p = org
    reply = request_link_code(
        LinkCodeCmd(PersonRef("email", p.bo.email)),
        uow=uow,
        actor=actor(p.hr_berlin),
        start_links={},
    )
    assert reply.ok and reply.cards[0].title == t.LINK_CODE_TITLE.format(name=p.bo.name)
    code = reply.cards[0].lines[0].split()[1]
    (row,) = uow.all(LinkCode)
    assert row.code_hash == code_hash(code) and row.employee_id == p.bo.id
    assert row.expires_at == uow.clock() + timedelta(hours=72)
    assert telegram(uow, code.lower()) == (True, t.LINK_DONE_TITLE.format(name=p.bo.name))
    assert row.used_at == uow.clock()
    me = actor_for_chat(uow, ChatAccount("telegram", "777"))
    assert me is not None and me.employee_id == p.bo.id
    assert telegram(uow, code, user="778") == (False, t.LINK_REFUSED_TITLE), "single use"
    assert [a["action"] for a in uow.audits] == [
        "link_code.issue",
        "identity.link",
        "identity.link_failed",
    ]


def test_an_employee_may_not_issue_codes_and_a_new_code_voids_the_old(
    org: tuple[FakeUnitOfWork, People],
) -> None:
    uow, p = org
    refused = request_link_code(
        LinkCodeCmd(PersonRef("email", p.ana.email)), uow=uow, actor=actor(p.bo), start_links={}
    )
    assert not refused.ok and refused.cards[0].lines == (t.LINK_CODE_NOT_ALLOWED,)
    assert uow.all(LinkCode) == [] and refused.refusal is not None
    first = issue_code(uow, p.ana, created_by="hr")
    issue_code(uow, p.ana, created_by="hr")
    assert telegram(uow, first.code) == (False, t.LINK_REFUSED_TITLE)


def test_relinking_forgets_the_old_account(org: tuple[FakeUnitOfWork, People]) -> None:
    uow, p = org
    uow.add(
        ChatIdentity(
            platform="telegram", platform_user_id="41", employee_id=p.ana.id, linked_at=uow.clock()
        )
    )
    issued = issue_code(uow, p.ana, created_by="hr")
    assert telegram(uow, issued.code, user="42")[0]
    assert sorted(i.platform_user_id for i in uow.all(ChatIdentity)) == ["42", "U05"]
    unlink = [a for a in uow.audits if a["action"] == "identity.unlink"]
    assert unlink and unlink[0]["before"] == {"accounts": ["41"]}


def test_repeated_failures_are_throttled(org: tuple[FakeUnitOfWork, People]) -> None:
    uow, p = org
    for _ in range(MAX_FAILURES):
        assert telegram(uow, "WRONGWRONG22") == (False, t.LINK_REFUSED_TITLE)
    good = issue_code(uow, p.bo, created_by="hr")
    reply = link_account(
        good.code, uow=uow, user_id="777", username=None, dm_channel=None, platform="telegram"
    )
    assert reply.cards[0].lines == (t.LINK_THROTTLED.format(minutes="15 minutes"),)
    assert telegram(uow, good.code, user="999")[0], "another account isn't affected"


def test_loading_the_org_file_updates_by_email_and_reloading_changes_nothing(
    org: tuple[FakeUnitOfWork, People],
) -> None:
    uow, p = org
    report = load_org(ORG, uow=uow, actor="hr", platforms=("slack", "telegram"))
    assert report.created == [
        "team Sales",
        "employee new.hire@acme.example",
        "identity telegram:42",
    ]
    assert report.updated == ["employee chen.jing@acme.example", "employee ana.li@acme.example"]
    assert report.unchanged == 2, "the branches"
    assert "ada.admin@acme.example" in report.not_in_file
    (sales,) = uow.all(Team)
    assert p.ana.team_id == sales.id and sales.manager_id == p.manager.id
    hire = uow.org.employee_by_email("new.hire@acme.example")
    assert hire is not None and hire.manager_id == p.manager.id and hire.branch_id == 2
    assert uow.get(Branch, 2) is not None and len(uow.all(Branch)) == 2
    assert uow.org.employee_by_chat("telegram", "42") is p.ana
    assert uow.commits == 1
    events = len(uow.audits)
    again = load_org(ORG, uow=uow, actor="hr", platforms=("slack", "telegram"))
    assert (again.created, again.updated, len(uow.audits)) == ([], [], events)


def test_an_unreachable_person_is_flagged_once_and_hr_told(
    org: tuple[FakeUnitOfWork, People],
) -> None:
    uow, p = org
    args = {"platform": "telegram", "reason": "blocked", "missed_title": "Your score"}
    assert report_unreachable(uow, p.ana.id, **args) == 1
    assert p.ana.unreachable_since == uow.clock()
    assert [(o["kind"], o["recipient_id"]) for o in uow.outbox] == [("unreachable", 3)]
    assert uow.outbox[0]["payload"]["title"] == t.UNREACHABLE_TITLE.format(name=p.ana.name)
    assert report_unreachable(uow, p.ana.id, **args) == 0, "one notice per episode"
    assert report_unreachable(uow, 999, **args) == 0
    assert [a["action"] for a in uow.audits] == ["employee.unreachable"]
