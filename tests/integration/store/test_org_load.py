"""`org load`: idempotent, updates by e-mail, and a bad file loads nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.demo.company import org_yaml
from handlers.identity import actor_by_mobile
from handlers.people.org_load import load_org
from handlers.people.org_validate import OrgFileError, parse_org
from store.models import AuditEvent, ChatIdentity, Employee

PLATFORMS = ("slack", "telegram")  # as bot/platform_names.py passes them

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
    first = load_org(GOOD, uow=runtime.uow(), actor="t", platforms=PLATFORMS)
    assert len(first.created) == 7  # 2 branches, 1 team, 2 people, 2 chat identities
    events = _count(runtime, AuditEvent)
    again = load_org(GOOD, uow=runtime.uow(), actor="t", platforms=PLATFORMS)
    assert again.created == [] and again.updated == []
    assert _count(runtime, AuditEvent) == events
    assert _count(runtime, ChatIdentity) == 2


def test_a_changed_file_updates_people_by_email(runtime):
    load_org(GOOD, uow=runtime.uow(), actor="t", platforms=PLATFORMS)
    changed = GOOD.replace("name: Ana,", "name: Ana Li,")
    report = load_org(changed, uow=runtime.uow(), actor="t", platforms=PLATFORMS)
    assert report.updated == ["employee ana@x.example"]
    with runtime.uow() as uow:
        assert (
            uow.session.scalar(select(Employee.name).where(Employee.email == "ana@x.example"))
            == "Ana Li"
        )


def test_a_broken_file_lists_every_problem_and_loads_nothing(runtime):
    with pytest.raises(OrgFileError) as err:
        load_org(BROKEN, uow=runtime.uow(), actor="t", platforms=PLATFORMS)
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
        load_org(text, uow=runtime.uow(), actor="t", platforms=PLATFORMS)
    assert any(problem in p for p in err.value.problems)


def test_the_demo_org_loads(runtime):
    report = load_org(org_yaml(), uow=runtime.uow(), actor="demo", platforms=PLATFORMS)
    assert _count(runtime, Employee) == 43 and len(report.created) >= 50


CHAT = """
branches:
  - {name: HQ, timezone: Asia/Shanghai}
employees:
  - email: ana@x.example
    branch: HQ
    chat: {slack: U1, telegram: 42}
  - {email: bo@x.example, branch: HQ, slack_id: U2, telegram_id: "43"}
  - email: cy@x.example
    branch: HQ
    chat:
      slack: U3
    telegram_id: "44"
"""


def test_the_chat_map_and_the_older_fields_both_load(runtime):
    org = parse_org(CHAT, PLATFORMS)
    assert [p.chat for p in org.people] == [
        {"slack": "U1", "telegram": "42"},
        {"slack": "U2", "telegram": "43"},
        {"slack": "U3", "telegram": "44"},
    ]
    load_org(CHAT, uow=runtime.uow(), actor="t", platforms=PLATFORMS)
    with runtime.uow() as uow:
        rows = uow.session.execute(
            select(ChatIdentity.platform, ChatIdentity.platform_user_id, Employee.email)
            .join(Employee, Employee.id == ChatIdentity.employee_id)
            .order_by(ChatIdentity.platform, ChatIdentity.platform_user_id)
        ).all()
    assert [tuple(r) for r in rows] == [
        ("slack", "U1", "ana@x.example"),
        ("slack", "U2", "bo@x.example"),
        ("slack", "U3", "cy@x.example"),
        ("telegram", "42", "ana@x.example"),
        ("telegram", "43", "bo@x.example"),
        ("telegram", "44", "cy@x.example"),
    ]


BAD_CHAT = """
branches:
  - {name: HQ, timezone: Asia/Shanghai}
employees:
  - email: ana@x.example
    chat:
      slack: U1
      matrix: "@ana:x.example"
  - {email: bo@x.example, chat: U2}
  - {email: cy@x.example, chat: {slack: U3}, slack_id: U4}
  - {email: di@x.example, chat: {slack: U1}}
"""


def test_a_bad_chat_map_is_reported_with_its_line_and_loads_nothing(runtime):
    with pytest.raises(OrgFileError) as err:
        load_org(BAD_CHAT, uow=runtime.uow(), actor="t", platforms=PLATFORMS)
    assert err.value.problems == [
        "line 7: ana@x.example: unknown chat platform 'matrix' (known: slack, telegram)",
        "line 9: bo@x.example: chat must map a platform to an id",
        "line 10: cy@x.example: slack_id 'U4' and chat 'U3' differ",
        "employees: chat.slack 'U1' given to more than one person",
    ]
    assert _count(runtime, Employee) == 0


def test_without_the_platform_the_file_names_it_is_unknown():
    with pytest.raises(OrgFileError) as err:
        parse_org(CHAT, ("slack",))
    assert "line 7: ana@x.example: unknown chat platform 'telegram' (known: slack)" in (
        err.value.problems
    )


def test_a_display_name_is_how_cards_name_the_person(runtime):
    named = GOOD.replace("name: Ana, team", "name: Zhou Yue, display_name: Yue Zhou, team")
    load_org(named, uow=runtime.uow(), actor="t", platforms=PLATFORMS)
    with runtime.uow() as uow:
        ana = uow.session.scalar(select(Employee).where(Employee.email == "ana@x.example"))
        boss = uow.session.scalar(select(Employee).where(Employee.email == "boss@x.example"))
        assert (ana.name, ana.display_name, boss.display_name) == ("Zhou Yue", "Yue Zhou", None)
    plain = load_org(GOOD, uow=runtime.uow(), actor="t", platforms=PLATFORMS)
    assert plain.updated == ["employee ana@x.example"]  # back to the default: the full name


def test_a_mobile_is_stored_as_e164_and_finds_the_person(runtime):
    given = GOOD.replace("name: Ana, team", 'name: Ana, mobile: "+86 138-0013-8000", team')
    load_org(given, uow=runtime.uow(), actor="t", platforms=PLATFORMS)
    with runtime.uow() as uow:
        ana = uow.session.scalar(select(Employee).where(Employee.email == "ana@x.example"))
        assert ana.mobile == "+8613800138000"
        found = actor_by_mobile(uow, "+8613800138000", "console")
        assert found is not None and found.email == "ana@x.example"
        assert actor_by_mobile(uow, "+8613800138001", "console") is None
    again = load_org(given, uow=runtime.uow(), actor="t", platforms=PLATFORMS)
    assert again.updated == []


BAD_MOBILES = """
branches: [{name: HQ, timezone: Asia/Shanghai, hq: true}]
employees:
  - {email: ana@x.example, mobile: +8613800138000}
  - {email: bo@x.example, mobile: "13800138000"}
  - {email: cy@x.example, mobile: "+86 138 0013 8001"}
  - {email: di@x.example, mobile: "+8613800138001"}
"""


def test_a_bad_or_shared_mobile_is_named_and_loads_nothing(runtime):
    with pytest.raises(OrgFileError) as err:
        load_org(BAD_MOBILES, uow=runtime.uow(), actor="t", platforms=PLATFORMS)
    assert err.value.problems == [
        "line 4: ana@x.example: mobile 8613800138000 is not an international number such as"
        " '+8613800138000' (+, country code, number) (quote it: YAML reads +86… as a number)",
        "line 5: bo@x.example: mobile '13800138000' is not an international number such as"
        " '+8613800138000' (+, country code, number)",
        "employees: mobile '+8613800138001' given to more than one person",
    ]
    assert _count(runtime, Employee) == 0
