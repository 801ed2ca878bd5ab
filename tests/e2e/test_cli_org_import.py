"""`perfbot org import slack|telegram` end to end: the fake Slack Web API (paged users.list,
a 429 with Retry-After) and the fake Telegram Bot API on loopback, then `org load` of the
file it wrote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.slack import members as slack_members
from tests.e2e.org_import_support import load_after_filling, run
from tests.e2e.slack.fake_slack import TOKEN as SLACK_TOKEN
from tests.e2e.slack.fake_slack import FakeSlack
from tests.fakes.telegram_bot_api import TOKEN as TG_TOKEN
from tests.fakes.telegram_bot_api import FakeBotApi, Group
from tests.fakes.telegram_updates import TgUser, Updates


def workspace(fake: FakeSlack) -> None:
    """Five people over two time zones, and the accounts users.list lists that aren't people."""
    shanghai, berlin = {"tz": "Asia/Shanghai"}, {"tz": "Europe/Berlin"}
    fake.add_user("UANA", "ana.li@acme.example", "ana", real_name="Ana Li", **shanghai,
                  profile={"real_name": "Ana Li", "title": "Account Executive"})  # fmt: skip
    fake.add_user("UCHEN", "chen.jing@acme.example", "chen", real_name="Chen Jing", **shanghai)
    fake.add_user("UZHOU", "zhou.tao@acme.example", "zhou", real_name="Zhou Tao", **shanghai)
    fake.add_user("UMAX", "max.braun@acme.example", "max", real_name="Max Braun", **berlin)
    fake.add_user("UGUEST", None, "pat", real_name="Pat Guest", is_restricted=True, **berlin)
    fake.add_user("USLACKBOT", None, "slackbot", real_name="Slackbot")
    fake.add_user("UBOT", None, "deploybot", is_bot=True)
    fake.add_user("UAPP", None, "workflow", is_app_user=True)
    fake.add_user("UGONE", "left@acme.example", "left", deleted=True)


def test_slack_import_pages_waits_out_a_429_and_loads(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(slack_members, "PAGE", 3)  # 9 accounts: three pages
    out = tmp_path / "org.yaml"
    with FakeSlack() as fake:
        workspace(fake)
        fake.force("users.list", 429, {"ok": False, "error": "ratelimited"}, **{"Retry-After": "1"})
        env = {"SLACK_BOT_TOKEN": SLACK_TOKEN, "SLACK_API_URL": fake.api_url}
        code, printed = run(env, "org", "import", "slack", "--out", str(out), "--db", db_url)
        assert code == 0, printed
        assert printed.startswith(f"wrote {out}: 5 people from slack")
        cursors = [c.get("cursor", "") for c in fake.of("users.list")]
        # the first page was refused with a 429 and asked again after Retry-After
        assert cursors == ["", "", "dXNlcjo3", "dXNlcjo6"]

        text = out.read_text(encoding="utf-8")
        for gone in ("USLACKBOT", "UBOT", "UAPP", "UGONE", "left@"):
            assert gone not in text
        assert "  - {name: Shanghai, timezone: Asia/Shanghai, hq: true}" in text
        assert "  - {name: Berlin, timezone: Europe/Berlin}" in text
        assert (
            "  - email: ana.li@acme.example\n    name: Ana Li\n    title: Account Executive\n"
            in text
        )
        assert "    chat: {slack: UANA}  # @ana\n" in text
        assert "    chat: {slack: UGUEST}  # @pat; a guest account in Slack\n" in text

        # What is left to do is the one e-mail Slack did not share: the dry run says so.
        todo = "TODO fill in: the e-mail of @pat"
        assert load_after_filling(out, db_url, todo, "pat@acme.example").startswith("created 12")
        code, printed = run({}, "org", "list", "--db", db_url, "--json")
        assert '"branch": "Berlin"' in printed and "max.braun@acme.example" in printed

        # An existing file is never overwritten without --force.
        code, printed = run(env, "org", "import", "slack", "--out", str(out), "--db", db_url)
        assert code == 1 and f"{out} exists: --force overwrites it" in printed
        assert "pat@acme.example" in out.read_text(encoding="utf-8")
        args = ("org", "import", "slack", "--out", str(out), "--db", db_url, "--force")
        code, printed = run(env, *args, "--json")
        report = json.loads(printed)
        assert report["ok"] and report["people"] == 5 and report["todo"] > 0
        assert report["notes"][0].startswith("Slack does not say who manages whom")
        # Pat's account is linked now: the e-mail Slack doesn't share comes from perfbot.
        assert code == 0 and "TODO fill in: the e-mail" not in out.read_text(encoding="utf-8")
        assert "  - email: pat@acme.example\n    name: Pat Guest\n" in out.read_text("utf-8")


def test_the_dry_run_names_each_todo_left_by_line_and_the_counts_agree(
    db_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "org.yaml"
    with FakeSlack() as fake:
        workspace(fake)
        env = {"SLACK_BOT_TOKEN": SLACK_TOKEN, "SLACK_API_URL": fake.api_url}
        args = ("org", "import", "slack", "--out", str(out), "--db", db_url)
        code, printed = run(env, *args, "--json")
    assert code == 0, printed
    imported = json.loads(printed)["todo"]
    text = out.read_text(encoding="utf-8")
    # the guest's e-mail filled in: the file loads, and every other TODO is listed
    out.write_text(text.replace("'TODO fill in: the e-mail of @pat'", "pat@acme.example"))
    code, printed = run({}, "org", "load", str(out), "--db", db_url, "--dry-run")
    assert code == 0, printed
    head, *rest = printed.splitlines()
    assert head == f"{out}: {imported - 1} TODOs still to fill in:"
    listed = rest[: imported - 1]
    assert rest[imported - 1].startswith("would create ")
    lines = out.read_text(encoding="utf-8").splitlines()
    for entry in listed:  # `  line 17: team: a team of teams:`
        number, what = entry.removeprefix("  line ").split(": ", 1)
        assert "TODO fill in" in lines[int(number) - 1] and what
    assert "  line 10: the branch's name (3 people in Asia/Shanghai)" in listed
    assert any(e.endswith(": manager: their manager's e-mail") for e in listed)
    code, printed = run({}, "org", "load", str(out), "--db", db_url, "--dry-run", "--json")
    assert [t["line"] for t in json.loads(printed)["todo"]] == [
        int(e.removeprefix("  line ").split(":")[0]) for e in listed
    ]
    # loading anyway (people without a team are allowed) ends with a reminder of the count
    code, printed = run({}, "org", "load", str(out), "--db", db_url)
    assert code == 0 and printed.startswith("created ")
    reminder = f"{out}: {imported - 1} TODOs still to fill in (perfbot org load {out} --dry-run"
    assert printed.splitlines()[-1] == reminder + " lists them)"


def test_slack_import_refuses_a_bad_token_or_a_missing_scope(db_url: str, tmp_path: Path) -> None:
    out = tmp_path / "org.yaml"
    with FakeSlack() as fake:
        args = ("org", "import", "slack", "--out", str(out), "--db", db_url)
        code, printed = run({"SLACK_BOT_TOKEN": "xoxb-wrong", "SLACK_API_URL": fake.api_url}, *args)
        assert code == 1 and printed == "Error: Slack users.list failed: invalid_auth\n"
        fake.force("users.list", 200, {"ok": False, "error": "missing_scope"})
        code, printed = run({"SLACK_BOT_TOKEN": SLACK_TOKEN, "SLACK_API_URL": fake.api_url}, *args)
        assert code == 1 and "missing_scope (the app needs the users:read and" in printed
        code, printed = run({"SLACK_BOT_TOKEN": ""}, *args)
        assert code == 1 and printed == "Error: SLACK_BOT_TOKEN is not set\n"
    closed = {"SLACK_BOT_TOKEN": SLACK_TOKEN, "SLACK_API_URL": fake.api_url}  # now stopped
    code, printed = run(closed, *args)
    assert code == 1 and printed.startswith("Error: Slack users.list failed: ")
    assert "Connection refused" in printed and "Traceback" not in printed
    assert not out.exists()


ALICE = TgUser(424242, "Alice", "alice", "Li")
CHEN = TgUser(515151, "Chen", "chenjing")
ZHAO = TgUser(616161, "Zhao", "zhaomin_hr", "Min")
MAX = TgUser(818181, "Max", None, "Braun")
OTHER_BOT = {"id": 999111, "is_bot": True, "first_name": "Deploys", "username": "deploy_bot"}
GROUP_ID, OTHER_ID = -1001234567890, -1009876543210


def user(u: TgUser) -> dict[str, object]:
    return u.as_json()


def test_telegram_import_reads_updates_groups_and_linked_accounts(
    db_url: str, tmp_path: Path
) -> None:
    # Zhao is linked already (as a redeemed code or the org file does): the e-mail is known.
    # The branch posts praise to the Managers group: a configured group chat, read too.
    known = tmp_path / "known.yaml"
    known.write_text(
        f"branches: [{{name: HQ, timezone: Asia/Shanghai, hq: true,"
        f" recognition_channel: '{OTHER_ID}'}}]\n"
        "teams: [{name: Sales, branch: HQ, recognition_channel: '#sales'}]\n"
        "employees:\n"
        "  - {email: zhao.min@acme.example, name: Zhao Min, chat: {telegram: '616161'}}\n",
        encoding="utf-8",
    )
    assert run({}, "org", "load", str(known), "--db", db_url)[0] == 0
    out = tmp_path / "org.yaml"
    with FakeBotApi() as api:
        updates = Updates()
        api.push_update(updates.message(ALICE, "/start"))  # wrote to the bot in private
        group = {"id": GROUP_ID, "title": "Sales East", "type": "supergroup"}
        api.push_update(updates.message(MAX, "/score@perf_test_bot", chat=group))
        api.groups[GROUP_ID] = Group("Sales East", [user(CHEN), OTHER_BOT], [user(MAX)])
        api.groups[OTHER_ID] = Group("Managers", [user(CHEN)], [user(ZHAO)])
        env = {"TELEGRAM_BOT_TOKEN": TG_TOKEN, "TELEGRAM_API_URL": api.base_url}
        args = ("org", "import", "telegram", "--out", str(out), "--db", db_url)
        code, printed = run(env, *args, "--chat", "-100404")
        assert code == 0, printed
        assert printed.startswith(f"wrote {out}: 4 people from telegram")

    text = out.read_text(encoding="utf-8")
    assert "# - Group chat -100404: Chat not found (is the bot a member?)" in text
    assert "#sales" not in text  # a Slack channel name is not looked up on Telegram
    assert [c.params["chat_id"] for c in api.called("getChat")] == [-100404, OTHER_ID]
    assert "# - Group Sales East: 4 members, bots included; the Bot API lists only" in text
    assert "# - Group Managers: 3 members" in text
    assert "deploy_bot" not in text and "999111" not in text
    assert "  - email: zhao.min@acme.example\n    name: Zhao Min\n" in text
    assert "    chat: {telegram: '616161'}  # @zhaomin_hr; in Managers\n" in text
    assert "  - email: 'TODO fill in: the e-mail of @alice'\n    name: Alice Li\n" in text
    assert "    chat: {telegram: '818181'}  # in Sales East\n" in text
    assert "  - {name: Headquarters, timezone: UTC, hq: true}  # TODO fill in" in text

    # Loading it reports only what is marked TODO: the e-mails Telegram can't know.
    code, printed = run({}, "org", "load", str(out), "--db", db_url, "--dry-run")
    assert code == 1
    problems = printed.splitlines()[1:]
    assert len(problems) == 3 and all("'TODO fill in: the e-mail of " in p for p in problems)


def test_telegram_import_with_a_webhook_or_a_wrong_token(db_url: str, tmp_path: Path) -> None:
    out = tmp_path / "org.yaml"
    with FakeBotApi() as api:
        api.webhook_url = "https://bot.example.com/telegram/hook"
        api.groups[GROUP_ID] = Group("Sales East", [user(CHEN)])
        env = {"TELEGRAM_BOT_TOKEN": TG_TOKEN, "TELEGRAM_API_URL": api.base_url}
        args = ("org", "import", "telegram", "--out", str(out), "--db", db_url)
        code, printed = run(env, *args, "--chat", str(GROUP_ID))
        assert code == 0, printed
        assert not api.called("getUpdates")  # would break the webhook
        text = out.read_text(encoding="utf-8")
        assert "# - The bot has a webhook, so its pending updates can't be read here" in text
        assert "chat: {telegram: '515151'}  # @chenjing; in Sales East" in text

        out.unlink()
        code, printed = run({**env, "TELEGRAM_BOT_TOKEN": "1:wrong"}, *args)
        assert code == 1 and printed == "Error: Telegram rejected TELEGRAM_BOT_TOKEN\n"
        assert not out.exists()
    code, printed = run(env, *args)  # the Bot API is gone
    assert code == 1 and printed.startswith("Error: Telegram: ") and "Traceback" not in printed
    code, printed = run({"TELEGRAM_BOT_TOKEN": ""}, *args)
    assert code == 1 and "TELEGRAM_BOT_TOKEN is not set" in printed
    assert not out.exists()
