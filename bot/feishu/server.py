"""Feishu's transports, served by the one serving shell (bot/serve.py: uvicorn, /healthz,
signals, the outbox loop): event subscription over HTTP at POST /feishu/events (events and
card callbacks may share the URL), or the SDK's long connection (ws.py; no public URL).

The HTTP path decrypts and checks the signature, its timestamp and the verification token
(envelope.py) before anything acts (401, nothing changes); the URL verification challenge
is answered there too. Start-up fetches a tenant_access_token: wrong credentials stop it
with one line.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any, Literal, Protocol

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.config import FeishuSettings
from bot.delivery import Deliverer
from bot.feishu import strings as fs
from bot.feishu.api import ConfigError, FeishuApi, FeishuError
from bot.feishu.app import FeishuApp
from bot.feishu.deliver import FeishuDeliverer
from bot.feishu.envelope import URL_VERIFICATION, Keys, Refused, open_request
from bot.runtime import Runtime
from bot.serve import Face, OnReady, StartupError, TooLarge, capped_body, refused, serve
from said import Said

log = logging.getLogger(__name__)
EVENTS_PATH = "/feishu/events"
MAX_BODY = 1 << 20  # an event is a few KB; refuse anything absurd before reading it
Transport = Literal["http", "ws"]


class Handles(Protocol):
    """What the route needs: FeishuApp, or a bare handler in the benchmark."""

    async def handle(self, body: Any) -> dict[str, Any]: ...


def keys(settings: FeishuSettings) -> Keys:
    """The Verification Token (required) and Encrypt Key (recommended) HTTP needs."""
    token = settings.verification_token.get_secret_value() if settings.verification_token else ""
    key = settings.encrypt_key.get_secret_value() if settings.encrypt_key else ""
    if not token.strip():
        raise StartupError(Said(fs.NO_VERIFICATION_TOKEN))
    if not key.strip():
        log.warning(
            "FEISHU_ENCRYPT_KEY is not set: events arrive unsigned, vouched for by the"
            " verification token alone; set an Encrypt Key in the console"
        )
    return Keys(token.strip(), key.strip())


def events_route(app: Handles, keys: Keys, wall: Callable[[], float] = time.time) -> Route:
    """POST /feishu/events: opened and checked, then the app; `wall` is Unix time (the
    signature's timestamp is Feishu's real clock, not perfbot's shifted one)."""

    async def events(request: Request) -> Response:
        try:
            raw = await capped_body(request, MAX_BODY)
        except TooLarge as exc:
            return refused(exc.status, exc.problem)
        try:
            body = open_request(raw, request.headers, keys, wall())
        except Refused as exc:
            return refused(exc.status, exc.problem)
        if body.get("type") == URL_VERIFICATION:
            return JSONResponse({"challenge": str(body.get("challenge") or "")})
        return JSONResponse(await app.handle(body))

    return Route(EVENTS_PATH, events, methods=["POST"])


def build_app(rt: Runtime) -> FeishuApp:
    """The FeishuApp on the runtime's dispatcher, units of work and clock."""
    try:
        api = FeishuApi(rt.settings.feishu)
    except ConfigError as exc:
        raise StartupError(*exc.args) from None  # its Said
    return FeishuApp(api, dispatcher=rt.dispatcher, uow=rt.uow, clock=rt.clock)


async def check_credentials(app: FeishuApp) -> None:
    """A tenant_access_token and the bot's own open_id, or one line saying why not."""
    try:
        await app.initialize()
    except FeishuError as exc:
        if exc.status == 0:
            why = Said(fs.API_UNREACHABLE, base=app.api.base_url, msg=exc.msg)
            raise StartupError(why) from None
        raise StartupError(Said(fs.CREDENTIALS_REFUSED, code=exc.code, msg=exc.msg)) from None


@asynccontextmanager
async def started(rt: Runtime, transport: Transport = "http") -> AsyncIterator[Face]:
    """The Feishu app, its credentials checked, on HTTP routes or the long connection; on
    the way out, the work after the acknowledgements finishes."""
    routes: list[Route] = []
    secrets = keys(rt.settings.feishu) if transport == "http" else None
    app = build_app(rt)
    await check_credentials(app)
    stop: Callable[[], None] | None = None
    if secrets is not None:
        routes.append(events_route(app, secrets))
    else:
        from bot.feishu.ws import connect

        stop = connect(app, rt.settings.feishu, asyncio.get_running_loop())
    log.info("perfbot: Feishu app %s over %s", app.api.app_id, transport)
    try:
        yield Face(app, FeishuDeliverer(app.api, rt.uow), routes)
    finally:
        if stop is not None:
            stop()
        await app.drain()
        await app.api.close()


async def serve_feishu(
    rt: Runtime,
    transport: Transport,
    host: str,
    port: int,
    *,
    outbox: bool = True,
    on_ready: OnReady | None = None,
    stop: asyncio.Event | None = None,
    others: Sequence[Deliverer] = (),
) -> None:
    """Serve until SIGINT/SIGTERM (or `stop`): HTTP on host:port, or the long connection
    (no listening port). `outbox`: also deliver queued notices (`others`: other platforms')."""
    listen = (host, port) if transport == "http" else None
    await serve(
        rt, started(rt, transport), listen=listen, outbox=outbox, on_ready=on_ready,
        stop=stop, others=others,
    )  # fmt: skip
