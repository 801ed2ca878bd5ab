"""`perfbot serve slack`: run the Slack app over HTTP (uvicorn) or Socket Mode."""

from __future__ import annotations

import click

from bot.cli import db_option, runtime


@click.group()
def serve() -> None:
    """Serve a chat platform."""


@serve.command("slack")
@click.option("--host", default="0.0.0.0", show_default=True, help="Interface to listen on.")
@click.option("--port", default=3000, show_default=True, type=int, help="HTTP port.")
@click.option("--socket", "socket_mode", is_flag=True, help="Socket Mode (needs SLACK_APP_TOKEN).")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes (HTTP only); about one per CPU core.",
)
@click.option(
    "--no-outbox", is_flag=True, help="Don't deliver queued notices here (another process does)."
)
@db_option
def serve_slack(
    host: str, port: int, socket_mode: bool, workers: int, no_outbox: bool, db: str | None
) -> None:
    """Slack at POST /slack/events and a health check at GET /healthz."""
    from bot.slack.server import StartupError, run, serve_http

    rt = runtime(db)
    try:
        if socket_mode:
            from bot.slack.socket_mode import serve_socket

            run(serve_socket(rt, host, port, outbox=not no_outbox))
        elif workers > 1:
            from bot.slack.workers import serve_workers

            click.echo(f"perfbot: Slack app on http://{host}:{port}/slack/events", err=True)
            serve_workers(rt, host, port, workers, outbox=not no_outbox)
        else:
            click.echo(f"perfbot: Slack app on http://{host}:{port}/slack/events", err=True)
            run(serve_http(rt, host, port, outbox=not no_outbox))
    except StartupError as exc:
        raise click.ClickException(str(exc)) from None


COMMANDS = [serve]
