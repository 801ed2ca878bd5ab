"""Every other shape the documentation says can reach the request URL, replayed through the
real HTTP server of `perfbot serve feishu` (sources in tests/fixtures/feishu/README.md):
the message-card request URL's challenge and legacy callbacks (plain JSON, signed with the
Verification Token), each interactive component's callback, events perfbot doesn't
subscribe to (2.0 and 1.0), every kind of message, @all, duplicate pushes and late
re-deliveries. Each gets its 200 and the right outcome; none a 500."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.feishu.envelope import signature
from store.models import Goal, ProcessedEvent
from tests.e2e.feishu.conftest import ANA, GROUP, Harness, p2p, replies, text_of, to
from tests.e2e.feishu.doc_support import (
    DOC_BOT,
    DOC_CHAT,
    DOC_OPERATOR,
    DOC_SENDER,
    LEGACY_MESSAGE,
    LEGACY_OPERATOR,
    doc,
    fixture,
    sent_after,
)
from tests.fakes import feishu_events as ev
from tests.fakes.feishu_events import buttons
from tests.fakes.feishu_open_api import BOT_OPEN_ID

UNSUBSCRIBED = [
    "im_chat_member_bot_added_v1.json",
    "im_chat_access_event_bot_p2p_chat_entered_v1.json",
    "im_message_message_read_v1.json",
    "contact_user_updated_v3.json",
    "application_bot_menu_v6.json",
    "event_v1_p2p_chat_create.json",
]
KINDS = fixture("message_content.json")  # [message_type, content] as the content doc prints
COMPONENTS = fixture("card_action_trigger_components.json")


def claimed(fs: Harness) -> int:
    with fs.rt.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(ProcessedEvent)) or 0)


def acknowledged(fs: Harness, goal: str) -> bool:
    with fs.rt.uow() as uow:
        found = uow.session.get(Goal, int(goal))
        return found is not None and found.status == "acknowledged"


def ack_button(fs: Harness, *, plain: bool = False) -> dict[str, Any]:
    """The value of the acknowledge button on Ana's /goals card (asked for unencrypted in
    plain mode)."""
    if plain:
        fs.http.post("/feishu/events", json=ev.message(ANA, "/goals"))
        fs.drain()
        goals = fs.fake.sent()[-1]
    else:
        [goals] = fs.say(ANA, "/goals")
    return next(v for _, v in buttons(goals.card) if v["a"] == "gl:ack")


def legacy_press(value: dict[str, Any], **extra: str) -> dict[str, Any]:
    """The legacy callback doc's example, pressed by Ana on the /goals card."""
    body = doc("card_action_trigger_v1.json", {LEGACY_OPERATOR: ANA, LEGACY_MESSAGE: "om_goals"})
    body["action"]["value"] = value
    del body["action"]["form_value"], body["action"]["name"]  # a button outside a form
    return body | extra


def post_legacy(h: Harness, body: dict[str, Any], **sign: Any) -> Any:
    raw, headers = ev.legacy_signed(body, **sign)
    return h.http.post("/feishu/events", content=raw, headers=headers)


def private_message(kind: str, content: dict[str, Any]) -> dict[str, Any]:
    body = doc("im_message_receive_v1_p2p.json", {DOC_SENDER: ANA})
    body["event"]["message"] |= {"message_type": kind, "content": json.dumps(content)}
    return body


def group_text(text: str, mentions: list[dict[str, Any]] | None) -> dict[str, Any]:
    body = doc("im_message_receive_v1_group_at_bot.json", {DOC_SENDER: ANA, DOC_BOT: BOT_OPEN_ID})
    message = body["event"]["message"]
    message["content"] = json.dumps({"text": text})
    if mentions is None:
        del message["mentions"]
    else:
        message["mentions"] = mentions
    return body


# --- the message-card request URL -----------------------------------------------------


def test_the_card_request_urls_challenge_comes_plain_and_is_answered(fs):
    """Its challenge is never encrypted, even with an Encrypt Key set: echoed when it
    carries this app's token, refused with another's (as printed)."""
    resp = fs.http.post("/feishu/events", json=doc("url_verification_card_request_url.json"))
    assert resp.status_code == 200
    assert resp.json() == {"challenge": "1b6aef1a-401f-406a-be41-f48911e00be7"}
    as_printed = fixture("url_verification_card_request_url.json")
    assert fs.http.post("/feishu/events", json=as_printed).status_code == 401


@pytest.mark.parametrize("chat", ["as printed", "with open_chat_id"])
def test_a_legacy_callback_presses_and_its_card_is_patched_after_the_toast(fs, chat):
    """card.action.trigger_v1 may answer only a toast or a JSON 1.0 card: the toast comes
    in the answer, the decided 2.0 card through PATCH once the answer is back. Its doc
    prints no open_chat_id (the SDKs' models have one): without it the card is treated as
    a group's, and what is private goes to Ana's own chat."""
    fs.link(ANA)
    ack = ack_button(fs)
    extra = {"open_chat_id": p2p(ANA)} if chat == "with open_chat_id" else {}
    body = legacy_press(ack, **extra)
    before = len(fs.fake.called())
    resp = post_legacy(fs, body)
    assert resp.status_code == 200
    answer = resp.json()
    assert answer["toast"]["type"] == "success" and "card" not in answer
    calls = sent_after(fs, before)
    [patch] = [c for c in calls if c.method == "PATCH"]
    assert patch.path.endswith("/om_goals") and patch.card["schema"] == "2.0"
    assert buttons(patch.card) == [] and acknowledged(fs, ack["v"])
    sends = [c for c in calls if c.path == "/open-apis/im/v1/messages"]
    assert all(c.body.get("receive_id") for c in sends)  # nothing to a chat it doesn't know
    before = len(fs.fake.called())
    assert post_legacy(fs, body).json() == {}  # the same callback again: its token is spent
    assert sent_after(fs, before) == []


def test_a_legacy_callback_must_carry_the_verification_tokens_sha1_signature(fs):
    fs.link(ANA)
    ack = ack_button(fs)
    body = legacy_press(ack)
    raw, headers = ev.legacy_signed(body)
    stamp, nonce = headers["X-Lark-Request-Timestamp"], headers["X-Lark-Request-Nonce"]
    refused = [
        dict(headers, **{"X-Lark-Signature": "0" * 40}),
        {k: v for k, v in headers.items() if k != "X-Lark-Signature"},
        ev.legacy_signed(body, token="another app's token")[1],
        ev.legacy_signed(body, ts=int(time.time()) - 600)[1],  # a replay
        # an event's signature (SHA-256 over the Encrypt Key) is not the card URL's
        dict(headers, **{"X-Lark-Signature": signature(stamp, nonce, ev.ENCRYPT_KEY, raw)}),
    ]
    before, kept = len(fs.fake.called()), claimed(fs)
    for bad in refused:
        assert fs.http.post("/feishu/events", content=raw, headers=bad).status_code == 401
    assert sent_after(fs, before) == [] and claimed(fs) == kept
    assert not acknowledged(fs, ack["v"])


@pytest.mark.parametrize(
    "name", ["card_action_trigger_v1.json", "card_action_trigger_v1_select.json"]
)
def test_legacy_callbacks_of_a_card_not_ours_are_acknowledged_and_ignored(fs, name):
    fs.link(ANA)
    body = doc(name, {LEGACY_OPERATOR: ANA, "ou_sdfi1234": ANA})
    before = len(fs.fake.called())
    resp = post_legacy(fs, body)
    assert resp.status_code == 200 and resp.json() == {}
    assert sent_after(fs, before) == []


def test_plain_mode_takes_both_challenges_and_legacy_callbacks(demo_rt, fake):
    h = Harness(demo_rt, fake, encrypt_key=None)
    try:
        h.link(ANA)
        card_url = doc("url_verification_card_request_url.json")
        assert h.http.post("/feishu/events", json=card_url).json()["challenge"]
        ack = ack_button(h, plain=True)
        answer = post_legacy(h, legacy_press(ack, open_chat_id=p2p(ANA))).json()
        assert answer["toast"]["type"] == "success"
        h.drain()
        assert acknowledged(h, ack["v"])
        assert post_legacy(h, legacy_press(ack), token="stolen").status_code == 401
    finally:
        h.close()


# --- the new callback: every component, both copies of the doc ------------------------


@pytest.mark.parametrize("component", sorted(COMPONENTS))
def test_each_components_callback_on_a_card_not_ours_is_acknowledged(fs, component):
    """The fields the callback doc lists per component (option, options, input_value,
    checked, timezone, a string value) on a card perfbot didn't send: a 200, nothing done."""
    fs.link(ANA)
    body = doc("card_action_trigger.json", {DOC_OPERATOR: ANA, DOC_CHAT: p2p(ANA)})
    body["event"]["action"] = COMPONENTS[component]
    before = len(fs.fake.called())
    resp = fs.post(body)
    assert resp.status_code == 200 and resp.json() == {}
    assert sent_after(fs, before) == []


@pytest.mark.parametrize(
    "name",
    [
        "card_action_trigger.json",
        "card_action_trigger_feishu.json",
        "card_action_trigger_checker.json",
    ],
)
def test_a_press_in_each_documented_callback_shape_updates_the_card(fs, name):
    """Lark's copy (no union_id), Feishu's (union_id), and the checker page's, which prints
    `host` and `context` beside `event`: the card is still found and updated in place."""
    fs.link(ANA)
    ack = ack_button(fs)
    body = doc(name, {DOC_OPERATOR: ANA, DOC_CHAT: p2p(ANA)})
    action = body["event"]["action"]
    body["event"]["action"] = {"value": ack, "tag": action["tag"]}
    answer = fs.post(body).json()
    assert answer["toast"]["type"] == "success"
    assert answer["card"]["type"] == "raw" and buttons(answer["card"]["data"]) == []
    assert acknowledged(fs, ack["v"])


# --- events perfbot doesn't subscribe to ------------------------------------------------


@pytest.mark.parametrize("name", UNSUBSCRIBED)
def test_unsubscribed_events_get_200_and_change_nothing(fs, demo_rt, fake, name):
    """Signed and encrypted, then in plain mode (stamped now: the doc's 2020 stamp would be
    refused as a replay)."""
    fs.link(ANA)
    before, kept = len(fs.fake.called()), claimed(fs)
    resp = fs.post(doc(name, {DOC_SENDER: ANA}))
    assert resp.status_code == 200 and resp.json() == {}
    assert sent_after(fs, before) == [] and claimed(fs) == kept
    plain = Harness(demo_rt, fake, encrypt_key=None)
    try:
        body = doc(name, {DOC_SENDER: ANA})
        if "header" in body:
            body["header"]["create_time"] = str(int(time.time() * 1000))
        resp = plain.http.post("/feishu/events", json=body)
        assert resp.status_code == 200 and resp.json() == {}
        stolen = dict(body, token="stolen") if "uuid" in body else None
        if stolen is not None:  # a 1.0 event's token is at the top, and checked there
            assert plain.http.post("/feishu/events", json=stolen).status_code == 401
    finally:
        plain.close()
    assert sent_after(fs, before) == []


# --- every kind of message -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "content"), KINDS, ids=[f"{k}-{i}" for i, (k, _) in enumerate(KINDS)]
)
def test_every_kind_of_private_message_is_answered_once_or_ignored(fs, kind, content):
    """Text and rich text are read (not a command here: Ana is told what perfbot knows);
    an image, file, sticker, card, merged forward… is not for perfbot: nothing is sent."""
    fs.link(ANA)
    before = len(fs.fake.called())
    assert fs.post(private_message(kind, content)).status_code == 200
    calls = sent_after(fs, before)
    assert len(replies(calls)) == (1 if kind in ("text", "post") else 0) == len(calls)


def test_the_content_docs_rich_text_naming_the_bot_in_a_group_is_answered_once(fs):
    """Its body (not its title) reads as text, the link's text kept, the image, video,
    emoji, rule and code block left out, the bot's `at` element dropped: not a command, so
    Ana is told so, in private as perfbot's errors go from a group, a pointer left there."""
    fs.link(ANA)
    post = next(c for k, c in KINDS if k == "post")
    body = group_text("", [{"key": "@_user_1", "id": {"open_id": BOT_OPEN_ID}, "name": "perfbot"}])
    body["event"]["message"] |= {"message_type": "post", "content": json.dumps(post)}
    before = len(fs.fake.called())
    assert fs.post(body).status_code == 200
    calls = sent_after(fs, before)
    [told] = to(calls, ANA)
    assert "第一行" in text_of(told) and "我是一个标题" not in text_of(told)
    assert len(replies(calls)) == 1 and len(calls) == 2


@pytest.mark.parametrize(
    ("text", "mentions", "answered"),
    [
        ("@_all /help", [{"key": "@_all", "id": {}, "name": "所有人"}], False),
        ("@_all /help", None, False),  # the SDK's tests: @all often comes without mentions
        ("@_all @_user_1 /help", [{"key": "@_all", "id": {}, "name": "所有人"},
                                  {"key": "@_user_1", "id": {"open_id": BOT_OPEN_ID},
                                   "name": "perfbot"}], True),
    ],
)  # fmt: skip
def test_at_all_alone_is_group_chatter_and_with_the_bot_named_a_command(
    fs, text, mentions, answered
):
    fs.link(ANA)
    before = len(fs.fake.called())
    assert fs.post(group_text(text, mentions)).status_code == 200
    calls = sent_after(fs, before)
    if not answered:
        assert calls == []
    else:  # the help is private: it goes to Ana's chat, a pointer stays in the group
        assert len(to(calls, ANA)) == 1 and len(replies(calls)) == 1
        assert all(c.body.get("receive_id") != GROUP for c in calls)


# --- duplicates and late re-deliveries ----------------------------------------------------


def test_a_message_pushed_twice_with_new_event_ids_is_answered_once(fs):
    """The receive doc: "special cases may push the same message again; deduplicate with
    message_id, not event_id"."""
    fs.link(ANA)
    first = doc("im_message_receive_v1_p2p.json", {DOC_SENDER: ANA})
    again = json.loads(json.dumps(first))
    again["header"]["event_id"] = "a-new-event-id"
    before = len(fs.fake.called())
    assert fs.post(first).status_code == fs.post(again).status_code == 200
    assert len(sent_after(fs, before)) == 1


def test_plain_mode_answers_feishus_redelivery_an_hour_later_once(demo_rt, fake):
    """A push that failed is sent again 15 s, 5 min, 1 h and 6 h later with its create_time
    unchanged: the 1 h one is answered, and a repeat of it does nothing more."""
    h = Harness(demo_rt, fake, encrypt_key=None)
    try:
        h.link(ANA)
        body = doc("im_message_receive_v1_p2p.json", {DOC_SENDER: ANA})
        body["header"]["create_time"] = str(int((time.time() - 3615) * 1000))
        assert h.http.post("/feishu/events", json=body).status_code == 200
        assert h.http.post("/feishu/events", json=body).status_code == 200
        h.drain()
        assert len(fake.sent()) == 1
    finally:
        h.close()
