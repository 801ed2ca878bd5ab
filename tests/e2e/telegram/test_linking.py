"""Linking a Telegram account end to end: HR asks for a code in chat (or on the CLI), the
employee sends /start CODE (what a t.me deep link sends); bad codes look all alike."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

from click.testing import CliRunner
from sqlalchemy import select

from bot.cli import main
from bot.telegram import strings as st
from handlers import strings_en as t
from handlers.people.link_account import MAX_FAILURES
from store.models import ChatIdentity
from tests.conftest import NOW
from tests.e2e.telegram.conftest import ANA, STRANGER, ZHAO, ZHOU
from tests.fakes.telegram_updates import GROUP

CODE = re.compile(r"Code: ([A-Z0-9]{12})")


def _code_from_chat(tg) -> str:
    tg.link(ZHAO)
    [call] = tg.say(ZHAO, "/linkcode ana.li@acme.example")
    text = call.params["text"]
    code = CODE.search(text)[1]
    assert call.params["chat_id"] == ZHAO.id
    assert f"https://t.me/perf_test_bot?start={code}" in text
    return code


def test_hr_asks_in_chat_and_the_employee_links_with_the_deep_link(tg):
    code = _code_from_chat(tg)
    [before] = tg.say(ANA, "/score")
    assert t.UNLINKED_TITLE in before.params["text"]
    [welcome] = tg.say(ANA, f"/start {code}")  # t.me/perf_test_bot?start=CODE sends this
    assert welcome.params["text"].startswith("<b>Welcome, Ana Li</b>")
    [score] = tg.say(ANA, "/score")
    assert score.params["text"].startswith("<b>Score · Ana Li")
    with tg.rt.uow() as uow:
        ident = uow.session.scalar(
            select(ChatIdentity).where(
                ChatIdentity.platform == "telegram", ChatIdentity.platform_user_id == str(ANA.id)
            )
        )
    assert (ident.username, ident.dm_channel) == ("alice", str(ANA.id))
    [hello] = tg.say(ANA, "/start")
    assert hello.params["text"].startswith("<b>Hello, Ana Li</b>")


def test_wrong_reused_and_expired_codes_are_refused_alike(tg, clock):
    code = _code_from_chat(tg)
    assert "Welcome" in tg.say(ANA, f"/start {code}")[0].params["text"]
    refusals = {
        "reused": tg.say(ZHOU, f"/start {code}")[0].params["text"],
        "wrong": tg.say(STRANGER, "/start ZZZZZZZZZZZZ")[0].params["text"],
    }
    [issued] = tg.say(ZHAO, "/linkcode zhou.tao@acme.example")
    late = CODE.search(issued.params["text"])[1]
    clock.now += timedelta(hours=72, seconds=1)
    refusals["expired"] = tg.say(ZHOU, f"/start {late}")[0].params["text"]
    assert len(set(refusals.values())) == 1
    assert t.LINK_REFUSED in refusals["wrong"]
    with tg.rt.uow() as uow:
        linked = uow.session.scalars(
            select(ChatIdentity.platform_user_id).where(ChatIdentity.platform == "telegram")
        ).all()
    assert sorted(linked) == sorted([str(ANA.id), str(ZHAO.id)])


def test_repeated_failures_from_one_account_are_throttled(tg):
    code = _code_from_chat(tg)
    for i in range(MAX_FAILURES):
        assert t.LINK_REFUSED in tg.say(ANA, f"/start WRONG{i}")[0].params["text"]
    throttled = tg.say(ANA, f"/start {code}")[0].params["text"]
    assert "Too many attempts" in throttled
    assert t.UNLINKED_TITLE in tg.say(ANA, "/score")[0].params["text"]


def test_a_code_is_never_taken_in_a_group(tg):
    code = _code_from_chat(tg)
    [call] = tg.say(ANA, f"/start@perf_test_bot {code}", chat=GROUP)
    assert call.params["chat_id"] == GROUP["id"] and call.params["text"] == st.START_IN_PRIVATE
    assert "Welcome" in tg.say(ANA, f"/start {code}")[0].params["text"]  # still unused


def test_a_broken_start_link_and_employees_asking_for_codes_are_refused(tg):
    [broken] = tg.say(STRANGER, "/start a!b")
    assert t.ERR_START_CODE in broken.params["text"]
    tg.link(ANA)
    [refused] = tg.say(ANA, "/linkcode zhou.tao@acme.example")
    assert "Not allowed" in refused.params["text"] and "Code:" not in refused.params["text"]


def test_a_code_printed_by_the_cli_links_in_telegram(tg, demo_url):
    result = CliRunner().invoke(
        main,
        ["link-code", "ana.li@acme.example", "--db", demo_url, "--bot", "perf_test_bot", "--json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["link"] == f"https://t.me/perf_test_bot?start={data['code']}"
    left = datetime.fromisoformat(data["expires_at"]) - NOW  # the CLI runs at PERFBOT_NOW
    assert timedelta(hours=72) <= left < timedelta(hours=72, minutes=1)
    assert "Welcome" in tg.say(ANA, data["start"])[0].params["text"]


def test_cli_link_code_refuses_strangers_and_unauthorised_issuers(demo_url):
    runner = CliRunner()
    unknown = runner.invoke(main, ["link-code", "nobody@acme.example", "--db", demo_url])
    assert unknown.exit_code == 1 and "no active employee" in unknown.output
    peer = runner.invoke(
        main,
        ["link-code", "ana.li@acme.example", "--db", demo_url, "--by", "zhou.tao@acme.example"],
    )
    assert peer.exit_code == 1 and t.LINK_CODE_NOT_ALLOWED in peer.output
    ok = runner.invoke(
        main,
        [
            "link-code",
            "ana.li@acme.example",
            "--db",
            demo_url,
            "--by",
            "zhao.min@acme.example",
            "--hours",
            "1",
        ],
    )
    assert ok.exit_code == 0 and CODE.search(ok.output)
    assert re.search(r"expires \d{4}-\d\d-\d\d \d\d:\d\d UTC", ok.output)
