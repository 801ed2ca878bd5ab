"""The documentation's own payloads (tests/fixtures/feishu/, sources in its README) replayed
through the real HTTP server of `perfbot serve feishu`, encrypted and signed as Feishu sends
them. Each body is the doc's, sent to this app: its token the app's Verification Token, its
open_ids mapped to the test tenant's people and bot."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

import pytest

from bot import strings as bs
from bot.feishu import strings as st
from bot.feishu.envelope import signature
from tests.e2e.feishu.conftest import ANA, Harness, p2p, replies, text_of, to
from tests.e2e.feishu.doc_support import (
    DOC_BOT,
    DOC_CHAT,
    DOC_OPERATOR,
    DOC_SENDER,
    FIXTURES,
    doc,
    sent_after,
)
from tests.fakes import feishu_events as ev
from tests.fakes.feishu_events import buttons
from tests.fakes.feishu_open_api import BOT_OPEN_ID


def test_the_documented_challenge_is_answered_encrypted_and_in_plain_mode(fs, demo_rt, fake):
    resp = fs.post(doc("url_verification.json"), signed=False)  # no signature on a challenge
    assert resp.status_code == 200 and resp.json() == {"challenge": "ajls384kdjx98XX"}
    as_printed = json.loads((FIXTURES / "url_verification.json").read_text())
    assert fs.post(as_printed, signed=False).status_code == 401  # someone else's token
    plain = Harness(demo_rt, fake, encrypt_key=None)
    try:
        answer = plain.http.post("/feishu/events", json=doc("url_verification.json"))
        assert answer.json() == {"challenge": "ajls384kdjx98XX"}
    finally:
        plain.close()


def test_the_documented_encrypted_body_without_our_key_is_refused(fs):
    raw = (FIXTURES / "encrypted_body.json").read_bytes()
    stamp, nonce = str(int(time.time())), "n0nce"
    headers = {
        "Content-Type": "application/json",
        "X-Lark-Request-Timestamp": stamp,
        "X-Lark-Request-Nonce": nonce,
        "X-Lark-Signature": signature(stamp, nonce, ev.ENCRYPT_KEY, raw),
    }
    assert fs.http.post("/feishu/events", content=raw, headers=headers).status_code == 401


def test_a_documented_private_command_is_answered_once_however_often_it_arrives(fs):
    fs.link(ANA)
    body = doc("im_message_receive_v1_p2p.json", {DOC_SENDER: ANA}, fresh_id=False)
    before = len(fs.fake.called())
    assert fs.post(body).status_code == 200
    assert fs.post(body).status_code == 200  # a re-delivery: same event_id, new signature
    [reply] = sent_after(fs, before)
    assert reply.path.endswith("/om_5ce6d572455d361153b7cb51da133946/reply")
    assert reply.texts[0]  # a card with a title: the help


def test_the_documented_group_message_not_naming_the_bot_is_ignored(fs):
    fs.link(ANA)
    before = len(fs.fake.called())
    resp = fs.post(doc("im_message_receive_v1.json", {DOC_SENDER: ANA}))
    assert resp.status_code == 200 and resp.json() == {}
    assert sent_after(fs, before) == []


@pytest.mark.parametrize(
    "name", ["im_message_receive_v1_group_at_bot.json", "im_message_receive_v1_post.json"]
)
def test_a_group_message_naming_the_bot_is_answered_text_or_rich_text(fs, name):
    fs.link(ANA)
    before = len(fs.fake.called())
    assert fs.post(doc(name, {DOC_SENDER: ANA, DOC_BOT: BOT_OPEN_ID})).status_code == 200
    calls = sent_after(fs, before)
    [pointer] = replies(calls)  # the help went to her private chat, a pointer stays here
    assert len(to(calls, ANA)) == 1 and st.PRIVATE_POINTER in text_of(pointer)


@pytest.mark.parametrize("name", ["card_action_trigger.json", "card_action_trigger_form.json"])
def test_the_documented_callbacks_of_a_card_not_ours_are_acknowledged_and_ignored(fs, name):
    fs.link(ANA)
    before = len(fs.fake.called())
    resp = fs.post(doc(name, {DOC_OPERATOR: ANA, DOC_CHAT: p2p(ANA)}))
    assert resp.status_code == 200 and resp.json() == {}
    assert sent_after(fs, before) == []


def test_a_press_in_the_documented_shape_gets_a_toast_and_the_card_updated(fs):
    fs.link(ANA)
    [goals] = fs.say(ANA, "/goals")
    ack = next(v for _, v in buttons(goals.card) if v["a"] == "gl:ack")
    body = doc("card_action_trigger.json", {DOC_OPERATOR: ANA, DOC_CHAT: p2p(ANA)})
    action = body["event"]["action"]
    action["value"] = ack
    del action["form_value"], action["name"]  # a plain button, outside a form
    answer = fs.post(body).json()
    assert answer["toast"]["type"] == "success"
    assert answer["card"]["type"] == "raw" and buttons(answer["card"]["data"]) == []


def test_a_documented_form_submission_missing_our_inputs_comes_back_with_the_problems(fs):
    fs.link(ANA)
    ours = json.loads(
        (Path(__file__).parents[2] / "adapters/feishu/card_action_trigger_form.json").read_text()
    )
    body = doc("card_action_trigger_form.json", {DOC_OPERATOR: ANA, DOC_CHAT: p2p(ANA)})
    body["event"]["action"]["value"] = ours["event"]["action"]["value"]  # our appeal form
    before = len(fs.fake.called())
    answer = fs.post(body).json()
    assert answer["toast"] == {"type": "error", "content": bs.REQUIRED}
    assert answer["card"]["type"] == "raw"
    assert bs.REQUIRED in json.dumps(answer["card"]["data"], ensure_ascii=False)
    assert sent_after(fs, before) == []


def test_a_bad_signature_on_a_documented_event_is_401_and_nothing_runs(fs):
    fs.link(ANA)
    raw, headers = ev.seal(doc("im_message_receive_v1_p2p.json", {DOC_SENDER: ANA}))
    headers["X-Lark-Signature"] = signature(
        headers["X-Lark-Request-Timestamp"], "other", ev.ENCRYPT_KEY, raw
    )
    before = len(fs.fake.called())
    assert fs.http.post("/feishu/events", content=raw, headers=headers).status_code == 401
    assert sent_after(fs, before) == []


def test_plain_mode_takes_a_card_callback_stamped_in_microseconds(demo_rt, fake):
    """The callback doc's create_time has 16 digits; an unsigned one is checked for age in
    microseconds, not refused as 50,000 years old."""
    h = Harness(demo_rt, fake, encrypt_key=None)
    try:
        h.link(ANA)
        body = doc("card_action_trigger.json", {DOC_OPERATOR: ANA, DOC_CHAT: p2p(ANA)})
        body["header"]["create_time"] = str(int(time.time() * 1_000_000))
        assert h.http.post("/feishu/events", json=body).json() == {}
        body["header"]["create_time"] = str(int((time.time() - 9 * 3600) * 1_000_000))
        body["header"]["event_id"] = uuid.uuid4().hex
        assert h.http.post("/feishu/events", json=body).status_code == 401  # stale
    finally:
        h.close()
