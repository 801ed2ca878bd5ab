"""What reaches POST /feishu/events before anything acts: the URL verification challenge,
and refusals of bad signatures, tokens, stale timestamps, plain bodies and replays."""

from __future__ import annotations

import json
import time

from sqlalchemy import func, select

from store.models import ProcessedEvent
from tests.e2e.feishu.conftest import ANA
from tests.fakes import feishu_events as ev


def claimed(fs) -> int:
    with fs.rt.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(ProcessedEvent))


def test_the_url_verification_challenge_is_answered(fs):
    body = {"challenge": "ajls384kdjx98XX", "token": ev.TOKEN, "type": "url_verification"}
    resp = fs.post(body, signed=False)
    assert resp.status_code == 200 and resp.json() == {"challenge": "ajls384kdjx98XX"}
    assert fs.post({**body, "token": "nope"}, signed=False).status_code == 401


def test_refused_requests_change_nothing(fs):
    fs.link(ANA)
    before, sent = claimed(fs), len(fs.fake.sent())
    body = ev.message(ANA, "/help")
    raw, headers = ev.seal(body)
    bad = dict(headers, **{"X-Lark-Signature": "0" * 64})
    assert fs.http.post("/feishu/events", content=raw, headers=bad).status_code == 401
    assert fs.post(body, ts=int(time.time()) - 600).status_code == 401  # stale: a replay
    assert fs.post(body, signed=False).status_code == 401
    assert fs.post(ev.message(ANA, "/help", token="stolen")).status_code == 401
    assert fs.post(body, key="not the key").status_code == 401
    plain = json.dumps(body).encode()
    assert fs.http.post("/feishu/events", content=plain, headers=headers).status_code == 401
    assert fs.http.post("/feishu/events", content=b"\xff", headers=headers).status_code == 400
    huge = b'{"encrypt": "' + b"A" * (2 << 20) + b'"}'
    assert fs.http.post("/feishu/events", content=huge, headers=headers).status_code == 413
    fs.drain()
    assert claimed(fs) == before and len(fs.fake.sent()) == sent


def test_the_same_event_id_acts_once(fs):
    fs.link(ANA)
    body = ev.message(ANA, "/help", event_id="ev-replayed-1")
    first = fs.post(body)
    fs.drain()
    again = fs.post(body)  # Feishu re-sends an event it thinks failed; same id, new signature
    fs.drain()
    assert first.status_code == again.status_code == 200
    assert len(fs.fake.sent()) == 1


def test_other_events_are_acknowledged_and_ignored(fs):
    body = ev.message(ANA, "/help")
    body["header"]["event_type"] = "im.chat.member.bot.added_v1"
    resp = fs.post(body)
    fs.drain()
    assert resp.status_code == 200 and resp.json() == {} and fs.fake.sent() == []


def test_plain_mode_serves_unencrypted_events_checked_by_token_and_age(demo_rt, fake):
    """No Encrypt Key set (Feishu's plain mode): the documentation's bodies as they are."""
    from tests.e2e.feishu.conftest import Harness

    h = Harness(demo_rt, fake, encrypt_key=None)
    try:
        h.link(ANA)
        post = lambda body: h.http.post("/feishu/events", json=body)  # noqa: E731
        challenge = {"challenge": "c-1", "token": ev.TOKEN, "type": "url_verification"}
        assert post(challenge).json() == {"challenge": "c-1"}
        body = ev.message(ANA, "/help")
        assert post(body).status_code == 200
        h.drain()
        assert len(fake.sent()) == 1
        old = ev.message(ANA, "/help")
        old["header"]["create_time"] = str(int((time.time() - 9 * 3600) * 1000))
        assert post(old).status_code == 401
        assert post(ev.message(ANA, "/help", token="stolen")).status_code == 401
        h.drain()
        assert len(fake.sent()) == 1
    finally:
        h.close()
