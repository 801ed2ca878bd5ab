"""An HTTP request from Feishu opened and checked, before anything acts on it.

With an Encrypt Key set in the developer console, Feishu sends `{"encrypt": "<base64>"}`
(AES-256-CBC, the key being SHA-256 of the Encrypt Key, the IV the first 16 bytes; the SDK's
AESCipher decrypts it) and signs every event and callback: X-Lark-Signature is the hex
SHA-256 of timestamp + nonce + Encrypt Key + the raw body. The URL verification challenge
is the one request without a signature: decrypting it proves the key, its token the rest.

Without an Encrypt Key (Feishu's plain mode) bodies arrive as they are, unsigned: only the
verification token vouches for them, and an event older than REDELIVERY (its header's
create_time, or a 1.0 event's `ts`) is refused as a replay. perfbot warns at start-up.

The message-card request URL (card.action.trigger_v1 callbacks, and its own challenge) is
never encrypted, whatever the console says: its callbacks are signed with the Verification
Token instead, X-Lark-Signature being the hex SHA-1 of timestamp + nonce + token + body.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from lark_oapi.core.utils import AESCipher

from bot.feishu.parse import legacy_card

MAX_AGE = 300  # seconds a signed request stays good (a replay after that is refused)
# An unsigned event's create_time stays as it was through Feishu's re-deliveries (15 s,
# 5 min, 1 h, 6 h after a failed push): one is refused only once past all of them. A
# replay inside the window is no more than a re-delivery, which the processed-event table
# (kept a day, bot/event_claims.py) turns away; nothing is signed, so the age is all there is.
REDELIVERY = 8 * 3600
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
    if "encrypt" not in outer and outer.get("type") == URL_VERIFICATION:
        _same(str(outer.get("token") or ""), keys.token)  # the card request URL's, or plain
        return outer
    if "encrypt" not in outer and legacy_card(outer):
        _check(raw, headers, keys.token, now, _legacy_signature)
        return outer
    body = _opened(outer, keys)
    if body.get("type") == URL_VERIFICATION:
        _same(str(body.get("token") or ""), keys.token)
        return body
    header = body.get("header")
    header = header if isinstance(header, Mapping) else {}
    if keys.encrypt_key:
        check_signature(raw, headers, keys.encrypt_key, now)
    else:
        _fresh(header, body, now)
    # A 2.0 event carries the token in its header, a 1.0 event (`uuid`, `ts`) at the top.
    _same(str(header.get("token") or body.get("token") or ""), keys.token)
    return body


def _opened(outer: dict[str, Any], keys: Keys) -> dict[str, Any]:
    """The body decrypted with the Encrypt Key, or as it came when none is set."""
    sealed = outer.get("encrypt")
    if not keys.encrypt_key:
        if sealed is not None:
            raise Refused(401, "an encrypted body, but FEISHU_ENCRYPT_KEY is not set")
        return outer
    if not isinstance(sealed, str) or not sealed:
        raise Refused(401, "expected an encrypted body (the Encrypt Key is set)")
    try:
        return _json(AESCipher(keys.encrypt_key).decrypt_str(sealed).encode())
    except (ValueError, UnicodeDecodeError):  # wrong key, bad padding, not base64
        raise Refused(401, "cannot decrypt the body with FEISHU_ENCRYPT_KEY") from None


def check_signature(raw: bytes, headers: Mapping[str, str], encrypt_key: str, now: float) -> None:
    """X-Lark-Signature over the exact bytes received, its timestamp at most MAX_AGE old."""
    _check(raw, headers, encrypt_key, now, signature)


def signature(stamp: str, nonce: str, encrypt_key: str, raw: bytes) -> str:
    """Feishu's X-Lark-Signature for a body."""
    return hashlib.sha256((stamp + nonce + encrypt_key).encode() + raw).hexdigest()


def _legacy_signature(stamp: str, nonce: str, token: str, raw: bytes) -> str:
    """The message-card request URL's X-Lark-Signature (the SDKs' CardActionHandler)."""
    return hashlib.sha1((stamp + nonce + token).encode() + raw).hexdigest()


def _check(
    raw: bytes,
    headers: Mapping[str, str],
    secret: str,
    now: float,
    sign: Callable[[str, str, str, bytes], str],
) -> None:
    stamp = headers.get("x-lark-request-timestamp") or ""
    nonce = headers.get("x-lark-request-nonce") or ""
    given = headers.get("x-lark-signature") or ""
    # ASCII digits only, and few ("²".isdigit() holds; int() of 4,301 digits raises).
    if not given or not (stamp.isascii() and stamp.isdigit() and len(stamp) < 16):
        raise Refused(401, "missing or malformed signature headers")
    if abs(now - int(stamp)) > MAX_AGE:
        raise Refused(401, "stale timestamp: a replay, or a clock far off")
    expected = sign(stamp, nonce, secret, raw)
    if not hmac.compare_digest(expected.encode(), given.encode("utf-8", "replace")):
        raise Refused(401, "invalid signature")


def _fresh(header: Mapping[str, Any], body: Mapping[str, Any], now: float) -> None:
    """An unsigned event's own time at most REDELIVERY from now: a 2.0 header's create_time
    (milliseconds; the card callback's documented example prints 16 digits, microseconds),
    or a 1.0 event's `ts` (seconds with a fraction, "1502199207.7171419")."""
    created = str(header.get("create_time") or "")
    whole, _, fraction = (created or str(body.get("ts") or "")).partition(".")
    if not all(p.isascii() and p.isdigit() and len(p) < 20 for p in (whole, fraction or "0")):
        raise Refused(401, "missing or malformed header.create_time")
    value = int(whole)
    seconds = value / (1_000_000 if value >= MICROSECONDS else 1000) if created else value
    if abs(now - seconds) > REDELIVERY:
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
