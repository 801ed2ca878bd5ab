"""Telegram update JSON (the recorded samples and shapes built from them) to Text / Tap."""

from __future__ import annotations

import pytest

from bot.telegram.parse import (
    Me,
    Tap,
    Text,
    neutral_text,
    parse_update,
    rewrite_mentions,
    to_press,
    without_button,
)
from handlers.commands import PersonRef, Score, parse
from handlers.registry import ACTIONS
from tests.fakes.telegram_bot_api import BOT_USER
from tests.fakes.telegram_updates import GROUP, TgUser, Updates, load, mention

ME = Me(BOT_USER["id"], BOT_USER["username"])
ALICE = TgUser(424242, "Alice", "alice")
ZHOU = TgUser(717171, "Zhou", None, "Tao")  # no username: only a text mention can name him


def test_recorded_command_sample_is_a_private_command():
    got = parse_update(load("command_update"), ME)
    assert got == Text(
        sender=got.sender, chat_id=424242, private=True, text="/appeal Q3 review", message_id=11,
        command=True,
    )  # fmt: skip
    assert (got.sender.user_id, got.sender.username, got.sender.name) == (424242, "alice", "Alice")


def test_recorded_callback_sample_is_a_tap_with_its_keyboard():
    got = parse_update(load("callback_query_update"), ME)
    assert isinstance(got, Tap)
    assert (got.query_id, got.data, got.chat_id, got.private, got.message_id) == (
        "4382bfdwdsb323b2d9", "appeal:open:42", 424242, True, 12,
    )  # fmt: skip
    assert got.keyboard == (
        (("Add details", "appeal:open:42"), ("Withdraw", "appeal:withdraw:42")),
    )


@pytest.mark.parametrize(
    ("text", "reply_to_bot", "for_us"),
    [
        ("/score@perf_test_bot 2026-11", False, True),
        ("/score@PERF_TEST_BOT", False, True),  # usernames are case-insensitive
        ("/score@other_bot", False, False),
        ("/score", False, False),  # in groups only commands addressed to the bot
        ("hello everyone", False, False),
        ("/score", True, True),  # a reply to one of the bot's messages
        ("thanks!", True, True),
    ],
)
def test_in_groups_only_what_is_addressed_to_the_bot(text, reply_to_bot, for_us):
    u = Updates()
    reply = u.bot_message(GROUP, "earlier") if reply_to_bot else None
    got = parse_update(u.message(ALICE, text, chat=GROUP, reply_to=reply), ME)
    assert (got is not None) == for_us
    if got is not None:
        assert isinstance(got, Text) and got.private is False and got.chat_id == GROUP["id"]


def test_a_reply_to_someone_else_in_a_group_is_ignored():
    u = Updates()
    other = u.message(ZHOU, "hi", chat=GROUP)["message"]
    assert parse_update(u.message(ALICE, "/score", chat=GROUP, reply_to=other), ME) is None


def test_text_mentions_become_chat_mentions_that_the_parser_reads():
    before = "/score "
    update = Updates().message(
        ALICE, "/score Zhou Tao 2026-11", entities=[mention(ZHOU, "Zhou Tao", before)]
    )
    got = parse_update(update, ME)
    assert got.text == "/score <@telegram:717171> 2026-11"
    cmd = parse(got.text)
    assert isinstance(cmd, Score) and cmd.who == PersonRef("chat", "717171", "telegram")


def test_mention_offsets_count_utf16_units_after_emoji_and_chinese():
    text = "🎉🎉 周涛 and 🙂 Zhou!"
    entities = [mention(ZHOU, "周涛", "🎉🎉 "), mention(ZHOU, "Zhou", "🎉🎉 周涛 and 🙂 ")]
    assert rewrite_mentions(text, entities) == "🎉🎉 <@telegram:717171> and 🙂 <@telegram:717171>!"


def test_plain_mentions_and_other_entities_are_left_alone():
    entities = [
        {"type": "mention", "offset": 7, "length": 4},
        {"type": "bold", "offset": 0, "length": 6},
    ]
    assert rewrite_mentions("/score @ana", entities) == "/score @ana"


@pytest.mark.parametrize(
    "update",
    [
        {"update_id": 1, "edited_message": load("command_update")["message"]},
        {
            "update_id": 2,
            "channel_post": {
                "message_id": 1,
                "date": 1,
                "chat": {"id": -100, "type": "channel"},
                "text": "/score",
            },
        },
        {"update_id": 3, "message": {**load("command_update")["message"], "text": "   "}},
        {
            "update_id": 4,
            "message": {k: v for k, v in load("command_update")["message"].items() if k != "text"},
        },
        {"update_id": 5, "message": {**load("command_update")["message"], "from": {**BOT_USER}}},
        {
            "update_id": 6,
            "callback_query": {**load("callback_query_update")["callback_query"], "data": None},
        },
        {"update_id": 7, "my_chat_member": {}},
    ],
    ids=[
        "edit",
        "channel",
        "blank",
        "photo-without-text",
        "from-a-bot",
        "game-button",
        "membership",
    ],
)
def test_what_is_not_for_perfbot_is_none(update):
    assert parse_update(update, ME) is None


def test_a_button_on_an_inline_message_has_no_chat():
    update = load("callback_query_update")
    del update["callback_query"]["message"]
    update["callback_query"]["inline_message_id"] = "AAAA"
    got = parse_update(update, ME)
    assert isinstance(got, Tap) and got.chat_id is None and got.message_id is None


@pytest.mark.parametrize(
    ("data", "action", "value"),
    [
        ("gl:ack:12", "gl:ack", "12"),
        ("gl:ack", "gl:ack", ""),
        ("ex:sales_amount.5.4", "ex", "sales_amount.5.4"),
    ],
)
def test_callback_data_splits_on_the_registered_action(data, action, value):
    press = to_press(data, {*ACTIONS, "ex"})
    assert (press.action, press.value) == (action, value)


def test_unknown_callback_data_still_splits():
    assert to_press("appeal:open:42", ()).action == "appeal:open"
    assert to_press("lonely", ()).action == "lonely"


def test_a_stale_button_is_removed_and_empty_rows_dropped():
    board = ((("A", "a:1"), ("B", "b:1")), (("C", "c:1"),))
    assert without_button(board, "c:1") == ((("A", "a:1"), ("B", "b:1")),)
    assert without_button(board, "a:1") == ((("B", "b:1"),), (("C", "c:1"),))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/score@perf_test_bot 2026-11", "/score 2026-11"),
        ("/goals@perfbot_bot", "/goals"),
        ("/goals <tg:12345>", "/goals <@telegram:12345>"),
        ("/goals <tg:abc>", "/goals <tg:abc>"),
        (
            "/goals update 1 50 https://x.example.com/a/b@c",
            "/goals update 1 50 https://x.example.com/a/b@c",
        ),
        ("/score @alice_b", "/score @alice_b"),
    ],
)
def test_the_bot_name_and_typed_ids_become_the_neutral_language(text, expected):
    assert neutral_text(text, ()) == expected


def test_a_command_addressed_to_the_bot_parses_like_a_plain_one():
    got = parse_update(Updates().message(ALICE, "/score@perf_test_bot <tg:12345>"), ME)
    assert isinstance(got, Text)
    assert parse(got.text) == Score(PersonRef("chat", "12345", "telegram"))
