"""`perfbot serve slack --workers N`: N uvicorn processes on one port, each with its own app.

Handlers are synchronous Python, so one process uses one core however many threads it
has (the GIL); more processes use more cores. Each worker builds its runtime from the
environment the parent prepared; the parent checks the credentials once before forking.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from starlette.applications import Starlette

from bot.bootstrap import Runtime, build
from bot.config import Settings
from bot.serve import drain_outbox
from bot.slack.deliver import SlackDeliverer
from bot.slack.server import asgi, build_slack, check_credentials, use_threads

ENV_OUTBOX = "PERFBOT_SLACK_OUTBOX"


def serve_workers(rt: Runtime, host: str, port: int, workers: int, *, outbox: bool) -> None:
    """Check credentials here, then let uvicorn run `workers` processes until stopped."""
    slack, _ = build_slack(rt)
    asyncio.run(check_credentials(slack.client))
    os.environ["DATABASE_URL"] = rt.settings.database_url  # --db, for the workers
    os.environ[ENV_OUTBOX] = "1" if outbox else "0"
    uvicorn.run(
        "bot.slack.workers:worker_app",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level=rt.settings.log_level.lower(),
        access_log=False,
        lifespan="on",
        timeout_keep_alive=30,
        backlog=4096,
    )


def worker_app() -> Starlette:
    """The ASGI app of one worker process (uvicorn calls this factory in each)."""
    rt = build(Settings())
    slack, secret = build_slack(rt)
    outbox = os.environ.get(ENV_OUTBOX, "1") == "1"

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        use_threads()
        # Every worker sweeps the outbox: rows are claimed with leases, so none is sent twice.
        sweeper = (
            asyncio.create_task(drain_outbox(rt, SlackDeliverer(slack.client, rt.uow)))
            if outbox
            else None
        )
        yield
        if sweeper is not None:
            sweeper.cancel()
            await asyncio.gather(sweeper, return_exceptions=True)
        await slack.drain()

    return asgi(slack, secret, rt.engine, lifespan=lifespan)
