"""The long connection's dispatcher (what `lark.ws.Client` calls for each frame) runs the
same FeishuApp.handle as HTTP: the same answers, the same de-duplication by event id."""

from __future__ import annotations

import json
import time

import lark_oapi as lark
import pytest

from bot.feishu.ws import event_handler
from handlers import strings_en as t
from store.models import Goal
from tests.e2e.feishu.conftest import ANA, p2p, text_of
from tests.e2e.feishu.doc_support import DOC_OPERATOR, DOC_SENDER, doc
from tests.fakes import feishu_events as ev
from tests.fakes.feishu_events import buttons


def frame(body: dict) -> bytes:
    """A data frame's payload: the event JSON, unencrypted (the connection is the app's own)."""
    return json.dumps(body).encode()


def wait_for_sent(fs, n: int) -> None:
    deadline = time.monotonic() + 10
    while len(fs.fake.sent()) < n:
        assert time.monotonic() < deadline, "nothing was sent"
        time.sleep(0.02)
    fs.drain()


def test_a_message_over_the_long_connection_is_answered_like_over_http(fs):
    fs.link(ANA)
    handler = event_handler(fs.app, fs.loop)
    body = ev.message(ANA, "/help", event_id="ws-1")
    assert handler._do_without_validation(frame(body)) is None  # events need no answer
    wait_for_sent(fs, 1)
    [reply] = fs.fake.sent()
    assert reply.path.endswith("/reply") and "/explain <metric>" in text_of(reply)
    fs.post(body)  # the same event again, now over HTTP: already handled
    fs.drain()
    assert len(fs.fake.sent()) == 1


def test_a_card_action_is_answered_in_the_frames_response(fs):
    fs.link(ANA)
    [goals] = fs.say(ANA, "/goals")
    ack = next(v for _, v in buttons(goals.card) if v["a"] == "gl:ack")
    handler = event_handler(fs.app, fs.loop)
    body = ev.card_action(ANA, ack, message_id="om_goals", chat_id=p2p(ANA))
    result = handler._do_without_validation(frame(body))
    answer = json.loads(lark.JSON.marshal(result))
    assert answer["toast"]["content"].startswith(t.ACK_TITLE)
    assert answer["card"]["type"] == "raw" and buttons(answer["card"]["data"]) == []
    with fs.rt.uow() as uow:
        assert uow.session.get(Goal, int(ack["v"])).status == "acknowledged"


@pytest.mark.parametrize(
    "name",
    ["im_chat_member_bot_added_v1.json", "im_message_message_read_v1.json",
     "contact_user_updated_v3.json", "application_bot_menu_v6.json",
     "event_v1_p2p_chat_create.json"],
)  # fmt: skip
def test_events_with_no_handler_are_acknowledged_not_failed(fs, name):
    """The SDK's dispatcher raises for an event it has no processor for, and its client
    answers that frame 500 (Feishu then pushes it again): perfbot's answers nothing."""
    handler = event_handler(fs.app, fs.loop)
    assert handler._do_without_validation(frame(doc(name, {DOC_SENDER: ANA}))) is None
    fs.drain()
    assert fs.fake.sent() == []


def test_a_callback_with_a_string_value_is_acknowledged_not_failed(fs):
    """The callback doc allows a string `value`; the SDK's model refuses one (its card is
    not perfbot's: perfbot's buttons carry objects)."""
    body = doc("card_action_trigger_checker.json", {DOC_OPERATOR: ANA})
    body["event"]["action"]["value"] = '{"key":"value"}'
    assert event_handler(fs.app, fs.loop)._do_without_validation(frame(body)) is None


def test_a_documented_private_command_over_the_long_connection_is_answered(fs):
    fs.link(ANA)
    handler = event_handler(fs.app, fs.loop)
    body = doc("im_message_receive_v1_p2p.json", {DOC_SENDER: ANA})
    assert handler._do_without_validation(frame(body)) is None
    wait_for_sent(fs, 1)
    [reply] = fs.fake.sent()
    assert reply.path.endswith(body["event"]["message"]["message_id"] + "/reply")


def test_the_ws_transport_asks_for_its_endpoint_with_the_apps_credentials(demo_rt, fake):
    """Started with --transport ws: no HTTP route; the SDK's client asks Feishu for the
    connection's endpoint with the app id and secret (the fake refuses), and stopping ends it."""
    import asyncio
    import dataclasses

    from bot.feishu.server import started
    from tests.e2e.feishu.conftest import feishu_settings

    settings = demo_rt.settings.model_copy(
        update={"feishu": feishu_settings(fake, verification_token=None, encrypt_key=None)}
    )
    rt = dataclasses.replace(demo_rt, settings=settings)

    async def run() -> list:
        async with started(rt, "ws") as face:
            assert face.routes == []
            for _ in range(250):
                if any(c.path == "/callback/ws/endpoint" for c in fake.calls):
                    break
                await asyncio.sleep(0.02)
        return [c for c in fake.calls if c.path == "/callback/ws/endpoint"]

    [asked] = asyncio.run(run())
    assert asked.body == {"AppID": fake.app_id, "AppSecret": fake.app_secret}
