"""The SDK's long connection (`lark.ws.Client`): events and card callbacks arrive over a
WebSocket the app opens, so no public URL is needed (as many intranets require).

The SDK authenticates the connection with the app's id and secret and hands each event to
an EventDispatcherHandler; the one built here passes the event's JSON to FeishuApp.handle,
the same handler HTTP uses, on the server's own event loop. The client runs its own loop
(it keeps one per module) on a thread of its own. An event with no handler here (one the
console subscribes that perfbot doesn't use) is acknowledged, not failed: the SDK would
answer its frame 500, and Feishu push it again four times.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import Callable
from typing import Any

import lark_oapi as lark
from lark_oapi.core.exception import EventException, UnmarshalException
from lark_oapi.event.callback.model.p2_card_action_trigger import (
    P2CardActionTrigger,
    P2CardActionTriggerResponse,
)
from lark_oapi.event.custom import CustomizedEvent

from bot.config import FeishuSettings
from bot.feishu import parse
from bot.feishu.app import ACK_BUDGET, FeishuApp

log = logging.getLogger(__name__)


def event_handler(app: FeishuApp, loop: asyncio.AbstractEventLoop) -> Any:
    """The SDK dispatcher the long connection hands events to: messages and card actions
    go to `app.handle` on `loop` (a card's answer is waited for: it is the response)."""

    def on_message(data: CustomizedEvent) -> None:
        asyncio.run_coroutine_threadsafe(app.handle(_as_json(data)), loop)

    def on_card(data: P2CardActionTrigger) -> P2CardActionTriggerResponse:
        done = asyncio.run_coroutine_threadsafe(app.handle(_as_json(data)), loop)
        try:
            answer = done.result(timeout=ACK_BUDGET + 0.4)
        except Exception:  # late or failed: the card stays; the log has why
            log.exception("feishu card callback over the long connection failed")
            answer = {}
        return P2CardActionTriggerResponse(answer)

    return Acknowledging(
        lark.EventDispatcherHandler.builder("", "")
        .register_p2_customized_event(parse.MESSAGE_EVENT, on_message)
        .register_p2_card_action_trigger(on_card)
        .build()
    )


class Acknowledging:
    """The SDK's dispatcher, an event it has no processor for (or can't read into its
    model: a card's `value` as a string, which the doc allows) answered with nothing, a
    success, instead of an error; the client calls `_do_without_validation` per frame."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def _do_without_validation(self, payload: bytes) -> Any:
        try:
            return self.inner._do_without_validation(payload)
        except EventException as exc:  # "processor not found": not an event perfbot uses
            log.info("feishu event ignored over the long connection: %s", exc.msg)
        except UnmarshalException as exc:  # not one of perfbot's cards (they send objects)
            log.warning("feishu event the SDK can't read, ignored: %s", exc)
        return None


def connect(
    app: FeishuApp, settings: FeishuSettings, loop: asyncio.AbstractEventLoop
) -> Callable[[], None]:
    """Open the long connection on a thread of its own; returns what stops it."""
    import lark_oapi.ws.client as ws_module

    secret = settings.app_secret.get_secret_value() if settings.app_secret else ""
    own = asyncio.new_event_loop()
    client = lark.ws.Client(
        str(settings.app_id),
        secret,
        event_handler=event_handler(app, loop),
        domain=settings.base_url(),
        log_level=lark.LogLevel.WARNING,
    )

    def run() -> None:
        # The SDK keeps its loop in a module global, taken at import (possibly the
        # server's own running loop): it gets a loop of its own on this thread.
        ws_module.loop = own
        asyncio.set_event_loop(own)
        try:
            client.start()
        except Exception:  # stopped, or the connection failed for good
            log.info("feishu long connection ended", exc_info=True)

    thread = threading.Thread(target=run, name="feishu-ws", daemon=True)
    thread.start()

    def stop() -> None:
        own.call_soon_threadsafe(own.stop)
        thread.join(timeout=5)

    return stop


def _as_json(data: Any) -> dict[str, Any]:
    """The SDK's event object back to the event's JSON (what HTTP delivers)."""
    result: dict[str, Any] = json.loads(lark.JSON.marshal(data) or "{}")
    return result
