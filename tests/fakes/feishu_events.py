"""Feishu event and callback bodies in the documentation's shapes, encrypted and signed as
Feishu sends them: `{"encrypt": base64(IV + AES-256-CBC(body))}` with the key SHA-256 of
the Encrypt Key, and X-Lark-Signature = sha256(timestamp + nonce + key + raw body). The
message-card request URL's legacy callbacks go as plain JSON signed with the Verification
Token: sha1(timestamp + nonce + token + raw body) (`legacy_signed`)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
import uuid
from typing import Any

from Crypto.Cipher import AES

TOKEN = "rvaYgkR3Ikms7p2CRvvvOh2ATh7vNpgT"  # the app's Verification Token
ENCRYPT_KEY = "kudryavtsev-test-encrypt-key"
APP_ID = "cli_a5fb0ae6a4test"


def encrypt(plain: bytes, key: str = ENCRYPT_KEY) -> str:
    """What Feishu puts in `encrypt` (a random IV first, PKCS#7 padding)."""
    iv = os.urandom(16)
    pad = 16 - len(plain) % 16
    cipher = AES.new(hashlib.sha256(key.encode()).digest(), AES.MODE_CBC, iv)
    return base64.b64encode(iv + cipher.encrypt(plain + bytes([pad]) * pad)).decode()


def seal(
    body: dict[str, Any],
    *,
    key: str = ENCRYPT_KEY,
    ts: int | None = None,
    nonce: str = "",
    signed: bool = True,
) -> tuple[bytes, dict[str, str]]:
    """The raw HTTP body and headers of a request Feishu would send."""
    raw = json.dumps({"encrypt": encrypt(json.dumps(body).encode(), key)}).encode()
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if signed:
        stamp = str(int(time.time()) if ts is None else ts)
        nonce = nonce or uuid.uuid4().hex[:10]
        digest = hashlib.sha256((stamp + nonce + key).encode() + raw).hexdigest()
        headers |= {
            "X-Lark-Request-Timestamp": stamp,
            "X-Lark-Request-Nonce": nonce,
            "X-Lark-Signature": digest,
        }
    return raw, headers


def legacy_signed(
    body: dict[str, Any], *, token: str = TOKEN, ts: int | None = None, nonce: str = ""
) -> tuple[bytes, dict[str, str]]:
    """The raw body and headers of a card.action.trigger_v1 callback (never encrypted)."""
    raw = json.dumps(body).encode()
    stamp = str(int(time.time()) if ts is None else ts)
    nonce = nonce or uuid.uuid4().hex[:10]
    return raw, {
        "Content-Type": "application/json; charset=utf-8",
        "X-Lark-Request-Timestamp": stamp,
        "X-Lark-Request-Nonce": nonce,
        "X-Lark-Signature": hashlib.sha1((stamp + nonce + token).encode() + raw).hexdigest(),
    }


def header(event_type: str, event_id: str | None = None, token: str = TOKEN) -> dict[str, Any]:
    return {
        "event_id": event_id or uuid.uuid4().hex,
        "event_type": event_type,
        "create_time": str(int(time.time() * 1000)),
        "token": token,
        "app_id": APP_ID,
        "tenant_key": "2ca1d211f64f6438",
    }


def message(
    sender: str,
    text: str,
    *,
    chat_type: str = "p2p",
    chat_id: str = "",
    mentions: dict[str, tuple[str, str]] | None = None,
    event_id: str | None = None,
    message_type: str = "text",
    token: str = TOKEN,
) -> dict[str, Any]:
    """im.message.receive_v1; `mentions`: placeholder key -> (open_id, name)."""
    return {
        "schema": "2.0",
        "header": header("im.message.receive_v1", event_id, token),
        "event": {
            "sender": {
                "sender_id": {"union_id": "on_x", "user_id": "", "open_id": sender},
                "sender_type": "user",
                "tenant_key": "2ca1d211f64f6438",
            },
            "message": {
                "message_id": "om_" + uuid.uuid4().hex,
                "create_time": str(int(time.time() * 1000)),
                "chat_id": chat_id or f"oc_p2p_{sender}",
                "chat_type": chat_type,
                "message_type": message_type,
                "content": json.dumps({"text": text}),
                "mentions": [
                    {"key": k, "id": {"open_id": oid, "user_id": "", "union_id": ""}, "name": n}
                    for k, (oid, n) in (mentions or {}).items()
                ],
            },
        },
    }


def card_action(
    operator: str,
    value: dict[str, Any],
    *,
    message_id: str,
    chat_id: str,
    form_value: dict[str, Any] | None = None,
    event_id: str | None = None,
) -> dict[str, Any]:
    """card.action.trigger for a button (or a form's submit button) on one of our cards."""
    action: dict[str, Any] = {"value": value, "tag": "button", "timezone": "Asia/Shanghai"}
    if form_value is not None:
        action |= {"form_value": form_value, "name": "submit"}
    return {
        "schema": "2.0",
        "header": header("card.action.trigger", event_id),
        "event": {
            "operator": {"tenant_key": "2ca1d211f64f6438", "open_id": operator, "union_id": ""},
            "token": "c-" + uuid.uuid4().hex,
            "action": action,
            "host": "im_message",
            "context": {"open_message_id": message_id, "open_chat_id": chat_id},
        },
    }


def buttons(card: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(label, callback value) of every callback button of a rendered card, forms' too."""
    out: list[tuple[str, dict[str, Any]]] = []

    def walk(elements: list[dict[str, Any]]) -> None:
        for e in elements:
            if e.get("tag") == "button":
                for b in e.get("behaviors", []):
                    if b.get("type") == "callback":
                        out.append((e["text"]["content"], b["value"]))
            walk(e.get("elements", []))

    walk(card.get("body", {}).get("elements", []))
    return out
