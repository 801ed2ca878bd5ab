"""The handlers kernel (who may see whom, who a mention names, which period) against the
in-memory unit of work: no database."""

from __future__ import annotations

from pathlib import Path

import pytest

import handlers
from handlers.actor import Actor
from handlers.commands import PersonRef
from handlers.common import Refused, employee_for, local_today, period_for
from handlers.dispatch import Dispatcher
from handlers.identity import (
    ChatAccount,
    actor_by_email,
    actor_by_identity,
    find_person,
    link_identity,
)
from handlers.periods import PeriodRef
from handlers.permissions import can_manage, can_view, hr_for, manages, visible_ids
from store.models import Employee
from tests.fakes.org import People, small_company
from tests.fakes.uow import FakeUnitOfWork, NoDatabase


@pytest.fixture
def org() -> tuple[FakeUnitOfWork, People]:
    return small_company()


def actor(e: Employee) -> Actor:
    return Actor(e.id, e.email, e.name, e.role, e.branch_id, "console", None)


def test_who_sees_whom(org: tuple[FakeUnitOfWork, People]) -> None:
    uow, p = org
    assert manages(uow, p.manager.id, p.ana.id)
    assert not manages(uow, p.ana.id, p.bo.id)
    assert can_view(uow, actor(p.manager), p.ana)
    assert not can_view(uow, actor(p.bo), p.ana)
    assert can_view(uow, actor(p.hr_hq), p.ana), "HR at headquarters sees every branch"
    assert not can_manage(uow, actor(p.hr_berlin), p.ana)
    assert sorted(visible_ids(uow, actor(p.manager))) == [p.ana.id, p.bo.id], "leaver left out"
    assert sorted(visible_ids(uow, actor(p.hr_berlin))) == [3, 4, 5, 6]
    assert [e.id for e in hr_for(uow, p.ana)] == [p.hr_berlin.id]
    assert [e.id for e in hr_for(uow, p.ana, exclude={p.hr_berlin.id})] == [p.hr_hq.id]


def test_mentions_and_actors(org: tuple[FakeUnitOfWork, People]) -> None:
    uow, p = org
    assert find_person(uow, PersonRef("chat", "U05", "slack")) is p.ana
    assert find_person(uow, PersonRef("email", "BO.WU@acme.example")) is p.bo
    assert find_person(uow, PersonRef("handle", "ana")) is p.ana
    assert find_person(uow, PersonRef("handle", "bo.wu")) is p.bo
    assert find_person(uow, PersonRef("handle", "nobody")) is None
    me = actor_by_identity(uow, "slack", "U05")
    assert me is not None and (me.employee_id, me.timezone) == (p.ana.id, "Europe/Berlin")
    assert actor_by_email(uow, "old.timer@acme.example") is None, "a leaver is nobody"


def test_linking_an_account_is_audited(org: tuple[FakeUnitOfWork, People]) -> None:
    uow, p = org
    link_identity(uow, ChatAccount("telegram", "42", username="bo"), p.bo.id)
    assert find_person(uow, PersonRef("chat", "42", "telegram")) is p.bo
    assert [a["action"] for a in uow.audits] == ["identity.link"]


def test_periods_and_people_for_a_command(org: tuple[FakeUnitOfWork, People]) -> None:
    uow, p = org
    assert str(local_today(uow, 1, uow.clock())) == "2026-11-20"
    found = period_for(uow, actor(p.ana), None)
    assert not isinstance(found, Refused) and found.key == "2026-11"
    missing = period_for(uow, actor(p.ana), PeriodRef("month", 2026, 10))
    assert isinstance(missing, Refused) and "2026-10" in str(missing.reply.cards[0].lines)
    refused = employee_for(uow, actor(p.bo), PersonRef("email", p.ana.email), "score")
    assert isinstance(refused, Refused) and refused.reply.refusal is not None
    assert uow.audits == [], "a refusal is audited by the dispatcher, not here"


def test_the_fake_refuses_the_session(org: tuple[FakeUnitOfWork, People]) -> None:
    uow, _ = org
    with pytest.raises(NoDatabase):
        uow.session.get(Employee, 1)


def test_the_dispatcher_audits_what_a_handler_refuses(org: tuple[FakeUnitOfWork, People]) -> None:
    uow, p = org
    dispatcher = Dispatcher({"uow": lambda: uow, "start_links": {}})
    reply = dispatcher.text(actor(p.bo), f"/linkcode {p.ana.email}")
    assert not reply.ok and reply.refusal is not None
    [event] = uow.audits
    assert (event["action"], event["actor"], event["entity_id"]) == ("denied", p.bo.email, "5")
    assert event["after"]["attempted"] == "link_code.issue"
    assert event["after"]["via"] == "/linkcode"


def test_refusals_are_only_made_by_deny() -> None:
    """A "Not allowed" card written by hand would skip the audit: only deny() builds one."""
    root = Path(handlers.__file__).parent
    hand_made = [
        str(f.relative_to(root))
        for f in root.rglob("*.py")
        if "NOT_ALLOWED_TITLE" in f.read_text()
        and f.name not in ("permissions.py", "strings_en.py")
    ]
    assert hand_made == []
