"""Slack's HTTP transport: POST /slack/events, served by the one serving shell
(bot/serve.py: uvicorn, /healthz, signals, the outbox loop); Socket Mode is socket_mode.py.

The request path checks the signature before anything reads the body (401, nothing
changes), then the payload's shape (400, never a 500), and only then hands it to Bolt.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import os
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any, Protocol

from slack_bolt.async_app import AsyncApp, AsyncBoltRequest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse
from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot import strings as bs
from bot.delivery import Deliverer
from bot.metrics import Metrics
from bot.runtime import Runtime
from bot.serve import Face, OnReady, StartupError, TooLarge, capped_body, http_app, refused, serve
from bot.slack import PLATFORM, parse
from bot.slack.app import SlackApp
from bot.slack.client import make_client
from bot.slack.deliver import SlackDeliverer
from said import Said
from store.uow import KeptConnection

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
MAX_AGE = 300  # seconds: Slack's replay window
MAX_BODY = 1_000_000  # Slack's payloads are a few KB; anything near this is not Slack
BOLT_ANSWERS = {"url_verification", "ssl_check"}  # Bolt's own middleware answers these
IGNORED_ANSWER: dict[str, dict[str, Any]] = {
    "block_suggestion": {"options": []}
}  # the body an ignored kind expects
WORKER_THREADS = int(os.environ.get("PERFBOT_SLACK_THREADS", "4"))  # see bench/slack_load.py


class HasBolt(Protocol):
    """What the HTTP face needs: the Bolt app (SlackApp, or a bare app in benchmarks)."""

    app: AsyncApp


def require(value: Any, name: str, prefix: str = "") -> str:
    """A configured secret, or a StartupError naming the variable to set."""
    secret = value.get_secret_value() if value is not None else ""
    if not secret:
        raise StartupError(Said(bs.SLACK_UNSET, name=name))
    if prefix and not secret.startswith(prefix):
        raise StartupError(Said(bs.SLACK_PREFIX, name=name, prefix=prefix))
    return secret


async def check_credentials(client: AsyncWebClient) -> dict[str, Any]:
    """auth.test: fail fast with a clear reason on a wrong token or an unreachable API."""
    resp = await startup_call(client, "SLACK_BOT_TOKEN", "auth.test", client.auth_test())
    return dict(resp.data) if isinstance(resp.data, dict) else {}


async def startup_call(
    client: AsyncWebClient, token: str, method: str, call: Awaitable[AsyncSlackResponse]
) -> AsyncSlackResponse:
    """A Web API call made at start-up; a StartupError naming the rejected `token` or the
    unreachable API."""
    try:
        return await call
    except SlackApiError as exc:
        error = exc.response.get("error")
        raise StartupError(
            Said(bs.SLACK_REJECTED, token=token, method=method, error=error)
        ) from None
    except Exception as exc:
        said = Said(bs.SLACK_UNREACHABLE, url=client.base_url, error=str(exc))
        raise StartupError(said) from None


def events_route(slack: HasBolt, signing_secret: str) -> Route:
    """POST /slack/events: the signature, then the payload's shape, then Bolt."""
    key = signing_secret.encode()

    async def events(request: Request) -> Response:
        try:
            body = await capped_body(request, MAX_BODY)
        except TooLarge as exc:
            return refused(exc.status, exc.problem)
        if not signed(key, body, request.headers):
            return refused(401, "invalid or stale signature")
        found = parse.classify(body, request.headers.get("content-type", ""))
        if isinstance(found, parse.Malformed):
            return refused(400, found.problem)
        if isinstance(found, parse.Other) and found.kind not in BOLT_ANSWERS:
            # Nothing to do, said with a 200: a 404 would make Slack retry and count failures.
            return JSONResponse(IGNORED_ANSWER.get(found.kind, {}))
        bolt = await slack.app.async_dispatch(
            AsyncBoltRequest(
                body=body.decode("utf-8"),
                query=dict(request.query_params),
                headers=dict(request.headers),
            )
        )
        return Response(
            content=bolt.body,
            status_code=bolt.status,
            headers=bolt.first_headers_without_set_cookie(),
        )

    return Route(EVENTS_PATH, events, methods=["POST"])


def asgi(
    slack: HasBolt,
    signing_secret: str,
    engine: Engine | None,
    lifespan: Any = None,
    metrics: Metrics | None = None,
) -> Starlette:
    """The HTTP face: POST /slack/events for Slack, GET /healthz for load balancers, GET
    /metrics for Prometheus."""
    routes = [events_route(slack, signing_secret)]
    return http_app(routes, engine, lifespan=lifespan, platform=PLATFORM, metrics=metrics)


def build_slack(
    rt: Runtime, client: AsyncWebClient | None = None, *, http: bool = True
) -> tuple[SlackApp, str]:
    """The SlackApp from the runtime's settings; (app, signing secret).

    `http=False` for Socket Mode: nothing arrives over HTTP, so no signing secret is
    asked for ("" is returned).
    """
    s = rt.settings.slack
    token = require(s.bot_token, "SLACK_BOT_TOKEN", "xox")
    secret = require(s.signing_secret, "SLACK_SIGNING_SECRET") if http else ""
    client = client or make_client(token, s.api_url)
    app = SlackApp(
        dispatcher=rt.dispatcher,
        uow=rt.uow,
        clock=rt.clock,
        client=client,
        signing_secret=secret,
        # SQLite is read in the process, with no network round trip to wait for: its
        # quick reads are answered on the event loop (SlackApp).
        reads_on=KeptConnection(rt.engine) if rt.engine.dialect.name == "sqlite" else None,
    )
    return app, secret


async def serve_slack(
    rt: Runtime,
    host: str,
    port: int,
    *,
    socket_mode: bool = False,
    outbox: bool = True,
    sockets: list[socket.socket] | None = None,
    on_ready: OnReady | None = None,
    others: Sequence[Deliverer] = (),
) -> None:
    """Check credentials (both tokens for `socket_mode`), then serve until stopped
    (SIGINT/SIGTERM end it gracefully, even while Socket Mode is still (re)connecting).
    `outbox`: also deliver queued notices (with `others` for other platforms' rows).
    `sockets`: already bound listening sockets (for /slack/events and /healthz, or
    /healthz alone in Socket Mode)."""
    if socket_mode:
        from bot.slack.socket_mode import started_socket  # it builds on this module

        started = started_socket(rt)
    else:
        started = started_http(rt)
    await serve(
        rt,
        started,
        listen=(host, port),
        outbox=outbox,
        sockets=sockets,
        on_ready=on_ready,
        others=others,
    )


@asynccontextmanager
async def started_http(rt: Runtime) -> AsyncIterator[Face]:
    """The Slack app over HTTP, its credentials checked; on the way out, let the app's
    work after the ack finish."""
    slack, secret = build_slack(rt)
    await check_credentials(slack.client)
    use_threads()
    try:
        yield face(rt, slack, [events_route(slack, secret)])
    finally:
        await slack.drain()


def face(rt: Runtime, slack: SlackApp, routes: list[Route], **checks: Any) -> Face:
    """What the serving shell needs of a running Slack app."""
    return Face(slack, SlackDeliverer(slack.client, rt.uow), routes, checks)


def use_threads() -> None:
    asyncio.get_running_loop().set_default_executor(
        ThreadPoolExecutor(WORKER_THREADS, thread_name_prefix="perfbot")
    )


def signed(secret: bytes, body: bytes, headers: Any, now: float | None = None) -> bool:
    """Slack's v0 signature over the exact bytes received, at most five minutes old.
    (slack_sdk's verifier decodes the body first and so can't judge non-UTF-8 bytes.)"""
    stamp, given = headers.get("x-slack-request-timestamp"), headers.get("x-slack-signature")
    # ASCII digits only, and few ("²".isdigit() holds; int() of 4,301 digits raises).
    if not stamp or not given or not (stamp.isascii() and stamp.isdigit() and len(stamp) < 16):
        return False
    if abs((time.time() if now is None else now) - int(stamp)) > MAX_AGE:
        return False
    base = b"v0:" + stamp.encode() + b":" + body
    expected = "v0=" + hmac.new(secret, base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), given.encode("utf-8", "replace"))
