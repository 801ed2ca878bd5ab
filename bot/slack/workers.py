"""`perfbot serve slack --workers N`: N uvicorn processes on one port, each with its own app.

Handlers are synchronous Python, so one process uses one core however many threads it
has (the GIL); more processes use more cores. Each worker builds its runtime from the
environment the parent prepared (bot/cli/serve.py's factory); the parent checks the
credentials once before forking.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager

import uvicorn
from starlette.applications import Starlette

from bot.delivery import Deliverer
from bot.metrics import MULTIPROCESS_DIR
from bot.runtime import Runtime
from bot.serve import drain_outbox
from bot.slack.deliver import SlackDeliverer
from bot.slack.server import asgi, build_slack, check_credentials, use_threads

ENV_OUTBOX = "PERFBOT_SLACK_OUTBOX"


def serve_workers(
    rt: Runtime,
    host: str,
    port: int,
    workers: int,
    *,
    outbox: bool,
    factory: str,
    ready: Callable[[], None] = lambda: None,
) -> None:
    """Check credentials here, then let uvicorn run `workers` processes until stopped.
    `factory`: `module:function` making each worker's app (uvicorn calls it in each
    process; bot/cli/serve.py's builds the runtime and calls worker_app)."""
    slack, _ = build_slack(rt)
    asyncio.run(check_credentials(slack.client))
    ready()
    os.environ["DATABASE_URL"] = rt.settings.database_url  # --db, for the workers
    os.environ[ENV_OUTBOX] = "1" if outbox else "0"
    # A scrape reaches one worker: the workers keep their counters in files there, and the
    # one that answers adds them all up (bot/metrics.py). An operator's own directory is kept.
    made = None if os.environ.get(MULTIPROCESS_DIR) else tempfile.mkdtemp(prefix="perfbot-metrics-")
    if made:
        os.environ[MULTIPROCESS_DIR] = made
    try:
        _run(factory, rt, host, port, workers)
    finally:
        if made:
            os.environ.pop(MULTIPROCESS_DIR, None)
            shutil.rmtree(made, ignore_errors=True)


def _run(factory: str, rt: Runtime, host: str, port: int, workers: int) -> None:
    uvicorn.run(
        factory,
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level=rt.settings.log_level.lower(),
        log_config=None,  # each worker logs through perfbot's handler (bot/logs.py)
        access_log=False,
        lifespan="on",
        timeout_keep_alive=30,
        backlog=4096,
    )


def worker_app(rt: Runtime, others: Sequence[Deliverer]) -> Starlette:
    """The ASGI app of one worker process; `others`: the other platforms' deliverers."""
    slack, secret = build_slack(rt)
    outbox = os.environ.get(ENV_OUTBOX, "1") == "1"

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        use_threads()
        # Every worker sweeps the outbox: rows are claimed with leases, so none is sent twice.
        own = SlackDeliverer(slack.client, rt.uow)
        sweeper = asyncio.create_task(drain_outbox(rt, own, others)) if outbox else None
        yield
        if sweeper is not None:
            sweeper.cancel()
            await asyncio.gather(sweeper, return_exceptions=True)
        await slack.drain()

    # Each worker counts its own requests into the shared metrics files.
    return asgi(slack, secret, rt.engine, lifespan=lifespan, metrics=rt.metrics)
