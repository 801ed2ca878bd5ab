"""`perfbot serve slack | telegram | feishu | ingest`: Slack over HTTP or Socket Mode,
Telegram by polling or webhook, Feishu/Lark over HTTP or the long connection, and the push
endpoint for business systems; each through the one serving shell (bot/serve.py)."""

from __future__ import annotations

import os
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

import click

from bot import logs, slack, telegram
from bot.cli import click_language as cl
from bot.cli import help_texts as ht
from bot.cli import texts as st
from bot.cli.common import announce, db_option, refusal, runtime
from bot.platforms import build_deliverers
from connectors.push import SECRET_PREFIX

if TYPE_CHECKING:
    from starlette.applications import Starlette

INGEST = "ingest"  # the `platform` its logs name (the chat platforms name themselves)
# Where uvicorn finds each worker process's app (it imports it by name in each process).
SLACK_WORKER = "bot.cli.serve:slack_worker"


@cl.group(help=ht.SERVE)
def serve() -> None:
    pass


@serve.command("slack", help=ht.SERVE_SLACK)
@click.option("--host", default="0.0.0.0", show_default=True, help=ht.SERVE_SLACK_HOST)
@click.option("--port", default=3000, show_default=True, type=int, help=ht.SERVE_SLACK_PORT)
@click.option("--socket", "socket_mode", is_flag=True, help=ht.SERVE_SLACK_SOCKET_MODE)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help=ht.SERVE_SLACK_WORKERS,
)
@click.option("--no-outbox", is_flag=True, help=ht.SERVE_SLACK_NO_OUTBOX)
@db_option
def serve_slack(
    host: str, port: int, socket_mode: bool, workers: int, no_outbox: bool, db: str | None
) -> None:
    from bot.serve import StartupError, run
    from bot.slack import server

    logs.platform.set(slack.PLATFORM)  # every line of this process names its platform
    rt = runtime(db)
    others = build_deliverers(rt.settings, rt.uow)

    def ready() -> None:  # only once the token passed auth.test: never an address that fails
        announce(rt.settings, st.SERVE_SLACK.format(host=host, port=port))

    try:
        if workers > 1 and not socket_mode:
            from bot.slack.workers import serve_workers

            serve_workers(
                rt, host, port, workers, outbox=not no_outbox, factory=SLACK_WORKER, ready=ready
            )
        else:
            run(
                server.serve_slack(
                    rt,
                    host,
                    port,
                    socket_mode=socket_mode,
                    outbox=not no_outbox,
                    others=others,
                    on_ready=None if socket_mode else lambda *_: ready(),
                )
            )
    except StartupError as exc:
        raise click.ClickException(refusal(exc)) from None


def slack_worker() -> Starlette:
    """The app of one `serve slack --workers N` process (uvicorn calls this in each)."""
    from bot.slack.workers import worker_app

    logs.platform.set(slack.PLATFORM)
    rt = runtime(None)  # the parent put --db in DATABASE_URL
    return worker_app(rt, build_deliverers(rt.settings, rt.uow))


@serve.command("telegram", help=ht.SERVE_TELEGRAM)
@click.option("--webhook", "webhook_url", help=ht.SERVE_TELEGRAM_WEBHOOK_URL)
@click.option("--host", default="0.0.0.0", show_default=True, help=ht.SERVE_TELEGRAM_HOST)
@click.option("--port", default=8080, show_default=True, type=int, help=ht.SERVE_TELEGRAM_PORT)
@click.option(
    "--outbox/--no-outbox", default=True, show_default=True, help=ht.SERVE_TELEGRAM_OUTBOX
)
@db_option
def serve_telegram(
    webhook_url: str | None, host: str, port: int, outbox: bool, db: str | None
) -> None:
    from bot.telegram.server import serve_polling, serve_webhook

    logs.platform.set(telegram.PLATFORM)
    rt = runtime(db)
    others = build_deliverers(rt.settings, rt.uow)
    if webhook_url:
        main = serve_webhook(rt, webhook_url, host, port, outbox=outbox, others=others)
    else:
        main = serve_polling(rt, outbox=outbox, others=others)
    _serve_until_stopped(main)


@serve.command("feishu", help=ht.SERVE_FEISHU)
@click.option(
    "--transport",
    type=click.Choice(["http", "ws"]),
    default="http",
    show_default=True,
    help=ht.SERVE_FEISHU_TRANSPORT,
)
@click.option("--host", default="0.0.0.0", show_default=True, help=ht.SERVE_FEISHU_HOST)
@click.option("--port", default=3100, show_default=True, type=int, help=ht.SERVE_FEISHU_PORT)
@click.option("--outbox/--no-outbox", default=True, show_default=True, help=ht.SERVE_FEISHU_OUTBOX)
@db_option
def serve_feishu(transport: str, host: str, port: int, outbox: bool, db: str | None) -> None:
    from bot.feishu.server import serve_feishu as serve_app

    rt = runtime(db)
    others = build_deliverers(rt.settings, rt.uow)

    def ready(*_: object) -> None:  # only once the credentials passed: never a dead address
        click.echo(st.SERVE_FEISHU.format(host=host, port=port), err=True)

    if transport == "ws":
        main = serve_app(rt, "ws", host, port, outbox=outbox, others=others)
    else:
        main = serve_app(rt, "http", host, port, outbox=outbox, others=others, on_ready=ready)
    _serve_until_stopped(main)


def _serve_until_stopped(main: Coroutine[Any, Any, None]) -> None:
    """Run a platform's serving coroutine: a start-up refusal is the command's error (one
    line), Ctrl-C a quiet stop."""
    from bot.serve import StartupError, run

    try:
        run(main)
    except StartupError as exc:
        raise click.ClickException(refusal(exc)) from None
    except KeyboardInterrupt:
        pass


@serve.command("ingest", help=ht.SERVE_INGEST)
@click.option("--host", default="127.0.0.1", show_default=True, help=ht.SERVE_INGEST_HOST)
@click.option("--port", default=8090, show_default=True, type=int, help=ht.SERVE_INGEST_PORT)
@db_option
def serve_ingest(host: str, port: int, db: str | None) -> None:
    from bot.ingest.app import build_app
    from bot.serve import run, serve_asgi

    sources = sorted(
        k[len(SECRET_PREFIX) :].lower() for k in os.environ if k.startswith(SECRET_PREFIX)
    )
    if not sources:
        raise click.ClickException(st.SERVE_NO_PUSH.format(prefix=SECRET_PREFIX))
    logs.platform.set(INGEST)
    rt = runtime(db)
    app = build_app(rt.uow, rt.scoring, os.environ, metrics=rt.metrics)
    announce(
        rt.settings,
        st.SERVE_INGEST.format(host=host, port=port, sources=", ".join(sources)),
    )
    run(serve_asgi(app, host, port, rt.settings.log_level, platform=INGEST))


COMMANDS = [serve]
