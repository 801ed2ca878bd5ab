"""Telegram's transport: long polling, or a webhook route of our own (the secret token is
compared in constant time; only Telegram's exact `application/json` is accepted), served
by the one serving shell (bot/serve.py: uvicorn, /healthz, signals, the outbox loop)."""

from __future__ import annotations

import asyncio
import hmac
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlsplit

import orjson
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application

from bot import strings as bs
from bot.delivery import Deliverer
from bot.runtime import Runtime
from bot.serve import Face, StartupError, TooLarge, capped_body, serve
from bot.telegram import strings
from bot.telegram.app import TelegramApp
from bot.telegram.build import ConfigError, build_application
from bot.telegram.deliver import TelegramDeliverer
from bot.telegram.send import patiently
from said import Said

log = logging.getLogger(__name__)
ALLOWED_UPDATES = ["message", "callback_query"]
MAX_BODY = 1 << 20  # an update is a few KB; refuse anything absurd before reading it
SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what setWebhook accepts as secret_token
Submit = Callable[[dict[str, Any]], Awaitable[None]]
PtbApp = Application[Any, Any, Any, Any, Any, Any]


def telegram_app(
    rt: Runtime, application: Application[Any, Any, Any, Any, Any, Any]
) -> TelegramApp:
    """The TelegramApp on the runtime's dispatcher, units of work and clock."""
    return TelegramApp(
        application,
        dispatcher=rt.dispatcher,
        uow=rt.uow,
        clock=rt.clock,
        start_links=rt.start_links,
    )


def webhook_route(path: str, secret: str, submit: Submit) -> Route:
    """POST `path` takes Telegram's updates."""
    key = secret.encode()

    async def hook(request: Request) -> Response:
        given = request.headers.get("x-telegram-bot-api-secret-token", "").encode()
        if not hmac.compare_digest(given, key):
            return PlainTextResponse("forbidden", status_code=403)
        if request.headers.get("content-type") != "application/json":
            return PlainTextResponse("expected application/json", status_code=415)
        try:
            body = await capped_body(request, MAX_BODY)
        except TooLarge as exc:
            return PlainTextResponse(exc.problem, status_code=exc.status)
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError:  # also orjson's refusal of deep nesting
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return PlainTextResponse("not a Telegram update", status_code=400)
        try:
            await submit(data)
        except Exception:  # PTB couldn't decode it: not an update Telegram would send
            log.warning("refused an undecodable update %s", data.get("update_id"), exc_info=True)
            return PlainTextResponse("not a Telegram update", status_code=400)
        return Response(status_code=200)

    return Route(path, hook, methods=["POST"])


def webhook_path(url: str) -> str:
    """The path Telegram will POST to (the server listens there)."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise StartupError(Said(bs.TELEGRAM_WEBHOOK_URL, url=url))
    return parts.path or "/"


@asynccontextmanager
async def started(rt: Runtime, webhook: tuple[str, str] | None = None) -> AsyncIterator[Face]:
    """Build, check the token (getMe), start processing: by polling, or (`webhook`: URL and
    secret) registered with setWebhook; stop cleanly on the way out."""
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its request log shows the token
    try:
        tg = telegram_app(rt, build_application(rt.settings.telegram, polling=webhook is None))
        await tg.initialize()
    except ConfigError as exc:
        raise StartupError(*exc.args) from None  # its Said
    except InvalidToken:
        raise StartupError(Said(strings.TOKEN_REJECTED)) from None
    except TelegramError as exc:
        raise StartupError(Said(strings.UNREACHABLE, error=str(exc))) from None
    app = tg.application
    try:
        await app.start()
        if webhook is None:
            routes = []
            assert app.updater is not None
            await app.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
            log.info("perfbot: Telegram @%s polling", tg.me.username)
        else:
            routes = [await _registered(tg, *webhook)]
        yield Face(tg, TelegramDeliverer(tg.bot), routes)
    finally:
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()


async def _registered(tg: TelegramApp, url: str, secret: str) -> Route:
    """setWebhook with the secret; the route Telegram will POST updates to."""
    app, path = tg.application, webhook_path(url)

    async def submit(data: dict[str, Any]) -> None:
        await app.update_queue.put(Update.de_json(data, app.bot))

    try:
        await patiently(
            lambda: app.bot.set_webhook(url, secret_token=secret, allowed_updates=ALLOWED_UPDATES)
        )
    except TelegramError as exc:  # e.g. registered by hand behind a proxy: serve anyway
        log.error("setWebhook failed (%s); serving %s anyway", exc, path)
    log.info("perfbot: Telegram @%s webhook at %s", tg.me.username, path)
    return webhook_route(path, secret, submit)


async def serve_polling(
    rt: Runtime,
    *,
    outbox: bool = True,
    stop: asyncio.Event | None = None,
    others: Sequence[Deliverer] = (),
) -> None:
    """Long polling (getUpdates; any webhook is removed first) until SIGINT/SIGTERM.
    `outbox`: also deliver queued notices (with `others` for other platforms' rows)."""
    await serve(rt, started(rt), outbox=outbox, stop=stop, others=others)


async def serve_webhook(
    rt: Runtime,
    url: str,
    host: str,
    port: int,
    *,
    outbox: bool = True,
    stop: asyncio.Event | None = None,
    others: Sequence[Deliverer] = (),
) -> None:
    """Register `url` with setWebhook and serve it until SIGINT/SIGTERM (or `stop`)."""
    secret = rt.settings.telegram.webhook_secret
    secret_text = secret.get_secret_value() if secret else ""
    if not SECRET.fullmatch(secret_text):
        raise StartupError(Said(bs.TELEGRAM_WEBHOOK_SECRET))
    webhook_path(url)  # a bad URL: say so before anything starts
    started_hook = started(rt, (url, secret_text))
    await serve(rt, started_hook, listen=(host, port), outbox=outbox, stop=stop, others=others)
