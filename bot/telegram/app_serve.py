"""Run the Telegram app: long polling, or a webhook server of our own (the secret token is
compared in constant time; only Telegram's exact `application/json` is accepted)."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import re
import signal
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import orjson
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.error import InvalidToken, TelegramError

from bot.bootstrap import Runtime
from bot.outbox_dispatcher import OutboxDispatcher
from bot.platforms import build_deliverers
from bot.policy import dispatch_policy
from bot.telegram.app import TelegramApp
from bot.telegram.app_build import ConfigError, build_application
from bot.telegram.app_delivery import TelegramDeliverer
from bot.telegram.app_send import patiently

log = logging.getLogger(__name__)
ALLOWED_UPDATES = ["message", "callback_query"]
MAX_BODY = 1 << 20  # an update is a few KB; refuse anything absurd before reading it
SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what setWebhook accepts as secret_token
OUTBOX_EVERY = 1.0  # seconds between outbox sweeps when it was empty


class StartupError(Exception):
    """The bot can't start: bad token, missing secret, unusable URL."""


def webhook_app(
    path: str, secret: str, submit: Callable[[dict[str, Any]], Awaitable[None]]
) -> Starlette:
    """POST `path` takes Telegram's updates; GET /healthz answers `ok`."""
    key = secret.encode()

    async def hook(request: Request) -> Response:
        given = request.headers.get("x-telegram-bot-api-secret-token", "").encode()
        if not hmac.compare_digest(given, key):
            return PlainTextResponse("forbidden", status_code=403)
        if request.headers.get("content-type") != "application/json":
            return PlainTextResponse("expected application/json", status_code=415)
        if int(request.headers.get("content-length") or 0) > MAX_BODY:
            return PlainTextResponse("too large", status_code=413)
        body = await request.body()
        try:
            data = orjson.loads(body) if len(body) <= MAX_BODY else None
        except orjson.JSONDecodeError:
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return PlainTextResponse("not a Telegram update", status_code=400)
        try:
            await submit(data)
        except Exception:  # PTB couldn't decode it: not an update Telegram would send
            log.warning("refused an undecodable update %s", data.get("update_id"), exc_info=True)
            return PlainTextResponse("not a Telegram update", status_code=400)
        return Response(status_code=200)

    async def health(request: Request) -> Response:
        return PlainTextResponse("ok")

    return Starlette(routes=[Route(path, hook, methods=["POST"]), Route("/healthz", health)])


def webhook_path(url: str) -> str:
    """The path Telegram will POST to (the server listens there)."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise StartupError(
            f"--webhook needs a full URL like https://bot.example.com/telegram, not {url!r}"
        )
    return parts.path or "/"


@contextlib.asynccontextmanager
async def running(rt: Runtime, *, polling: bool, outbox: bool) -> AsyncIterator[TelegramApp]:
    """Build, check the token (getMe), start processing; stop cleanly on the way out."""
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its request log shows the token
    try:
        tg = TelegramApp(rt, build_application(rt.settings.telegram, polling=polling))
        await tg.initialize()
    except ConfigError as exc:
        raise StartupError(str(exc)) from None
    except InvalidToken:
        raise StartupError(
            "Telegram rejected TELEGRAM_BOT_TOKEN (getMe failed): check it with @BotFather"
        ) from None
    except TelegramError as exc:
        raise StartupError(f"can't reach the Telegram Bot API: {exc}") from None
    app = tg.application
    sweeper = asyncio.create_task(_drain_outbox(rt, tg)) if outbox else None
    try:
        await app.start()
        yield tg
    finally:
        if sweeper is not None:
            sweeper.cancel()
            await asyncio.gather(sweeper, return_exceptions=True)
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()


async def serve_polling(
    rt: Runtime, *, outbox: bool = True, stop: asyncio.Event | None = None
) -> None:
    """Long polling (getUpdates; any webhook is removed first) until SIGINT/SIGTERM."""
    stop = stop or _stop_on_signals()
    async with running(rt, polling=True, outbox=outbox) as tg:
        updater = tg.application.updater
        assert updater is not None
        await updater.start_polling(allowed_updates=ALLOWED_UPDATES)
        log.info("perfbot: Telegram @%s polling", tg.me.username)
        await stop.wait()


async def serve_webhook(
    rt: Runtime,
    url: str,
    host: str,
    port: int,
    *,
    outbox: bool = True,
    stop: asyncio.Event | None = None,
) -> None:
    """Register `url` with setWebhook and serve it until SIGINT/SIGTERM (or `stop`)."""
    secret = rt.settings.telegram.webhook_secret
    secret_text = secret.get_secret_value() if secret else ""
    if not SECRET.fullmatch(secret_text):
        raise StartupError(
            "TELEGRAM_WEBHOOK_SECRET must be set: 1-256 characters of A-Z a-z 0-9 _ -"
        )
    path = webhook_path(url)
    async with running(rt, polling=False, outbox=outbox) as tg:
        app = tg.application

        async def submit(data: dict[str, Any]) -> None:
            await app.update_queue.put(Update.de_json(data, app.bot))

        try:
            await patiently(
                lambda: app.bot.set_webhook(
                    url, secret_token=secret_text, allowed_updates=ALLOWED_UPDATES
                )
            )
        except TelegramError as exc:  # e.g. registered by hand behind a proxy: serve anyway
            log.error("setWebhook failed (%s); serving %s anyway", exc, path)
        config = uvicorn.Config(
            webhook_app(path, secret_text, submit),
            host=host,
            port=port,
            log_level="warning",
            lifespan="off",
        )
        server = _Server(config)
        log.info("perfbot: Telegram @%s webhook on %s:%s%s", tg.me.username, host, port, path)
        task = asyncio.create_task(server.serve())
        stopping = asyncio.create_task((stop or _stop_on_signals()).wait())
        await asyncio.wait((task, stopping), return_when=asyncio.FIRST_COMPLETED)
        server.should_exit = True
        stopping.cancel()
        await task


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: it re-raises SIGTERM after shutting down,
    which would kill the process before the bot and the outbox sweep stop cleanly."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


async def _drain_outbox(rt: Runtime, tg: TelegramApp) -> None:
    """Deliver queued notices until cancelled: through this bot for Telegram, and through
    every other configured platform too, so no row waits for a platform we don't run."""
    others = [d for d in build_deliverers(rt.settings, rt.uow) if d.platform != "telegram"]
    deliverers = [TelegramDeliverer(tg.bot), *others]
    dispatcher = OutboxDispatcher(rt.uow, deliverers, dispatch_policy(rt.settings))
    while True:
        try:
            stats = await dispatcher.run_once(budget=30.0)
        except Exception:  # a database hiccup must not stop notices for good
            log.exception("outbox sweep failed")
            stats = None
        if stats is None or not stats.claimed:
            await asyncio.sleep(OUTBOX_EVERY)


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # not on Windows
            loop.add_signal_handler(sig, stop.set)
    return stop
