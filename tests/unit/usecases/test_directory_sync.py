"""Directory sync as a use case over the in-memory unit of work: what the directory leaves
out stays, roles, `active: false`, and chat ids looked up only for those without one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from handlers.people.directory_sync import sync_directory
from handlers.people.org_validate import OrgFileError
from store.models import ChatIdentity, Employee
from tests.fakes.org import People, small_company
from tests.fakes.uow import FakeUnitOfWork

PLATFORMS = ("slack", "telegram")


def entry(email: str, **values: Any) -> dict[str, Any]:
    """An employee entry as a directory connector builds it (None: the directory is silent)."""
    base: dict[str, Any] = dict.fromkeys(
        ("title", "team", "branch", "manager", "role", "scorecard", "external_id")
    )
    return base | {"email": email, "name": email.split("@")[0].title(), "active": True} | values


def directory(p: People) -> list[dict[str, Any]]:
    return [
        entry(p.admin.email),
        entry(p.hr_hq.email),
        entry(p.hr_berlin.email),
        entry(p.manager.email, team="Sales"),
        entry(p.ana.email, team="Sales", manager=p.manager.email),
        entry(p.bo.email, team="Sales", manager=p.manager.email, active=False),
    ]


@pytest.fixture
def org() -> tuple[FakeUnitOfWork, People]:
    return small_company()


def run(uow: FakeUnitOfWork, people: list[dict[str, Any]], **kw: Any) -> Any:
    return sync_directory(people, uow=lambda: uow, actor="directory:scim", platforms=PLATFORMS,
                          **kw)  # fmt: skip


def test_what_the_directory_leaves_out_stays_and_roles_follow_reports(org):
    uow, p = org
    report = run(uow, directory(p))
    assert (p.ana.scorecard, p.ana.branch_id) == ("sales_rep", 2), "kept: not in the directory"
    assert (p.hr_hq.role, p.admin.role) == ("hr", "admin"), "no group maps a role: kept"
    assert p.manager.role == "manager" and p.ana.role == "employee"
    assert p.bo.active is False and report.deactivated == [p.bo.email]
    assert p.gone.active is False and report.load.not_in_file == [], "listed: active ones only"
    team = next(t for t in uow.people.teams_by_name().values() if t.name == "Sales")
    assert (team.manager_id, team.branch_id) == (p.manager.id, 2)
    audited = [a for a in uow.audits if a["entity_id"] == str(p.bo.id)]
    assert audited[-1]["before"]["active"] is True and audited[-1]["after"]["active"] is False


def test_groups_decide_roles_when_the_directory_maps_them(org):
    uow, p = org
    people = directory(p)
    people[1]["role"] = "hr"  # the HR group's member
    run(uow, people, roles_from_directory=True)
    assert p.hr_hq.role == "hr"
    assert (p.admin.role, p.hr_berlin.role) == ("employee", "employee")


def test_chat_ids_are_looked_up_for_active_people_without_one(org):
    uow, p = org
    asked: list[list[str]] = []

    def lookup(emails: Sequence[str]) -> Mapping[str, str]:
        asked.append(list(emails))
        return {p.manager.email: "U04"}

    report = run(uow, directory(p), chat_platform="slack", chat_lookup=lookup)
    # Ana has a Slack account already; Bo is leaving
    assert asked == [[p.admin.email, p.hr_hq.email, p.hr_berlin.email, p.manager.email]]
    assert report.chat_ids_found == {p.manager.email: "U04"}
    linked = {(i.platform_user_id, i.employee_id) for i in uow.all(ChatIdentity)}
    assert ("U04", p.manager.id) in linked


def test_a_bad_entry_is_named_by_its_origin_and_nothing_is_applied(org):
    uow, p = org
    people = directory(p)
    people[4] |= {"manager": "u99", "origin": "SCIM user u5"}
    people.append(entry("nobody-at-all", origin="SCIM user u9"))
    people.append(entry("new@acme.example", origin="SCIM user u8", branch="Mars"))
    with pytest.raises(OrgFileError) as err:
        run(uow, people)
    assert err.value.problems == [
        "SCIM user u9: missing or invalid e-mail 'nobody-at-all'",
        "SCIM user u8: new@acme.example: unknown branch 'Mars'",
        f"SCIM user u5: employee {p.ana.email}: unknown manager 'u99'",
    ]
    assert p.bo.active is True and uow.commits == 0
    assert all(e.email != "new@acme.example" for e in uow.all(Employee))
