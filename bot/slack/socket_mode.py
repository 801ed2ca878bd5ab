"""Serving the Slack app over Socket Mode: Slack's requests arrive on a WebSocket the app
opens itself (no public URL needed); /healthz is still served over HTTP.

Start-up checks both tokens and exits naming the rejected one. Every envelope's payload
passes the HTTP face's shape check before Bolt sees it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot import logs
from bot.runtime import Runtime
from bot.serve import Face
from bot.slack import PLATFORM, parse
from bot.slack.server import (
    BOLT_ANSWERS,
    IGNORED_ANSWER,
    build_slack,
    check_credentials,
    face,
    require,
    startup_call,
    use_threads,
)

log = logging.getLogger(__name__)


@asynccontextmanager
async def started_socket(rt: Runtime) -> AsyncIterator[Face]:
    """The Slack app on its WebSocket; /healthz also says whether that link is up (503
    while it is down: nothing reaches perfbot then, however healthy the database)."""
    app_token = require(rt.settings.slack.app_token, "SLACK_APP_TOKEN", "xapp-")
    slack, _ = build_slack(rt, http=False)
    await check_credentials(slack.client)
    url = await open_connection(slack.client, app_token)
    use_threads()
    handler = CheckedHandler(slack.app, app_token, web_client=slack.client)
    handler.client.wss_uri = url  # the URL just issued: apps.connections.open is rate tier 1
    websocket: SocketModeClient = handler.client  # the Socket Mode link, not the Web API

    async def linked() -> bool:
        return bool(await websocket.is_connected())

    # A task, not awaited here: the SDK retries a failing connection for ever, and a signal
    # must still stop the process meanwhile.
    connecting = asyncio.create_task(handler.connect_async())  # type: ignore[no-untyped-call]
    try:
        yield face(rt, slack, [], socket=linked)
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]
        connecting.cancel()
        await asyncio.gather(connecting, return_exceptions=True)
        await slack.drain()


async def open_connection(client: AsyncWebClient, app_token: str) -> str:
    """apps.connections.open: a WebSocket URL, or a StartupError naming the reason (the SDK
    would log a rejected app token and retry it every few seconds, for ever)."""
    opened = client.apps_connections_open(app_token=app_token)
    resp = await startup_call(client, "SLACK_APP_TOKEN", "apps.connections.open", opened)
    return str(resp["url"])


class CheckedHandler(AsyncSocketModeHandler):
    """Bolt's Socket Mode handler, its web client the app's own (so every reconnection's
    apps.connections.open honours SLACK_API_URL), behind the HTTP face's shape check."""

    # The aiohttp client, as in Bolt's own override (hence the same ignore).
    async def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        with logs.bound(request=req.envelope_id or logs.new_id(), on=PLATFORM):
            await self._handle(client, req)

    async def _handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:
        found = parse.classify_payload(req.payload)
        if isinstance(found, parse.Malformed):
            # Left unacked, as HTTP answers it 400: a listener would take it for a bug.
            log.warning("malformed %s envelope %s: %s", req.type, req.envelope_id, found.problem)
            return
        if isinstance(found, parse.Other) and found.kind not in BOLT_ANSWERS:
            # Acked with nothing to do, as HTTP answers it 200 (Bolt would leave it unacked).
            payload = IGNORED_ANSWER.get(found.kind)
            await client.send_socket_mode_response(
                SocketModeResponse(envelope_id=req.envelope_id, payload=payload)
            )
            return
        await super().handle(client, req)
