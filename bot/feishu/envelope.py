"""An HTTP request from Feishu opened and checked, before anything acts on it.

With an Encrypt Key set in the developer console, Feishu sends `{"encrypt": "<base64>"}`
(AES-256-CBC, the key being SHA-256 of the Encrypt Key, the IV the first 16 bytes; the SDK's
AESCipher decrypts it) and signs every event and callback: X-Lark-Signature is the hex
SHA-256 of timestamp + nonce + Encrypt Key + the raw body. The URL verification challenge
is the one request without a signature: decrypting it proves the key, its token the rest.

Without an Encrypt Key (Feishu's plain mode) bodies arrive as they are, unsigned: only the
verification token vouches for them, and an event older than MAX_AGE (its header's
create_time) is refused as a replay. perfbot warns at start-up; set the key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lark_oapi.core.utils import AESCipher

MAX_AGE = 300  # seconds a signed request stays good (a replay after that is refused)
URL_VERIFICATION = "url_verification"
MICROSECONDS = 10**14  # a create_time this large is microseconds (ms reach it in 5138 AD)


class Refused(Exception):
    """Not a request from Feishu (401) or not one it would send (400); nothing ran."""

    def __init__(self, status: int, problem: str) -> None:
        super().__init__(problem)
        self.status, self.problem = status, problem


@dataclass(frozen=True)
class Keys:
    """The app's Verification Token and Encrypt Key, from the developer console."""

    token: str
    encrypt_key: str


def open_request(raw: bytes, headers: Mapping[str, str], keys: Keys, now: float) -> dict[str, Any]:
    """The decrypted, checked body; Refused when anything is off. `now`: Unix seconds."""
    outer = _json(raw)
    sealed = outer.get("encrypt")
    if not keys.encrypt_key:
        if sealed is not None:
            raise Refused(401, "an encrypted body, but FEISHU_ENCRYPT_KEY is not set")
        body = outer
    elif not isinstance(sealed, str) or not sealed:
        raise Refused(401, "expected an encrypted body (the Encrypt Key is set)")
    else:
        try:
            body = _json(AESCipher(keys.encrypt_key).decrypt_str(sealed).encode())
        except (ValueError, UnicodeDecodeError):  # wrong key, bad padding, not base64
            raise Refused(401, "cannot decrypt the body with FEISHU_ENCRYPT_KEY") from None
    if body.get("type") == URL_VERIFICATION:
        _same(str(body.get("token") or ""), keys.token)
        return body
    header = body.get("header")
    header = header if isinstance(header, Mapping) else {}
    if keys.encrypt_key:
        check_signature(raw, headers, keys.encrypt_key, now)
    else:
        _fresh(str(header.get("create_time") or ""), now)
    _same(str(header.get("token") or ""), keys.token)
    return body


def check_signature(raw: bytes, headers: Mapping[str, str], encrypt_key: str, now: float) -> None:
    """X-Lark-Signature over the exact bytes received, its timestamp at most MAX_AGE old."""
    stamp = headers.get("x-lark-request-timestamp") or ""
    nonce = headers.get("x-lark-request-nonce") or ""
    given = headers.get("x-lark-signature") or ""
    # ASCII digits only, and few ("²".isdigit() holds; int() of 4,301 digits raises).
    if not given or not (stamp.isascii() and stamp.isdigit() and len(stamp) < 16):
        raise Refused(401, "missing or malformed signature headers")
    if abs(now - int(stamp)) > MAX_AGE:
        raise Refused(401, "stale timestamp: a replay, or a clock far off")
    expected = signature(stamp, nonce, encrypt_key, raw)
    if not hmac.compare_digest(expected.encode(), given.encode("utf-8", "replace")):
        raise Refused(401, "invalid signature")


def signature(stamp: str, nonce: str, encrypt_key: str, raw: bytes) -> str:
    """Feishu's X-Lark-Signature for a body."""
    return hashlib.sha256((stamp + nonce + encrypt_key).encode() + raw).hexdigest()


def _fresh(create_time: str, now: float) -> None:
    """An unsigned event's own time at most MAX_AGE from now. Events carry milliseconds;
    the card callback's documented example carries 16 digits (microseconds), so both."""
    if not (create_time.isascii() and create_time.isdigit() and len(create_time) < 20):
        raise Refused(401, "missing or malformed header.create_time")
    stamp = int(create_time)
    if abs(now - stamp / (1_000_000 if stamp >= MICROSECONDS else 1000)) > MAX_AGE:
        raise Refused(401, "stale event: a replay, or a clock far off")


def _same(given: str, token: str) -> None:
    if not given or not hmac.compare_digest(given.encode(), token.encode()):
        raise Refused(401, "invalid verification token")


def _json(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise Refused(400, "not JSON") from None
    if not isinstance(data, dict):
        raise Refused(400, "not a JSON object")
    return data
