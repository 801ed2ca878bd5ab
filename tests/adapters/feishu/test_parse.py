"""Feishu event bodies (the documentation's recorded shapes) to neutral text and presses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.feishu import parse
from tests.fakes import feishu_events as ev
from tests.fakes.feishu_open_api import BOT_OPEN_ID

HERE = Path(__file__).parent
ANA, ZHOU = "ou_ana00000000000000000000000000001", "ou_zhou0000000000000000000000000001"


def recorded(name: str) -> dict[str, Any]:
    body: dict[str, Any] = json.loads((HERE / name).read_text())
    body.pop("_source")
    return body


def test_a_group_message_naming_the_bot_becomes_a_neutral_command():
    env = parse.envelope(recorded("im_message_receive_v1_group.json"))
    assert env is not None and env.event_type == parse.MESSAGE_EVENT
    assert env.event_id == "5e3702a84e847582be8db7fb73283c02"
    assert env.create_time_ms == 1608725989000
    m = parse.message(env.event, BOT_OPEN_ID)
    assert m is not None and not m.private and m.command
    assert m.text == f"/score <@feishu:{ZHOU}>"
    assert m.sender == ANA and m.chat_id.startswith("oc_")


def test_group_chatter_without_the_bot_named_is_not_for_us():
    body = ev.message(ANA, "@_user_1 lunch?", chat_type="group", chat_id="oc_g",
                      mentions={"@_user_1": (ZHOU, "Zhou")})  # fmt: skip
    assert parse.message(body["event"], BOT_OPEN_ID) is None


def test_private_text_needs_no_mention_and_at_all_vanishes():
    m = parse.message(ev.message(ANA, "score  @_all ")["event"], BOT_OPEN_ID)
    assert m is not None and m.private and m.text == "score" and not m.command


def test_placeholders_are_replaced_longest_first():
    mentions = {f"@_user_{i}": (f"ou_{i}", f"P{i}") for i in range(1, 11)}
    text = parse.neutral_text("@_user_10 @_user_1", [
        {"key": k, "id": {"open_id": oid}} for k, (oid, _) in mentions.items()
    ], BOT_OPEN_ID)  # fmt: skip
    assert text == "<@feishu:ou_10> <@feishu:ou_1>"


def test_bots_images_and_broken_content_are_ignored():
    bot = ev.message(ANA, "/help")
    bot["event"]["sender"]["sender_type"] = "app"
    image = ev.message(ANA, "/help", message_type="image")
    broken = ev.message(ANA, "/help")
    broken["event"]["message"]["content"] = "{not json"
    for body in (bot, image, broken):
        assert parse.message(body["event"], BOT_OPEN_ID) is None


def test_a_form_submission_carries_its_form_and_trimmed_values():
    env = parse.envelope(recorded("card_action_trigger_form.json"))
    assert env is not None and env.event_type == parse.CARD_EVENT
    action = parse.card_action(env.event)
    assert action is not None and action.operator == ANA
    assert action.press.action == "ap:file" and action.press.value == "7"
    assert dict(action.press.form) == {"reason": "The March deal is missing", "expected": "118,000"}
    assert action.form is not None and [i.name for i in action.form.inputs] == [
        "reason",
        "expected",
    ]
    assert action.message_id.startswith("om_") and action.chat_id.startswith("oc_")
    assert parse.check_inputs(action.form, action.values) == ()


def test_form_problems_are_found_before_any_handler():
    action = parse.card_action(recorded("card_action_trigger_form.json")["event"])
    assert action is not None and action.form is not None
    problems = parse.check_inputs(action.form, {"reason": " ", "expected": "lots"})
    assert [name for name, _ in problems] == ["reason", "expected"]


def test_foreign_or_malformed_callbacks_are_none():
    good = ev.card_action(ANA, {"a": "gl:ack", "v": "4"}, message_id="om_1", chat_id="oc_1")
    assert parse.card_action(good["event"]) is not None
    for value in ({}, {"a": ""}, "not json", {"v": "4"}, ["a"]):
        body = ev.card_action(ANA, {}, message_id="om_1", chat_id="oc_1")
        body["event"]["action"]["value"] = value
        assert parse.card_action(body["event"]) is None
    assert parse.envelope({"schema": "1.0"}) is None and parse.envelope({"header": 3}) is None


DOCS = HERE.parent.parent / "fixtures" / "feishu"


def doc(name: str) -> dict[str, Any]:
    body: dict[str, Any] = json.loads((DOCS / name).read_text())
    return body


def test_the_receive_docs_example_is_group_chatter_to_someone_else():
    env = parse.envelope(doc("im_message_receive_v1.json"))
    assert env is not None and env.create_time_ms == 1608725989000
    assert parse.message(env.event, BOT_OPEN_ID) is None  # it names "Tom", not the bot
    named = parse.message(env.event, "ou_84aad35d084aa403a838cf73ee18467")
    assert named is not None and named.text == "hello"


def test_a_rich_text_message_reads_like_text_with_its_at_element_resolved():
    env = parse.envelope(doc("im_message_receive_v1_post.json"))
    assert env is not None
    m = parse.message(env.event, "ou_a0553eda9014c201e6969b478895c230")
    assert m is not None and m.text == "/help" and not m.private


def _post(content: Any, **kw: Any) -> dict[str, Any]:
    body = ev.message(ANA, "", message_type="post", **kw)
    body["event"]["message"]["content"] = json.dumps(content)
    return body["event"]


def test_post_bodies_locale_keyed_or_not_links_and_paragraphs():
    rows = [
        [
            {"tag": "text", "text": "/praise "},
            {"tag": "at", "user_id": "@_user_1"},
            {"tag": "text", "text": "for "},
            {"tag": "a", "text": "the demo", "href": "https://x"},
        ],
        [{"tag": "img", "image_key": "img_1"}],
        [{"tag": "text", "text": "thanks"}],
    ]
    mentions = {"@_user_1": (ZHOU, "Zhou")}
    for content in ({"title": "T", "content": rows}, {"zh_cn": {"title": "T", "content": rows}}):
        m = parse.message(_post(content, mentions=mentions), BOT_OPEN_ID)
        assert m is not None and m.text == f"/praise <@feishu:{ZHOU}> for the demo\nthanks"


def test_posts_with_nothing_to_read_are_not_for_us():
    image_only = {"title": "", "content": [[{"tag": "img", "image_key": "img_1"}]]}
    for content in (image_only, {"title": "only a title"}, ["not", "a", "post"], "x"):
        assert parse.message(_post(content), BOT_OPEN_ID) is None


def test_a_callback_stamped_in_microseconds_reads_as_milliseconds():
    env = parse.envelope(doc("card_action_trigger.json"))
    assert env is not None and env.create_time_ms == 1603977298000
    assert parse.card_action(env.event) is None  # {"key": "value"} is not one of ours


def test_the_legacy_callback_reads_as_a_press_its_ids_at_the_top():
    body = doc("card_action_trigger_v1.json")
    assert parse.legacy_card(body) and parse.envelope(body) is None
    assert parse.card_action(body) is None  # {"key": "value"}: not one of ours
    body["action"] = {"value": {"a": "gl:ack", "v": "4"}, "tag": "button"}
    action = parse.card_action(body | {"open_chat_id": "oc_1"})
    assert action is not None and action.operator == "ou_sdfimx9948345"
    assert (action.message_id, action.chat_id, action.press.action) == (
        "om_abcdefg1234567890", "oc_1", "gl:ack",
    )  # fmt: skip
    others = ("url_verification.json", "event_v1_p2p_chat_create.json", "card_action_trigger.json")
    assert not any(parse.legacy_card(doc(name)) for name in others)


def test_the_checker_docs_context_beside_the_event_is_the_cards():
    env = parse.envelope(doc("card_action_trigger_checker.json"))
    assert env is not None and env.event["context"]["open_message_id"].startswith("om_574d")
    env.event["action"]["value"] = {"a": "gl:ack", "v": "4"}
    action = parse.card_action(env.event)
    assert action is not None and action.message_id.startswith("om_574d")


def test_a_message_is_the_same_delivery_by_its_message_id_a_callback_by_its_event_id():
    message = parse.envelope(doc("im_message_receive_v1.json"))
    callback = parse.envelope(doc("card_action_trigger.json"))
    assert message is not None and callback is not None
    assert parse.delivery_key(message) == "om:om_5ce6d572455d361153b7cb51da133945"
    assert parse.delivery_key(callback) == "f7984f25108f8137722bb63c*****"
    assert parse.envelope(doc("event_v1_p2p_chat_create.json")) is None  # 1.0: not ours
