"""The HTTP endpoints against requests nobody friendly sends: headers that aren't what they
claim, bodies larger than they say (or than anything Slack or Telegram sends), nesting,
encodings, and hypothesis' own inventions. Never a 5xx; memory bounded by the body limit."""

from __future__ import annotations

import asyncio
import json
import socket
import tracemalloc
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette

from bot.slack.server import MAX_BODY as SLACK_MAX
from bot.telegram.server import MAX_BODY as TG_MAX
from bot.telegram.server import webhook_route
from tests.e2e.slack.conftest import FORM, sign

SECRET = "tg-secret"
NESTED = b"[" * 100_000 + b"]" * 100_000


def telegram_hook() -> tuple[Starlette, list[dict[str, Any]]]:
    """The real webhook route, its updates collected instead of processed."""
    got: list[dict[str, Any]] = []

    async def submit(update: dict[str, Any]) -> None:
        got.append(update)

    return Starlette(routes=[webhook_route("/hook", SECRET, submit)]), got


async def post(app: Starlette, path: str, body: Any, headers: dict[str, Any]) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.post(path, content=body, headers=headers)


def raw_status(url: str, rest: bytes) -> int:
    """The status a raw POST /slack/events gets, its headers' end (and body) as given:
    what no well-behaved client library would send."""
    host, port = url.split("//", 1)[1].rstrip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\n" + rest)
        head = conn.recv(64)
    return int(head.split(b" ", 2)[1])


def test_slack_timestamps_that_are_not_numbers_are_401_not_500(slack):
    body = b"command=%2Fperf&text=help&user_id=U1"
    for stamp in ("²", "1" * 4301, "１２３", "-1", "1.5e9", ""):
        # Raw UTF-8 bytes, as an attacker's client sends them (httpx would refuse a str).
        headers = {
            "X-Slack-Request-Timestamp": stamp.encode(),
            "X-Slack-Signature": b"v0=" + b"0" * 64,
        }
        resp = slack.http.post(
            "/slack/events", content=body, headers={"Content-Type": FORM, **headers}
        )
        assert resp.status_code == 401, (stamp[:10], resp.status_code)


def test_slack_refuses_a_large_body_from_its_length_and_while_streaming(slack):
    big = b"x" * (SLACK_MAX + 1)
    resp = slack.http.post("/slack/events", content=big, headers={"Content-Type": FORM})
    assert resp.status_code == 413
    for length in (b"abc", "²".encode(), b"-5", b"9" * 40):
        assert raw_status(slack.url, b"Content-Length: " + length + b"\r\n\r\nx") == 400

    def chunks() -> Any:  # no Content-Length: sent chunked, the limit holds as it streams
        for _ in range(SLACK_MAX // 65536 + 4):
            yield b"y" * 65536

    streamed = slack.http.post("/slack/events", content=chunks(), headers={"Content-Type": FORM})
    assert streamed.status_code == 413


def test_slack_deeply_nested_signed_json_is_400(slack):
    resp = slack.post(NESTED, "application/json")
    assert resp.status_code == 400
    nested_obj = b'{"type": "event_callback", "event": ' + NESTED + b"}"
    assert slack.post(nested_obj, "application/json").status_code == 400


IGNORED = [
    {"type": "view_closed", "user": {"id": "U1"}, "view": {"id": "V1"}},
    {"type": "shortcut", "callback_id": "x", "user": {"id": "U1"}, "trigger_id": "1.2"},
    {"type": "message_action", "callback_id": "x", "user": {"id": "U1"}},
    {"type": "app_rate_limited", "team_id": "T1", "minute_rate_limited": 1518467820},
    {"type": "event_callback", "event_id": "Ev1", "event": {"type": "message", "text": "hi"}},
    {"type": "event_callback", "event_id": "Ev2", "event": {"type": "member_joined_channel"}},
    {"type": "view_submission", "view": {"callback_id": "someone_elses"}, "user": {"id": "U1"}},
]


@pytest.mark.parametrize("payload", IGNORED, ids=lambda p: p.get("type"))
def test_well_formed_payloads_perfbot_ignores_get_200(slack, payload):
    body = json.dumps(payload).encode()
    assert slack.post(body, "application/json").status_code == 200


def test_block_suggestion_gets_an_empty_option_list(slack):
    payload = {"type": "block_suggestion", "action_id": "a", "value": "x", "user": {"id": "U1"}}
    form = ("payload=" + json.dumps(payload)).encode()
    resp = slack.post(form, FORM)
    assert resp.status_code == 200 and resp.json() == {"options": []}


def test_telegram_webhook_refuses_bad_lengths_and_nesting():
    app, got = telegram_hook()
    auth = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}

    async def run() -> list[int]:
        return [
            (await post(app, "/hook", b"{}", {**auth, "Content-Length": "²".encode()})).status_code,
            (await post(app, "/hook", b"x" * (TG_MAX + 1), auth)).status_code,
            (await post(app, "/hook", NESTED, auth)).status_code,
            (await post(app, "/hook", b'{"update_id": "7"}', auth)).status_code,
            (await post(app, "/hook", b'{"update_id": 7}', auth)).status_code,
        ]

    assert asyncio.run(run()) == [400, 413, 400, 400, 200]
    assert got == [{"update_id": 7}]


def test_a_200_mb_body_streamed_to_either_endpoint_keeps_memory_bounded(slack):
    app, _ = telegram_hook()
    auth = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}

    async def body() -> AsyncIterator[bytes]:
        chunk = b"z" * (1 << 20)
        for _ in range(200):
            yield chunk

    async def run() -> int:
        return (await post(app, "/hook", body(), auth)).status_code

    tracemalloc.start()
    try:
        assert asyncio.run(run()) == 413

        def sync_body() -> Any:
            chunk = b"z" * (1 << 20)
            for _ in range(200):
                yield chunk

        try:
            resp = slack.http.post("/slack/events", content=sync_body(), headers=sign(b""))
            assert resp.status_code == 413
        except httpx.TransportError:
            pass  # the server answered 413 and closed while 200 MB were still being sent
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * (1 << 20), f"peak {peak / (1 << 20):.1f} MB while refusing 200 MB"


header_text = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FFF, exclude_categories=("Cs",)),
    max_size=40,
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    body=st.one_of(
        st.binary(max_size=2000),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=20),
            lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids),
            max_leaves=30,
        ).map(lambda v: json.dumps({"type": "event_callback", "event": v}).encode()),
    ),
    ctype=st.sampled_from([FORM, "application/json", "text/plain", "", "multipart/form-data"]),
    stamp=st.one_of(st.none(), header_text),
    signed_right=st.booleans(),
)
def test_fuzz_slack_never_answers_5xx(slack, body, ctype, stamp, signed_right):
    headers: dict[str, Any] = {"Content-Type": ctype} if ctype else {}
    if signed_right:
        headers.update(sign(body))
    elif stamp is not None:
        raw = stamp.encode()
        headers.update({"X-Slack-Request-Timestamp": raw, "X-Slack-Signature": b"v0=" + raw})
    try:
        resp = slack.http.post("/slack/events", content=body, headers=headers)
    except (httpx.LocalProtocolError, UnicodeEncodeError):
        return  # a header httpx itself refuses to send never reaches the server
    assert resp.status_code < 500, (resp.status_code, body[:80], ctype, stamp)


@settings(max_examples=80, deadline=None)
@given(
    body=st.one_of(
        st.binary(max_size=2000),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=20),
            lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids),
            max_leaves=30,
        ).map(lambda v: json.dumps({"update_id": 1, "message": v}).encode()),
    ),
    length=st.one_of(st.none(), header_text),
)
def test_fuzz_telegram_never_answers_5xx(body, length):
    app, _ = telegram_hook()
    headers: dict[str, Any] = {
        "X-Telegram-Bot-Api-Secret-Token": SECRET,
        "Content-Type": "application/json",
    }
    if length is not None:
        headers["Content-Length"] = length.encode()
    try:
        resp = asyncio.run(post(app, "/hook", body, headers))
    except (httpx.LocalProtocolError, UnicodeEncodeError):
        return
    assert resp.status_code < 500, (resp.status_code, body[:80], length)
