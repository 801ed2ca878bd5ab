"""Opening a Feishu HTTP request: decryption, the signature, its age and the token."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from lark_oapi.core.utils import AESCipher

from bot.feishu.envelope import Keys, Refused, open_request
from tests.fakes import feishu_events as ev

KEYS = Keys(ev.TOKEN, ev.ENCRYPT_KEY)
HERE = Path(__file__).parent


def lower(headers: dict[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


def test_the_documentations_decryption_example():
    # Event subscription guide, "Encrypt Key": key "test key" and this ciphertext give
    # "hello world".
    assert AESCipher("test key").decrypt_str("P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=") == (
        "hello world"
    )


def test_a_signed_event_opens():
    body = ev.message("ou_a", "/help")
    raw, headers = ev.seal(body)
    assert open_request(raw, lower(headers), KEYS, time.time()) == body


def test_the_challenge_needs_no_signature_but_the_token():
    challenge = json.loads((HERE / "url_verification.json").read_text())
    raw, headers = ev.seal(challenge, signed=False)
    assert open_request(raw, lower(headers), KEYS, time.time())["challenge"] == "ajls384kdjx98XX"
    raw, headers = ev.seal({**challenge, "token": "wrong"}, signed=False)
    with pytest.raises(Refused) as refused:
        open_request(raw, lower(headers), KEYS, time.time())
    assert refused.value.status == 401


@pytest.mark.parametrize(
    "case",
    ["unsigned", "bad signature", "stale", "future", "wrong key", "plain body", "bad token",
     "not json", "digits", "tampered"],
)  # fmt: skip
def test_refusals(case: str):
    body = ev.message("ou_a", "/help", token="wrong" if case == "bad token" else ev.TOKEN)
    now = time.time()
    raw, headers = ev.seal(
        body,
        signed=case != "unsigned",
        ts=int(now) - 301 if case == "stale" else int(now) + 400 if case == "future" else None,
        key="another key" if case == "wrong key" else ev.ENCRYPT_KEY,
    )
    headers = lower(headers)
    if case == "bad signature":
        headers["x-lark-signature"] = "0" * 64
    if case == "plain body":
        raw = json.dumps(body).encode()
    if case == "not json":
        raw = b"\xff{"
    if case == "digits":
        headers["x-lark-request-timestamp"] = "１７００"
    if case == "tampered":
        raw = raw.replace(b'"}', b'A"}')
    with pytest.raises(Refused) as refused:
        open_request(raw, headers, KEYS, now)
    assert refused.value.status in (400, 401)


def test_plain_mode_without_an_encrypt_key_checks_the_token_and_the_events_age():
    plain = Keys(ev.TOKEN, "")
    body = ev.message("ou_a", "/help")
    raw = json.dumps(body).encode()
    now = time.time()
    assert open_request(raw, {}, plain, now) == body
    # Feishu re-delivers a failed push 15 s, 5 min, 1 h and 6 h later with its create_time
    # unchanged: those still open (the processed-event table turns the second one away).
    assert open_request(raw, {}, plain, now + 6 * 3600 + 3900) == body
    with pytest.raises(Refused):  # the same event replayed past every re-delivery
        open_request(raw, {}, plain, now + 9 * 3600)
    with pytest.raises(Refused):
        open_request(json.dumps(ev.message("ou_a", "/help", token="x")).encode(), {}, plain, now)
    sealed, _ = ev.seal(body)
    with pytest.raises(Refused):  # encrypted, but no key to open it
        open_request(sealed, {}, plain, now)
    recorded = json.loads((HERE / "url_verification.json").read_text())
    assert open_request(json.dumps(recorded).encode(), {}, plain, now)["challenge"]


def test_the_documentations_recorded_event_is_refused_as_stale_when_replayed_today():
    recorded = json.loads((HERE / "im_message_receive_v1_group.json").read_text())
    with pytest.raises(Refused) as refused:
        open_request(
            json.dumps(recorded).encode(), {}, Keys(recorded["header"]["token"], ""), time.time()
        )
    assert "stale" in refused.value.problem


def test_the_docs_encrypt_example_decrypts_with_the_cipher_perfbot_uses():
    """The event-subscription guide's example: Encrypt Key `test key` -> "hello world"."""
    example = json.loads(
        (Path(__file__).parents[2] / "fixtures/feishu/encrypt_example.json").read_text()
    )
    cipher = AESCipher(example["encrypt_key"])
    assert cipher.decrypt_str(example["encrypt"]) == example["plain"]


DOCS = Path(__file__).parents[2] / "fixtures" / "feishu"


def doc(name: str) -> dict[str, Any]:
    body: dict[str, Any] = json.loads((DOCS / name).read_text())
    return body


def test_the_card_request_url_is_plain_and_signed_with_the_token_whatever_the_key():
    legacy = doc("card_action_trigger_v1.json")
    for keys in (KEYS, Keys(ev.TOKEN, "")):
        raw, headers = ev.legacy_signed(legacy)
        assert open_request(raw, lower(headers), keys, time.time()) == legacy
        challenge = {**doc("url_verification_card_request_url.json"), "token": ev.TOKEN}
        assert open_request(json.dumps(challenge).encode(), {}, keys, time.time()) == challenge
        raw, headers = ev.legacy_signed(legacy, token="another token")
        with pytest.raises(Refused):
            open_request(raw, lower(headers), keys, time.time())
    sealed, headers = ev.seal(legacy)  # legacy callbacks are never encrypted: nor accepted so
    with pytest.raises(Refused):
        open_request(sealed, lower(headers), KEYS, time.time())


def test_a_1_0_event_is_checked_by_its_top_level_token_and_ts():
    event = {**doc("event_v1_p2p_chat_create.json"), "token": ev.TOKEN}
    now = time.time()
    plain = Keys(ev.TOKEN, "")
    fresh = {**event, "ts": f"{now:.7f}"}
    assert open_request(json.dumps(fresh).encode(), {}, plain, now) == fresh
    raw, headers = ev.seal(fresh)
    assert open_request(raw, lower(headers), KEYS, now) == fresh
    for bad in ({**fresh, "token": "x"}, event, {**fresh, "ts": "12.x"}, {**fresh, "ts": ""}):
        with pytest.raises(Refused):  # another app's, the doc's 2017 ts, malformed, none
            open_request(json.dumps(bad).encode(), {}, plain, now)
