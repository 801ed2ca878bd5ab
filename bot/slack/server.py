"""Serving the Slack app over HTTP: an ASGI app on uvicorn, plus a health check (Socket
Mode, in socket_mode.py, serves that health check too).

The request path checks the signature before anything reads the body (401, nothing
changes), then the payload's shape (400, never a 500), and only then hands it to Bolt.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import os
import signal
import socket
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

import uvicorn
from slack_bolt.async_app import AsyncApp, AsyncBoltRequest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import Engine, text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.bootstrap import Runtime
from bot.outbox_dispatcher import OutboxDispatcher
from bot.platforms import build_deliverers
from bot.policy import dispatch_policy
from bot.slack import parse
from bot.slack.app import SlackApp
from bot.slack.client import make_client
from bot.slack.deliver import SlackDeliverer
from store.uow import KeptConnection

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_AGE = 300  # seconds: Slack's replay window
MAX_BODY = 1_000_000  # Slack's payloads are a few KB; anything near this is not Slack
OUTBOX_EVERY = 1.0  # seconds between outbox sweeps when it was empty
WORKER_THREADS = int(os.environ.get("PERFBOT_SLACK_THREADS", "4"))  # see bench/slack_load.py


class HasBolt(Protocol):
    """What the HTTP face needs: the Bolt app (SlackApp, or a bare app in benchmarks)."""

    app: AsyncApp


class StartupError(Exception):
    """Missing or rejected credentials: the server must not start."""


def require(value: Any, name: str, prefix: str = "") -> str:
    """A configured secret, or a StartupError naming the variable to set."""
    secret = value.get_secret_value() if value is not None else ""
    if not secret:
        raise StartupError(f"{name} is not set: see the README's Slack section")
    if prefix and not secret.startswith(prefix):
        raise StartupError(f"{name} should start with {prefix!r}: is it the right token?")
    return secret


async def check_credentials(client: AsyncWebClient) -> dict[str, Any]:
    """auth.test: fail fast with a clear reason on a wrong token or an unreachable API."""
    try:
        resp = await client.auth_test()
    except SlackApiError as exc:
        raise StartupError(
            f"Slack rejected SLACK_BOT_TOKEN (auth.test: {exc.response.get('error')})"
        ) from None
    except Exception as exc:
        raise StartupError(f"cannot reach the Slack API at {client.base_url}: {exc}") from None
    return dict(resp.data) if isinstance(resp.data, dict) else {}


def asgi(
    slack: HasBolt, signing_secret: str, engine: Engine | None, lifespan: Any = None
) -> Starlette:
    """The HTTP face: POST /slack/events for Slack, GET /healthz for load balancers."""
    key = signing_secret.encode()

    async def events(request: Request) -> Response:
        body = await request.body()
        if len(body) > MAX_BODY:
            return JSONResponse({"error": "payload too large"}, status_code=413)
        if not signed(key, body, request.headers):
            return JSONResponse({"error": "invalid or stale signature"}, status_code=401)
        found = parse.classify(body, request.headers.get("content-type", ""))
        if isinstance(found, parse.Malformed):
            return JSONResponse({"error": found.problem}, status_code=400)
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

    async def health(request: Request) -> Response:
        ok = engine is None or await asyncio.to_thread(db_ok, engine)
        return JSONResponse({"ok": ok, "db": ok}, status_code=200 if ok else 503)

    return Starlette(
        routes=[
            Route(EVENTS_PATH, events, methods=["POST"]),
            Route(HEALTH_PATH, health, methods=["GET"]),
        ],
        lifespan=lifespan,
    )


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


async def serve_http(
    rt: Runtime,
    host: str,
    port: int,
    *,
    outbox: bool = True,
    sockets: list[socket.socket] | None = None,
    on_ready: Callable[[uvicorn.Server, SlackApp], None] | None = None,
) -> None:
    """Check credentials, then serve until stopped (SIGINT/SIGTERM end it gracefully).
    `outbox`: also deliver queued notices. `sockets`: already bound listening sockets."""
    slack, secret = build_slack(rt)
    await check_credentials(slack.client)
    use_threads()
    server = Server(config(asgi(slack, secret, rt.engine), host, port, rt.settings.log_level))
    stop_on_signals(server)
    await serve_until_stopped(rt, server, slack, outbox=outbox, sockets=sockets, on_ready=on_ready)


async def serve_until_stopped(
    rt: Runtime,
    server: uvicorn.Server,
    slack: SlackApp,
    *,
    outbox: bool,
    sockets: list[socket.socket] | None,
    on_ready: Callable[[uvicorn.Server, SlackApp], None] | None,
    tasks: Sequence[asyncio.Task[Any]] = (),
    on_stop: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """Serve until stopped, with the outbox sweep when asked; then `on_stop`, cancel the
    sweep and `tasks`, and let the app's work after the ack finish."""
    sweeper = asyncio.create_task(drain_outbox(rt, slack)) if outbox else None
    if on_ready:
        on_ready(server, slack)
    try:
        await server.serve(sockets=sockets)
    finally:
        if on_stop is not None:
            await on_stop()
        running = [*tasks, *([sweeper] if sweeper is not None else [])]
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        await slack.drain()


async def drain_outbox(rt: Runtime, slack: SlackApp) -> None:
    """Deliver queued notices until cancelled: through Slack, and through every other
    configured platform too, so no row waits for a platform this process doesn't run."""
    others = [d for d in build_deliverers(rt.settings, rt.uow) if d.platform != "slack"]
    deliverers = [SlackDeliverer(slack.client, rt.uow), *others]
    dispatcher = OutboxDispatcher(rt.uow, deliverers, dispatch_policy(rt.settings))
    while True:
        try:
            stats = await dispatcher.run_once(budget=30.0)
        except Exception:  # a database hiccup must not stop notices for good
            log.exception("outbox sweep failed")
            stats = None
        if stats is None or not stats.claimed:
            await asyncio.sleep(OUTBOX_EVERY)


def run(coro: Any) -> None:
    """Run the server on uvloop when installed (it is, with uvicorn[standard])."""
    try:
        import uvloop

        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            runner.run(coro)
    except ImportError:  # pragma: no cover - uvloop is a dependency
        asyncio.run(coro)


def config(app: Starlette, host: str, port: int, log_level: str) -> uvicorn.Config:
    """uvicorn as perfbot runs it (uvloop and httptools come with uvicorn[standard])."""
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level.lower(),
        access_log=False,  # one line per request costs more than the request at load
        lifespan="off",
        timeout_keep_alive=30,
        backlog=4096,
    )


class Server(uvicorn.Server):
    """uvicorn without its own signal handling (it re-raises SIGTERM after shutting down,
    killing the process before background work ends); stop_on_signals does it instead."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def stop_on_signals(server: uvicorn.Server) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        # Not on Windows, and not outside the main thread (tests run servers in threads).
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, lambda: setattr(server, "should_exit", True))


def use_threads() -> None:
    asyncio.get_running_loop().set_default_executor(
        ThreadPoolExecutor(WORKER_THREADS, thread_name_prefix="perfbot")
    )


def signed(secret: bytes, body: bytes, headers: Any, now: float | None = None) -> bool:
    """Slack's v0 signature over the exact bytes received, at most five minutes old.
    (slack_sdk's verifier decodes the body first and so can't judge non-UTF-8 bytes.)"""
    stamp, given = headers.get("x-slack-request-timestamp"), headers.get("x-slack-signature")
    if not stamp or not given or not stamp.isdigit():
        return False
    if abs((time.time() if now is None else now) - int(stamp)) > MAX_AGE:
        return False
    base = b"v0:" + stamp.encode() + b":" + body
    expected = "v0=" + hmac.new(secret, base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), given.encode("utf-8", "replace"))


def db_ok(engine: Engine) -> bool:
    """Whether the database answers a trivial query (logged when it does not)."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:
        log.exception("health check: database unreachable")
        return False
