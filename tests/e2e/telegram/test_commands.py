"""Commands and buttons end to end through Application.process_update: /help, /goals, /score,
acknowledge (and its stale button), groups, private figures, mentions, HTML escaping."""

from __future__ import annotations

import re

from sqlalchemy import select

from handlers import strings as translated
from handlers import strings_en as t
from handlers.i18n import speaking
from store.models import AuditEvent, Goal
from tests.e2e.telegram.conftest import ANA, CHEN, STRANGER, ZHOU, buttons, texts
from tests.fakes.telegram_updates import GROUP, load, mention


def test_startup_checks_the_token_and_registers_the_command_menu(tg):
    assert [c.method for c in tg.api.called()][:2] == ["getMe", "setMyCommands"]
    menu = tg.api.called("setMyCommands")[0].params["commands"]
    names = [c["command"] for c in menu]
    assert names == [
        "goals",
        "score",
        "explain",
        "praise",
        "appeal",
        "kpi",
        "team",
        "rate",
        "self",
        "period",
        "help",
        "cancel",
    ]
    assert all(1 <= len(c["description"]) <= 256 for c in menu)
    assert "language_code" not in tg.api.called("setMyCommands")[0].params  # everyone's menu
    assert tg.rt.start_links["telegram"] == "https://t.me/perf_test_bot?start={code}"


def test_chinese_readers_get_the_menu_in_chinese(tg):
    english, chinese = tg.api.called("setMyCommands")
    assert chinese.params["language_code"] == "zh"  # Telegram's two-letter code
    assert [c["command"] for c in chinese.params["commands"]] == [
        c["command"] for c in english.params["commands"]
    ]
    described = {c["command"]: c["description"] for c in chinese.params["commands"]}
    with speaking("zh_CN"):
        assert described["score"] == translated.SUMMARY["score"][:256]
    assert described["score"] != t.SUMMARY["score"]
    assert all(1 <= len(d) <= 256 for d in described.values())


def test_help_lists_every_command_with_usage_escaped(tg):
    tg.link(ANA)
    [call] = tg.say(ANA, "/help")
    assert call.method == "sendMessage" and call.params["parse_mode"] == "HTML"
    assert call.params["chat_id"] == ANA.id
    assert call.params["reply_parameters"]["message_id"] > 0
    text = call.params["text"]
    assert text.startswith("<b>perfbot commands</b>")
    assert "/explain &lt;metric&gt; [@who] [period]" in text and "<metric>" not in text


def test_score_shows_the_breakdown_with_explain_and_appeal_buttons(tg):
    tg.link(ANA)
    [call] = tg.say(ANA, "/score")
    text = call.params["text"]
    assert text.startswith("<b>Score · Ana Li · 2026-11</b>")
    assert "<b>Total</b>:" in text and "<i>※ Sources:" in text
    labels = buttons(call)
    assert any(data.startswith("ex:") for _, data in labels)
    assert ("Appeal a figure", next(d for _, d in labels if d.startswith("ap:new:"))) in labels
    assert all(len(data.encode()) <= 64 for _, data in labels)


def test_a_peer_is_refused_by_telegram_username_and_text_mention(tg):
    tg.link(ANA, ZHOU)
    [by_username] = tg.say(ZHOU, "/score @alice")
    assert "Not allowed" in by_username.params["text"]
    entity = mention(ANA, "Alice", "/score ")
    [by_mention] = tg.say(ZHOU, "/score Alice", entities=[entity])
    assert "Not allowed" in by_mention.params["text"]
    with tg.rt.uow() as uow:
        denied = uow.session.scalars(select(AuditEvent).where(AuditEvent.action == "denied")).all()
    assert len(denied) == 2


def test_a_manager_names_a_report_by_text_mention(tg):
    tg.link(ANA, CHEN)
    entity = mention(ANA, "Ana Li", "/score ")
    [call] = tg.say(CHEN, "/score Ana Li", entities=[entity])
    assert call.params["text"].startswith("<b>Score · Ana Li · 2026-11</b>")


def test_acknowledge_then_the_stale_button_says_already_handled(tg):
    tg.link(ANA)
    [goals] = tg.say(ANA, "/goals")
    acks = [(label, data) for label, data in buttons(goals) if data.startswith("gl:ack:")]
    assert acks and "to acknowledge" in goals.params["text"]
    _, data = acks[0]
    card = tg.updates.bot_message(ANA.private_chat(), "goals", [[pair] for pair in acks])
    calls = tg.press(ANA, data, message=card)
    assert [c.method for c in calls] == ["answerCallbackQuery", "sendMessage"]
    assert calls[0].params["text"].startswith(t.ACK_TITLE)
    assert "Acknowledged 1 goal." in calls[1].params["text"]
    goal_id = int(data.rsplit(":", 1)[1])
    with tg.rt.uow() as uow:
        assert uow.session.get(Goal, goal_id).status == "acknowledged"
    again = tg.press(ANA, data, message=card)
    assert [c.method for c in again] == ["answerCallbackQuery", "editMessageReplyMarkup"]
    assert again[0].params["text"] == t.ALREADY_HANDLED
    left = again[1].params.get("reply_markup") or {"inline_keyboard": []}
    remaining = [b["callback_data"] for row in left["inline_keyboard"] for b in row]
    assert data not in remaining and remaining == [d for _, d in acks[1:]]


def test_an_unknown_or_foreign_button_is_answered_not_crashed(tg):
    tg.link(ANA)
    calls = tg.process(load("callback_query_update"))  # appeal:open:42: no such action
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageReplyMarkup"]
    assert calls[0].params["text"].startswith(t.STALE_TITLE)


def test_in_a_group_private_figures_go_to_the_private_chat(tg):
    tg.link(ANA)
    calls = tg.say(ANA, "/score@perf_test_bot", chat=GROUP)
    assert [(c.method, c.params["chat_id"]) for c in calls] == [
        ("sendMessage", ANA.id),
        ("sendMessage", GROUP["id"]),
    ]
    assert "Total" in calls[0].params["text"]
    pointer = calls[1].params["text"]
    assert "Total" not in pointer and "sent that to you in a private chat" in pointer
    assert f"tg://user?id={ANA.id}" in pointer


def test_in_a_group_only_addressed_commands_are_answered(tg):
    tg.link(ANA)
    assert tg.say(ANA, "/score", chat=GROUP) == []
    assert tg.say(ANA, "/score@some_other_bot", chat=GROUP) == []
    assert tg.say(ANA, "nice work team", chat=GROUP) == []
    earlier = tg.updates.bot_message(GROUP, "perfbot was here")
    assert tg.say(ANA, "thanks bot", chat=GROUP, reply_to=earlier) == []  # chatter, not a command
    assert len(tg.say(ANA, "/help", chat=GROUP, reply_to=earlier)) == 2  # help (private) + pointer


def test_someone_who_never_opened_a_private_chat_gets_a_link_in_the_group(tg):
    tg.link(ANA)
    tg.api.blocked.add(ANA.id)  # Telegram answers 403: the bot can't start a chat with them
    calls = tg.say(ANA, "/score@perf_test_bot", chat=GROUP)
    assert [c.params["chat_id"] for c in calls] == [ANA.id, GROUP["id"]]
    group_text = calls[-1].params["text"]
    assert "https://t.me/perf_test_bot" in group_text and "Total" not in group_text


def test_strangers_get_instructions_in_private_and_a_pointer_in_groups(tg):
    [private] = tg.say(STRANGER, "/score")
    assert private.params["text"].startswith(f"<b>{t.UNLINKED_TITLE}</b>")
    assert "/start CODE" in private.params["text"]
    [group] = tg.say(STRANGER, "/score@perf_test_bot", chat=GROUP)
    assert group.params["chat_id"] == GROUP["id"] and "open a private chat" in group.params["text"]
    [tap] = tg.press(STRANGER, "gl:ack:1")
    assert tap.method == "answerCallbackQuery" and tap.params["text"] == t.UNLINKED_TITLE


def test_bad_input_gets_usage_and_html_in_it_is_escaped(tg):
    tg.link(ANA)
    [call] = tg.say(ANA, "/score <b>bold</b> & <script>")
    text = call.params["text"]
    assert text.startswith(f"<b>{t.INVALID_TITLE}</b>")
    assert "<script>" not in text and "&lt;b&gt;bold" in text
    assert re.sub(r"</?(b|i)>", "", text).count("<") == 0


def test_a_429_on_a_reply_is_waited_out_and_sent(tg):
    tg.link(ANA)
    tg.api.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    calls = tg.say(ANA, "/help")
    sends = [c for c in calls if c.method == "sendMessage"]
    assert len(sends) == 2  # refused once, then sent after the wait Telegram asked for
    assert sends[1].at - sends[0].at >= 0.9
    assert texts(sends)[0] == texts(sends)[1]


def test_a_refused_callback_answer_still_sends_the_reply(tg):
    tg.link(ANA)
    [goals] = tg.say(ANA, "/goals")
    data = next(d for _, d in buttons(goals) if d.startswith("gl:ack:"))
    too_old = "Bad Request: query is too old and response timeout expired or query ID is invalid"
    tg.api.fail("answerCallbackQuery", 400, too_old)
    calls = tg.press(ANA, data)
    assert [c.method for c in calls] == ["answerCallbackQuery", "sendMessage"]
    assert "Acknowledged 1 goal." in calls[1].params["text"]


def test_the_menu_is_optional_but_the_token_is_not(demo_rt, api):
    from tests.e2e.telegram.conftest import Harness

    api.fail("setMyCommands", 400, "Bad Request: commands are not supported here")
    h = Harness(demo_rt, api)  # starts anyway
    try:
        h.link(ANA)
        assert "perfbot commands" in h.say(ANA, "/help")[0].params["text"]
    finally:
        h.close()


def test_explain_buttons_and_the_typed_command_show_the_same_source_records(tg):
    tg.link(ANA)
    [score] = tg.say(ANA, "/score")
    explain = next(d for _, d in buttons(score) if d.startswith("ex:"))
    metric = explain.split(":", 1)[1].split(".")[0]
    calls = tg.press(ANA, explain)
    assert [c.method for c in calls] == ["answerCallbackQuery", "sendMessage"]
    pressed = calls[1].params["text"]
    assert calls[1].params["chat_id"] == ANA.id and pressed.startswith("<b>")
    [typed] = tg.say(ANA, f"/explain {metric}")
    assert typed.params["text"] == pressed
    private, pointer = tg.say(ANA, f"/explain@perf_test_bot {metric}", chat=GROUP)
    assert private.params["text"] == pressed and private.params["chat_id"] == ANA.id
    assert pointer.params["chat_id"] == GROUP["id"] and metric not in pointer.params["text"]


def test_a_bug_behind_a_button_costs_an_apology_not_a_silent_bot(tg, monkeypatch):
    from handlers.cards import Button, Card, Reply
    from handlers.registry import ACTIONS

    def broken(press, *, uow, actor):  # a callback over Telegram's 64 bytes: a programming error
        return Reply(cards=(Card("Oops", buttons=(Button("Too long", "t:x", "9" * 80),)),))

    monkeypatch.setitem(ACTIONS, "t:x", broken)
    tg.link(ANA)
    calls = tg.press(
        ANA, "t:x:1", message=tg.updates.bot_message(GROUP, "card", [[("Go", "t:x:1")]])
    )
    sent = [c for c in calls if c.method == "sendMessage"]
    assert [c.params["chat_id"] for c in sent] == [ANA.id]  # privately, not in the group
    assert sent[0].params["text"] == t.INTERNAL_ERROR
