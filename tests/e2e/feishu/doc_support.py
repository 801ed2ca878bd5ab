"""The documentation's payloads (tests/fixtures/feishu/, sources in its README) addressed to
the test app: its Verification Token, fresh ids, and the docs' open_ids swapped for the test
tenant's people and bot (`doc`), as the e2e tests replay them through the real server."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Any

from tests.e2e.feishu.conftest import Harness
from tests.fakes import feishu_events as ev

FIXTURES = Path(__file__).parents[2] / "fixtures" / "feishu"
DOC_SENDER = "ou_84aad35d084aa403a838cf73ee18467"  # the receive doc's sender (and "Tom")
DOC_BOT = "ou_a0553eda9014c201e6969b478895c230"  # the bot in the derived group fixtures
DOC_OPERATOR = "ou_3c14f3a59eaf2825dbe25359f15*****"  # the card callback doc's operator
DOC_CHAT = "oc_e4d2605ca917e695f54f11aaf56*****"
LEGACY_OPERATOR = "ou_sdfimx9948345"  # the legacy card callback doc's operator
LEGACY_MESSAGE = "om_abcdefg1234567890"


def fixture(name: str) -> Any:
    """A fixture file as printed."""
    return json.loads((FIXTURES / name).read_text())


def doc(name: str, ids: dict[str, str] | None = None, *, fresh_id: bool = True) -> dict[str, Any]:
    """A fixture as printed, addressed to this app (new event and message ids unless
    `fresh_id` is off: Feishu gives every event and message its own, and the processed-event
    table remembers them). A 1.0 event gets this app's token and a fresh `ts`; a legacy card
    callback a fresh card-update token (its `token` is that, not the Verification Token)."""
    raw = (FIXTURES / name).read_text()
    for old, new in (ids or {}).items():
        raw = raw.replace(old, new)
    body: dict[str, Any] = json.loads(raw)
    message = body.get("event", {}).get("message") if isinstance(body.get("event"), dict) else None
    if "header" in body:
        body["header"]["token"] = ev.TOKEN
        if fresh_id:
            body["header"]["event_id"] = uuid.uuid4().hex
            if isinstance(message, dict):
                message["message_id"] = "om_" + uuid.uuid4().hex
    elif "uuid" in body:
        body |= {"token": ev.TOKEN, "uuid": uuid.uuid4().hex, "ts": f"{time.time():.7f}"}
    elif "action" in body:
        body["token"] = "c-" + uuid.uuid4().hex
    else:
        body["token"] = ev.TOKEN
    return body


def sent_after(fs: Harness, before: int) -> list[Any]:
    """Messages sent, replied and patched since the fake had `before` calls."""
    fs.drain()
    return [c for c in fs.fake.called()[before:] if "/im/v1/messages" in c.path]
