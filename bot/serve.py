"""The one serving shell: every platform (and the ingest endpoint) is served by this module.

A platform's transport starts it and yields a `Face`: its own outbox sender, the HTTP
routes it answers, and its health checks. The shell does the rest the same way for all:
the uvicorn server, /healthz and /metrics, SIGINT/SIGTERM, the outbox loop, and the order of a
clean stop (server, then the outbox loop, then the platform's own teardown).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import signal
import socket
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from sqlalchemy import Engine, text
from starlette.applications import Starlette
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot import logs
from bot import strings as bs
from bot.delivery import Deliverer
from bot.metrics import CONTENT_TYPE, Metrics
from bot.outbox_dispatcher import OutboxDispatcher
from bot.policy import dispatch_policy
from bot.runtime import Runtime
from said import Said

log = logging.getLogger(__name__)
HEALTH_PATH = "/healthz"
REQUEST_ID_HEADER = "x-request-id"
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")  # a caller's id is kept only when plain
METRICS_PATH = "/metrics"
OUTBOX_EVERY = 1.0  # seconds between outbox sweeps when it was empty
Check = Callable[[], Awaitable[bool]]


class StartupError(Exception):
    """Missing or rejected credentials, or settings that can't work: don't start."""


@dataclass
class Face:
    """What a started platform hands the shell."""

    app: Any  # the platform's app (SlackApp, TelegramApp), handed to `on_ready`
    deliverer: Deliverer  # its outbox sender, on the live client
    routes: Sequence[BaseRoute] = ()  # what it answers over HTTP, besides /healthz
    checks: Mapping[str, Check] = field(default_factory=dict)  # health besides the database


OnReady = Callable[[uvicorn.Server, Any], None]


async def serve(
    rt: Runtime,
    started: AbstractAsyncContextManager[Face],
    *,
    listen: tuple[str, int] | None = None,
    outbox: bool = True,
    sockets: list[socket.socket] | None = None,
    on_ready: OnReady | None = None,
    stop: asyncio.Event | None = None,
    others: Sequence[Deliverer] = (),
) -> None:
    """Start the platform, serve HTTP on `listen` (None: no server, e.g. Telegram polling)
    with the outbox loop when `outbox`, until SIGINT/SIGTERM (or `stop`); then stop in
    order. `sockets`: already bound listening sockets. `others`: the other configured
    platforms' deliverers (bot/platforms.py), so the outbox loop leaves no row waiting."""
    stop = stop or stop_event()
    port = rt.settings.metrics_port
    # No HTTP server of its own (Telegram polling): /metrics on PERFBOT_METRICS_PORT.
    try:
        stop_metrics = rt.metrics.serve(port) if listen is None and port is not None else None
    except OSError as exc:  # the port is taken, or not ours to bind
        raise StartupError(Said(bs.METRICS_PORT, port=port, error=str(exc))) from None
    async with started as face:
        sweeper = asyncio.create_task(drain_outbox(rt, face.deliverer, others)) if outbox else None
        try:
            if listen is None:
                await stop.wait()
            else:
                app = http_app(
                    face.routes,
                    rt.engine,
                    face.checks,
                    platform=face.deliverer.platform,
                    metrics=rt.metrics,
                )
                server = Server(config(app, *listen, rt.settings.log_level))
                if on_ready:
                    on_ready(server, face.app)
                await until_stopped(server, stop, sockets)
        finally:
            if sweeper is not None:
                sweeper.cancel()
                await asyncio.gather(sweeper, return_exceptions=True)
            if stop_metrics is not None:
                stop_metrics()


async def serve_asgi(
    app: Starlette, host: str, port: int, log_level: str, platform: str | None = None
) -> None:
    """Serve an app of its own (the ingest endpoint) until SIGINT/SIGTERM."""
    app.add_middleware(RequestIds, platform=platform)
    await until_stopped(Server(config(app, host, port, log_level)), stop_event(), None)


async def until_stopped(
    server: uvicorn.Server, stop: asyncio.Event, sockets: list[socket.socket] | None
) -> None:
    """Run the server until it exits or `stop` is set (then it finishes its requests)."""

    async def exit_on_stop() -> None:
        await stop.wait()
        server.should_exit = True

    watcher = asyncio.create_task(exit_on_stop())
    try:
        await server.serve(sockets=sockets)
    finally:
        watcher.cancel()
        await asyncio.gather(watcher, return_exceptions=True)


class TooLarge(Exception):
    """A request body over the limit (or a Content-Length that isn't a number): 413/400."""

    def __init__(self, status: int, problem: str) -> None:
        super().__init__(problem)
        self.status, self.problem = status, problem


def refused(status: int, problem: str) -> JSONResponse:
    """A request refused at a JSON endpoint (Slack, Feishu, ingest): `{"error": problem}`
    with its status, the one shape those endpoints answer a refusal in."""
    return JSONResponse({"error": problem}, status_code=status)


async def capped_body(request: Request, limit: int) -> bytes:
    """The body, refused from its Content-Length before any of it is read, and while it
    streams (a sender may lie or send chunked): nothing over `limit` bytes is kept."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not (declared.isascii() and declared.isdigit() and len(declared) <= 18):
            raise TooLarge(400, "bad Content-Length")
        if int(declared) > limit:
            raise TooLarge(413, f"body over {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(413, f"body over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


class RequestIds:
    """ASGI middleware at the serving edge: each HTTP request gets an id (the caller's
    X-Request-Id when it is a plain token, else a new one), answered in X-Request-Id and
    carried by every log line written while serving it, threads and tasks included."""

    def __init__(self, app: ASGIApp, platform: str | None = None) -> None:
        self.app, self.platform = app, platform

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = Headers(scope=scope).get(REQUEST_ID_HEADER, "")
        rid = given if REQUEST_ID.fullmatch(given) else logs.new_id()

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = rid
            await send(message)

        with logs.bound(request=rid, on=self.platform):
            await self.app(scope, receive, send_with_id)


def http_app(
    routes: Sequence[BaseRoute],
    engine: Engine | None,
    checks: Mapping[str, Check] | None = None,
    lifespan: Any = None,
    platform: str | None = None,
    *,
    metrics: Metrics | None = None,
) -> Starlette:
    """The platform's routes, GET /healthz: the database and the platform's own checks
    (200 when all pass, else 503), for load balancers; GET /metrics for Prometheus; every
    request with its id."""
    more = dict(checks or {})

    async def health(request: Request) -> Response:
        found = {"db": engine is None or await asyncio.to_thread(db_ok, engine)}
        for name, check in more.items():
            found[name] = bool(await check())
        ok = all(found.values())
        return JSONResponse({"ok": ok, **found}, status_code=200 if ok else 503)

    extra = [metrics_route(metrics)] if metrics is not None else []
    return Starlette(
        routes=[*routes, Route(HEALTH_PATH, health, methods=["GET"]), *extra],
        lifespan=lifespan,
        middleware=[Middleware(RequestIds, platform=platform)],
    )


def metrics_route(metrics: Metrics) -> Route:
    """GET /metrics: this process's metrics in Prometheus' text format (the health
    readings behind some of them query the database, off the event loop)."""

    async def scrape(request: Request) -> Response:
        body = await asyncio.to_thread(metrics.exposition)
        return Response(body, media_type=CONTENT_TYPE)

    return Route(METRICS_PATH, scrape, methods=["GET"])


async def drain_outbox(rt: Runtime, own: Deliverer, others: Sequence[Deliverer] = ()) -> None:
    """Deliver queued notices until cancelled: through this process's own platform client,
    and through `others` too (the other configured platforms; one of `own`'s platform is
    left out), so no row waits for a platform this process doesn't run."""
    rest = [d for d in others if d.platform != own.platform]
    policy = dispatch_policy(rt.settings)
    dispatcher = OutboxDispatcher(rt.uow, [own, *rest], policy, metrics=rt.metrics)
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
        log_config=None,  # its records go to perfbot's handler (bot/logs.py): JSON when asked
        access_log=False,  # one line per request costs more than the request at load
        lifespan="off",
        timeout_keep_alive=30,
        backlog=4096,
    )


class Server(uvicorn.Server):
    """uvicorn without its own signal handling (it re-raises SIGTERM after shutting down,
    killing the process before background work ends); stop_event does it instead."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def stop_event() -> asyncio.Event:
    """An event SIGINT and SIGTERM set (on the main thread of a Unix process)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        # Not on Windows, and not outside the main thread (tests run servers in threads).
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, stop.set)
    return stop


def db_ok(engine: Engine) -> bool:
    """Whether the database answers a trivial query (logged when it does not)."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:
        log.exception("health check: database unreachable")
        return False
