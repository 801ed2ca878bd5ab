"""Directory sync against a local SCIM server that pages, fails and changes between runs,
on SQLite and PostgreSQL: the organisation it holds is loaded as `org load` loads a file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.config import SlackSettings
from bot.directory_job import DirectoryRun, run_directory_sync
from bot.runtime import Runtime
from connectors.config import ConfigError
from connectors.http import SourceError
from handlers.people.org_validate import OrgFileError
from store.models import AuditEvent, ChatIdentity, Employee, Team
from tests.e2e.slack.fake_slack import TOKEN as SLACK_TOKEN
from tests.e2e.slack.fake_slack import FakeSlack
from tests.integration.connectors.fake_scim import TOKEN, FakeScim

ENV = {"SCIM_TOKEN": TOKEN}
CONFIG = """
directory:
  preset: scim
  base_url: {url}
  auth: {{type: bearer, token_env: SCIM_TOKEN}}
  page_size: 2
  branches:
    - {{name: HQ, timezone: Asia/Shanghai, hq: true}}
    - {{name: Berlin, timezone: Europe/Berlin}}
  branch_attribute: division
  external_id_attribute: externalId
  roles: {{HR: hr}}
  slack_ids: {slack}
  retry: {{max_attempts: 4, base_delay: 0, max_delay: 0}}
"""


def company(scim: FakeScim) -> None:
    scim.add("u1", "lin.ceo@acme.example", "Lin Ceo", department="Management")
    scim.add("u2", "chen.jing@acme.example", "Chen Jing", manager="u1", department="Sales")
    scim.add("u3", "ana.li@acme.example", "Ana Li", manager="u2", department="Sales",
             title="Account executive")  # fmt: skip
    scim.add("u4", "bo.wu@acme.example", "Bo Wu", manager="u2", department="Sales",
             division="Berlin")  # fmt: skip
    scim.add("u5", "hui.ren@acme.example", "Hui Ren", manager="u1", department="People")
    scim.users["u6"] = {"id": "u6", "userName": "svc-backup", "active": True}  # no e-mail
    scim.group("g1", "HR", ["u5"])
    scim.group("g2", "Everyone", ["u1", "u2", "u3", "u4", "u5"])


@pytest.fixture
def scim() -> Iterator[FakeScim]:
    with FakeScim(max_page=3) as server:
        company(server)
        yield server


def config(tmp_path: Path, scim: FakeScim, slack: bool = False) -> Path:
    path = tmp_path / "directory.yaml"
    path.write_text(CONFIG.format(url=scim.url, slack=str(slack).lower()), encoding="utf-8")
    return path


def sync(rt: Runtime, path: Path, sleeps: list[float] | None = None, **kw: Any) -> DirectoryRun:
    sleep = (sleeps if sleeps is not None else []).append
    return run_directory_sync(rt, config=path, environ=ENV, sleep=sleep, **kw)


def people(rt: Runtime) -> dict[str, tuple[Any, ...]]:
    """e-mail -> (name, role, active, manager's e-mail, team, title)"""
    with rt.uow() as uow:
        rows = {e.id: e for e in uow.session.scalars(select(Employee))}
        teams = {t.id: t.name for t in uow.session.scalars(select(Team))}
        return {
            e.email: (
                e.name,
                e.role,
                e.active,
                rows[e.manager_id].email if e.manager_id else None,
                teams.get(e.team_id),
                e.title,
            )
            for e in rows.values()
        }


def count(rt: Runtime, model: Any) -> int:
    with rt.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_paged_flaky_directory_loads_and_its_changes_follow(runtime, scim, tmp_path):
    path = config(tmp_path, scim)
    scim.fail("/Users", 503)  # then a 429 with Retry-After: both retried, the wait honoured
    scim.fail("/Users", 429, retry_after="1")
    sleeps: list[float] = []
    first = sync(runtime, path, sleeps)
    assert sleeps == [0.0, 1.0]
    users = [r for r in scim.requests if "/Users" in r]
    assert [u.split("?")[1] for u in users[2:]] == [
        "startIndex=1&count=2",
        "startIndex=3&count=2",
        "startIndex=5&count=2",
    ]
    assert first.read.users == 6 and first.read.groups == 2
    assert first.read.skipped == ["SCIM user u6 (svc-backup): no e-mail"]
    org = people(runtime)
    assert org == {
        "lin.ceo@acme.example": ("Lin Ceo", "manager", True, None, "Management", ""),
        "chen.jing@acme.example": ("Chen Jing", "manager", True, "lin.ceo@acme.example",
                                   "Sales", ""),
        "ana.li@acme.example": ("Ana Li", "employee", True, "chen.jing@acme.example", "Sales",
                                "Account executive"),
        "bo.wu@acme.example": ("Bo Wu", "employee", True, "chen.jing@acme.example", "Sales", ""),
        "hui.ren@acme.example": ("Hui Ren", "hr", True, "lin.ceo@acme.example", "People", ""),
    }  # fmt: skip
    with runtime.uow() as uow:
        sales = uow.session.scalar(select(Team).where(Team.name == "Sales"))
        boss = uow.session.get(Employee, sales.manager_id)
        ana = uow.session.scalar(select(Employee).where(Employee.email == "ana.li@acme.example"))
        assert boss.email == "chen.jing@acme.example" and ana.external_id == "hr-u3"

    again = sync(runtime, path)
    assert again.report.load.created == [] and again.report.load.updated == []

    # Between runs, HR changes the directory: a hire, a leaver, a new manager.
    scim.add("u7", "new.hire@acme.example", "New Hire", manager="u2", department="Sales")
    scim.set("u4", active=False)
    scim.set("u3", manager="u1")
    events = count(runtime, AuditEvent)
    changed = sync(runtime, path)
    assert changed.report.load.created == ["employee new.hire@acme.example"]
    assert changed.report.deactivated == ["bo.wu@acme.example"]
    org = people(runtime)
    assert org["bo.wu@acme.example"][2] is False
    assert org["ana.li@acme.example"][3] == "lin.ceo@acme.example"
    assert org["new.hire@acme.example"][1:4] == ("employee", True, "chen.jing@acme.example")
    assert count(runtime, AuditEvent) > events
    with runtime.uow() as uow:
        deactivation = uow.session.scalars(
            select(AuditEvent).where(AuditEvent.actor == "directory:scim")
        ).all()
    assert any((e.after or {}).get("active") is False for e in deactivation)

    scim.set("u4", active=True)
    back = sync(runtime, path)
    assert back.report.reactivated == ["bo.wu@acme.example"]


def test_a_dry_run_says_what_would_change_and_changes_nothing(runtime, scim, tmp_path):
    path = config(tmp_path, scim)
    sync(runtime, path)
    scim.set("u4", active=False)
    events = count(runtime, AuditEvent)
    dry = sync(runtime, path, dry_run=True)
    assert dry.report.deactivated == ["bo.wu@acme.example"]
    assert dry.report.load.updated == ["employee bo.wu@acme.example"]
    assert people(runtime)["bo.wu@acme.example"][2] is True
    assert count(runtime, AuditEvent) == events


def test_a_directory_that_fails_for_good_changes_nothing(runtime, scim, tmp_path):
    path = config(tmp_path, scim)
    sync(runtime, path)
    scim.set("u4", active=False)
    scim.fail("/Groups", 500, times=10)  # the users were read; the groups never are
    with pytest.raises(SourceError) as err:
        sync(runtime, path)
    assert "gave up after 4 attempts" in str(err.value)
    assert people(runtime)["bo.wu@acme.example"][2] is True

    bad = dict(ENV, SCIM_TOKEN="wrong-token")
    with pytest.raises(SourceError) as refused:
        run_directory_sync(runtime, config=path, environ=bad, sleep=lambda _: None)
    assert refused.value.status == 401 and "wrong-token" not in str(refused.value)


def test_what_does_not_validate_is_named_and_nothing_is_loaded(runtime, scim, tmp_path):
    path = config(tmp_path, scim)
    scim.set("u1", manager="u3")  # a cycle: Lin -> Ana -> Chen -> Lin
    scim.set("u5", manager="u99")  # a manager the directory doesn't list
    scim.set("u2", division="Atlantis")
    with pytest.raises(OrgFileError) as err:
        sync(runtime, path)
    assert err.value.problems == [
        "SCIM user u2: chen.jing@acme.example: unknown branch 'Atlantis'",
        "SCIM user u5: employee hui.ren@acme.example: unknown manager 'u99'",
        "cycle in the management chain: lin.ceo@acme.example -> ana.li@acme.example -> "
        "chen.jing@acme.example -> lin.ceo@acme.example",
    ]
    assert count(runtime, Employee) == 0


def test_configuration_problems_are_listed(runtime, scim, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "directory:\n  base_url: ftp://x\n  page_size: 0\n  roles: {HR: boss}\n"
        "  auth: {type: bearer, token_env: NOPE_TOKEN}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as err:
        sync(runtime, path)
    assert [e.split(":")[0] for e in err.value.errors] == [
        "directory.base_url",
        "directory.page_size",
        "directory.roles.HR",
    ]
    (tmp_path / "none.yaml").write_text("sources: []\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="no directory: section"):
        sync(runtime, tmp_path / "none.yaml")


def test_slack_ids_are_filled_by_email_within_the_rate_limit(runtime, scim, tmp_path):
    path = config(tmp_path, scim, slack=True)
    with FakeSlack() as slack:
        slack.add_user("US2", "chen.jing@acme.example")
        slack.add_user("US3", "Ana.Li@acme.example")
        slack.force("users.lookupByEmail", 429, {"ok": False, "error": "ratelimited"},
                    **{"Retry-After": "0"})  # fmt: skip
        runtime.settings = runtime.settings.model_copy(
            update={"slack": SlackSettings(bot_token=SLACK_TOKEN, api_url=slack.api_url)}
        )
        first = sync(runtime, path)
        assert first.report.chat_ids_found == {
            "chen.jing@acme.example": "US2",
            "ana.li@acme.example": "US3",
        }
        assert first.report.looked_up == 5 and first.problems == []
        asked = [c["email"] for c in slack.of("users.lookupByEmail")]
        assert len(asked) == 6  # one was answered 429 and asked again
        with runtime.uow() as uow:
            linked = dict(
                uow.session.execute(
                    select(ChatIdentity.platform_user_id, Employee.email).join(
                        Employee, Employee.id == ChatIdentity.employee_id
                    )
                ).all()
            )
        assert linked == {"US2": "chen.jing@acme.example", "US3": "ana.li@acme.example"}

        second = sync(runtime, path)  # only those still without a Slack account are asked
        assert second.report.looked_up == 3 and second.report.chat_ids_found == {}

        for _ in range(4):  # limited past the retries: the rest wait a run, the sync goes on
            slack.force("users.lookupByEmail", 429, {"ok": False, "error": "ratelimited"},
                        **{"Retry-After": "0"})  # fmt: skip
        scim.set("u4", active=False)
        third = sync(runtime, path)
        assert third.problems == ["users.lookupByEmail: ratelimited; the rest wait a run"]
        assert third.report.deactivated == ["bo.wu@acme.example"]
