"""Commands over HTTP end to end: start-up checks, /help, /score and its buttons, groups
(only when mentioned; private figures in private), strangers, linking by e-mail and by
link code, and mentions resolved through the contact API."""

from __future__ import annotations

import json

from sqlalchemy import select

from handlers import strings_en as t
from handlers.people.link_codes import issue_code
from store.models import ChatIdentity, Employee
from tests.e2e.feishu.conftest import ANA, CHEN, GROUP, STRANGER, ZHOU, p2p, replies, text_of, to
from tests.fakes.feishu_events import buttons
from tests.fakes.feishu_open_api import BOT_OPEN_ID


def test_start_up_fetches_a_token_and_the_bots_open_id(fs):
    token_calls = [c for c in fs.fake.calls if "tenant_access_token" in c.path]
    assert token_calls and token_calls[0].body["app_id"] == fs.rt.settings.feishu.app_id
    assert [c.path for c in fs.fake.called()][:1] == ["/open-apis/bot/v3/info"]
    assert fs.app.bot_open_id == BOT_OPEN_ID


def test_help_answers_as_a_reply_card(fs):
    [call] = fs.say(ANA, "/help")
    assert call.path.endswith("/reply") and call.body["msg_type"] == "interactive"
    assert call.card["schema"] == "2.0"
    assert "/explain <metric> [@who] [period]" in text_of(call)


def test_the_first_message_links_the_person_by_e_mail(fs):
    [call] = fs.say(ANA, "/score")
    assert text_of(call).startswith("Score · Ana Li · 2026-11")
    assert fs.fake.called("/contact/v3/users/" + ANA)
    with fs.rt.uow() as uow:
        ident = uow.session.scalar(select(ChatIdentity).where(ChatIdentity.platform == "feishu"))
    assert ident.platform_user_id == ANA and ident.dm_channel == p2p(ANA)
    again = fs.say(ANA, "/score")
    assert len(again) == 1 and not fs.fake.called("/contact/v3/users/" + ANA)[1:]


def test_score_has_explain_and_appeal_buttons(fs):
    fs.link(ANA)
    [call] = fs.say(ANA, "score")  # no slash needed in a private chat
    values = [v for _, v in buttons(call.card)]
    assert any(v["a"] == "ex" for v in values) and any(v["a"] == "ap:new" for v in values)


def test_a_mention_is_resolved_and_a_peer_refused(fs):
    fs.link(ZHOU)
    [call] = fs.say(ZHOU, "/score @_user_1", mentions={"@_user_1": (ANA, "Ana Li")})
    assert "Not allowed" in text_of(call)


def test_a_manager_names_a_report_by_mention(fs):
    fs.link(CHEN)
    [call] = fs.say(CHEN, "/score @_user_1", mentions={"@_user_1": (ANA, "Ana Li")})
    assert text_of(call).startswith("Score · Ana Li · 2026-11")


def test_in_a_group_only_mentions_of_the_bot_are_answered_and_figures_go_private(fs):
    fs.link(ANA)
    assert fs.say(ANA, "/score", chat_type="group") == []
    other = {"@_user_1": (ZHOU, "Zhou")}
    assert fs.say(ANA, "@_user_1 /score", chat_type="group", mentions=other) == []
    calls = fs.say(
        ANA, "@_user_1 /score", chat_type="group", mentions={"@_user_1": (BOT_OPEN_ID, "perfbot")}
    )
    [private] = to(calls, ANA)
    assert private.query["receive_id_type"] == "open_id" and "Total" in text_of(private)
    [pointer] = replies(calls)
    assert "Total" not in text_of(pointer) and "private chat" in text_of(pointer)


def test_strangers_get_instructions_in_private_and_a_pointer_in_groups(fs):
    [private] = fs.say(STRANGER, "/score")
    assert "eve@elsewhere.example" in text_of(private)
    bot = {"@_user_1": (BOT_OPEN_ID, "perfbot")}
    [group] = fs.say(STRANGER, "@_user_1 /score", chat_type="group", mentions=bot)
    assert "private chat" in text_of(group) and "eve@" not in text_of(group)


def test_a_link_code_links_someone_without_a_matching_e_mail(fs):
    with fs.rt.uow() as uow:  # HR issued Zhou a code (/linkcode); Feishu shares no e-mail
        zhou = uow.session.scalar(select(Employee).where(Employee.email == "zhou.tao@acme.example"))
        issued = issue_code(uow, zhou, created_by="test")
        uow.commit()
    [refused] = fs.say(STRANGER, f"@_user_1 /start {issued.code}", chat_type="group",
                       mentions={"@_user_1": (BOT_OPEN_ID, "perfbot")})  # fmt: skip
    assert "private chat" in text_of(refused)
    [done] = fs.say(STRANGER, f"/start {issued.code}")
    assert "Zhou Tao" in text_of(done)
    with fs.rt.uow() as uow:
        ident = uow.session.scalar(
            select(ChatIdentity).where(ChatIdentity.platform_user_id == STRANGER)
        )
    assert ident is not None and ident.dm_channel == p2p(STRANGER)


def test_bad_input_gets_usage(fs):
    fs.link(ANA)
    [call] = fs.say(ANA, "/score <b>nobody</b> 2026-13")
    assert t.INVALID_TITLE in text_of(call)
    assert json.dumps(call.card, ensure_ascii=False).count('"tag":"markdown"') == 0


def test_a_bug_costs_an_apology_not_a_silent_bot(fs, monkeypatch):
    fs.link(ANA)

    def boom(*a, **k):
        raise RuntimeError("bug")

    monkeypatch.setattr(fs.app.dispatcher, "command", boom)
    [call] = fs.say(ANA, "/score")
    assert t.ERROR_TITLE in text_of(call)


__all__ = ["GROUP"]
