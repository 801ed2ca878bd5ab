"""`org load`: idempotent, updates by e-mail, and a bad file loads nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.demo.company import org_yaml
from handlers.people.org_load import load_org
from handlers.people.org_validate import OrgFileError
from store.models import AuditEvent, ChatIdentity, Employee

GOOD = """
branches:
  - {name: HQ, timezone: Asia/Shanghai, hq: true}
  - {name: Berlin, timezone: Europe/Berlin}
teams:
  - {name: Sales, branch: HQ, manager: boss@x.example}
employees:
  - {email: boss@x.example, name: Boss, team: Sales, role: manager}
  - {email: ana@x.example, name: Ana, team: Sales, manager: boss@x.example,
     scorecard: sales_rep, slack_id: U1, telegram_id: "42"}
"""

BROKEN = """
branches:
  - {name: HQ, timezone: Asia/Shanghai}
  - {name: Mars, timezone: Olympus/Mons}
teams:
  - {name: Sales, branch: HQ, manager: ghost@x.example}
employees:
  - {email: a@x.example, name: A, team: Sales, manager: b@x.example}
  - {email: b@x.example, name: B, team: Sales, manager: a@x.example}
  - {email: c@x.example, name: C, team: Sales, manager: nobody@x.example}
  - {email: c@x.example, name: C again, team: Sales}
  - {email: not-an-email, name: D}
"""


def _count(runtime, model) -> int:  # type: ignore[no-untyped-def]
    with runtime.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(model))


def test_reloading_the_same_file_changes_nothing(runtime):
    first = load_org(GOOD, uow=runtime.uow(), actor="t")
    assert len(first.created) == 7  # 2 branches, 1 team, 2 people, 2 chat identities
    events = _count(runtime, AuditEvent)
    again = load_org(GOOD, uow=runtime.uow(), actor="t")
    assert again.created == [] and again.updated == []
    assert _count(runtime, AuditEvent) == events
    assert _count(runtime, ChatIdentity) == 2


def test_a_changed_file_updates_people_by_email(runtime):
    load_org(GOOD, uow=runtime.uow(), actor="t")
    report = load_org(GOOD.replace("name: Ana,", "name: Ana Li,"), uow=runtime.uow(), actor="t")
    assert report.updated == ["employee ana@x.example"]
    with runtime.uow() as uow:
        assert (
            uow.session.scalar(select(Employee.name).where(Employee.email == "ana@x.example"))
            == "Ana Li"
        )


def test_a_broken_file_lists_every_problem_and_loads_nothing(runtime):
    with pytest.raises(OrgFileError) as err:
        load_org(BROKEN, uow=runtime.uow(), actor="t")
    text = "\n".join(err.value.problems)
    assert "line 4" in text and "unknown time zone 'Olympus/Mons'" in text
    assert "unknown manager 'nobody@x.example'" in text
    assert "team Sales: unknown manager 'ghost@x.example'" in text
    assert "cycle in the management chain" in text
    assert "duplicate e-mail 'c@x.example'" in text
    assert "invalid e-mail 'not-an-email'" in text
    assert _count(runtime, Employee) == 0


@pytest.mark.parametrize(
    "text, problem",
    [
        ("", "must be a mapping"),
        ("[1, 2", "not valid YAML"),
        ("branches: 7", "branches: must be a list"),
        ("people: []", "people: unknown section"),
    ],
)
def test_malformed_files_are_reported(runtime, text, problem):
    with pytest.raises(OrgFileError) as err:
        load_org(text, uow=runtime.uow(), actor="t")
    assert any(problem in p for p in err.value.problems)


def test_the_demo_org_loads(runtime):
    report = load_org(org_yaml(), uow=runtime.uow(), actor="demo")
    assert _count(runtime, Employee) == 43 and len(report.created) >= 50
