"""`perfbot serve ingest`: the push endpoint for business systems (bot/ingest/)."""

from __future__ import annotations

import os

import click

from bot.cli import db_option, runtime
from bot.cli_serve import serve
from connectors.push import SECRET_PREFIX


@click.command("ingest")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8090, show_default=True, type=int, help="HTTP port.")
@db_option
def serve_ingest(host: str, port: int, db: str | None) -> None:
    """POST /ingest/<source> with signed JSON records; GET /healthz.

    Each source needs a secret in PERFBOT_INGEST_SECRET_<SOURCE> (upper case, "-" as "_").
    """
    import uvicorn

    from bot.ingest.app import build_app

    sources = sorted(
        k[len(SECRET_PREFIX) :].lower() for k in os.environ if k.startswith(SECRET_PREFIX)
    )
    if not sources:
        raise click.ClickException(
            f"no source can push: set {SECRET_PREFIX}<SOURCE> for each source that will"
        )
    rt = runtime(db)
    app = build_app(rt.uow, rt.scoring, os.environ)
    click.echo(
        f"perfbot: ingest on http://{host}:{port}/ingest/<source> for {', '.join(sources)}",
        err=True,
    )
    uvicorn.run(app, host=host, port=port, log_level=rt.settings.log_level.lower())


serve.add_command(serve_ingest)
COMMANDS: list[click.Command] = []
