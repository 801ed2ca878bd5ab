"""What a Feishu response says: its `code` and `msg`, its JSON body, and how long a rate
limit asks to wait."""

from __future__ import annotations

import json
from typing import Any

RATE_LIMITED = 99991400  # "request trigger frequency limit"
RESET_HEADER = "x-ogw-ratelimit-reset"


def outcome(resp: Any, status: int) -> tuple[int, str]:
    """Feishu's `code` and `msg`: parsed by the SDK for typed calls; read from the body here
    for raw ones (the SDK looks for `Content-Type` where httpx gives `content-type`)."""
    if resp.code is not None:
        return int(resp.code), str(resp.msg or "")
    body = body_of(resp)
    code = body.get("code")
    if isinstance(code, int):
        return code, str(body.get("msg") or "")
    return (0 if status < 300 else -1), f"HTTP {status}"


def body_of(resp: Any) -> dict[str, Any]:
    """The raw response's JSON object ({} when it has none or is no JSON)."""
    try:
        data = json.loads(resp.raw.content) if resp.raw is not None else {}
    except (ValueError, TypeError):
        return {}
    return data if isinstance(data, dict) else {}


def rate_limit_reset(resp: Any, code: int) -> float | None:
    """Seconds to wait for a rate-limited call (x-ogw-ratelimit-reset); None otherwise."""
    status = int(getattr(resp.raw, "status_code", 200) or 200)
    if status != 429 and code != RATE_LIMITED:
        return None
    headers = getattr(resp.raw, "headers", None) or {}
    value = next((str(v) for k, v in headers.items() if k.lower() == RESET_HEADER), "1")
    try:
        return max(0.0, min(float(value), 3600.0))
    except ValueError:
        return 1.0
