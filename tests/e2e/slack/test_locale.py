"""Issue 17: the language Slack reports for a user (users.info with include_locale) is the
one perfbot answers them in, and writes their notices in, unless the org file sets one."""

from __future__ import annotations

from sqlalchemy import select, update

from store.models import ChatIdentity, Employee, Outbox
from tests.e2e.slack.conftest import ANA, CHEN


def test_a_chinese_slack_user_is_answered_in_chinese(slack, demo):
    slack.fake.users[ANA]["locale"] = "zh-CN"
    resp = slack.command(ANA, "", command="/score")
    assert resp.json()["text"].startswith("得分 · Ana Li")
    [asked] = slack.fake.of("users.info")
    assert str(asked.get("include_locale")).lower() in ("true", "1")
    with demo.uow() as uow:
        ident = uow.session.scalar(select(ChatIdentity).where(ChatIdentity.platform_user_id == ANA))
    assert ident.locale == "zh_CN"
    # An English manager's praise reaches her in Chinese; he reads his own reply in English.
    resp = slack.command(CHEN, f"<@{ANA}|ana> closed the ACME deal", command="/praise")
    assert "Praise" in resp.json()["text"]
    with demo.uow() as uow:
        rows = uow.session.scalars(select(Outbox).where(Outbox.kind == "praise")).all()
    dm = next(r for r in rows if r.recipient_id is not None)
    assert dm.payload["title"].startswith("来自") or "表扬" in dm.payload["title"]


def test_the_org_files_locale_wins_over_slacks(slack, demo):
    slack.fake.users[ANA]["locale"] = "zh-CN"
    with demo.uow() as uow:
        uow.session.execute(
            update(Employee).where(Employee.email == "ana.li@acme.example").values(locale="en")
        )
        uow.commit()
    assert slack.command(ANA, "", command="/score").json()["text"].startswith("Score · Ana Li")


def test_a_mistyped_command_is_explained_in_the_users_language(slack, demo):
    # Slack's adapter parses before it knows who is writing; the answer is still Chinese.
    slack.fake.users[ANA]["locale"] = "zh-CN"
    body = slack.command(ANA, "2026-13", command="/score").json()
    assert body["text"].startswith("操作未成功"), body["text"]
