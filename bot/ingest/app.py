"""POST /ingest/<source>: signed records in, facts out, through the sync engine's writer.

Checks run cheapest and least revealing first: size (413), signature and timestamp (401,
before the body is even parsed), content type (415), shape (400, listing every bad record).
A refused request writes nothing; an accepted one is one transaction (facts, set-aside
records, re-scores of the people concerned, one audit event), so a replay changes nothing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

from bot.metrics import Metrics
from bot.serve import TooLarge, capped_body, metrics_route, refused
from connectors.push import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    PushError,
    parse_push,
    secret_for,
    verify,
)
from connectors.records import SourceRecord
from connectors.sync_batch import Batch, BatchWriter, Counts
from handlers.appeals.correction_watch import watch_corrections
from handlers.scores.compute import ScoringSetup, rescore
from store.uow import UnitOfWork

log = logging.getLogger(__name__)
MAX_BODY = 10 * 1024 * 1024


def store_push(
    uow: UnitOfWork, scoring: ScoringSetup, source: str, records: list[SourceRecord]
) -> Counts:
    """Write pushed records and re-score their people in the open periods; one transaction."""
    batch = Batch()
    batch.add_records(records)
    with uow:
        before = uow.jobs.record_owners(source, sorted({r.record_id for r in records}))
        # The sync engine's writer works on the session itself (as connectors/sync.py does).
        counts = BatchWriter(source).write(uow.session, batch, uow.clock())
        people = sorted(before | counts.employees)
        if people and (counts.new or counts.changed or counts.voided):
            for period_id in uow.jobs.open_period_ids():
                rescore(uow, scoring, period_id, people)
        uow.audit(
            actor=f"push:{source}",
            action="ingest.push",
            entity="source",
            entity_id=source,
            after={
                "records": len(records),
                "new": counts.new,
                "changed": counts.changed,
                "voided": counts.voided,
                "unmatched": counts.unmatched,
            },
        )
        uow.commit()
    if counts.new or counts.changed or counts.voided:
        watch_corrections(uow, scoring, actor=f"push:{source}")
    return counts


def build_app(
    uow: Callable[[], UnitOfWork],
    scoring: ScoringSetup,
    environ: Mapping[str, str],
    now: Callable[[], float] = time.time,
    metrics: Metrics | None = None,
) -> Starlette:
    """The ingest endpoint, a health check and (given `metrics`) GET /metrics; secrets
    come from `environ`."""

    async def ingest(request: Request) -> JSONResponse:
        source = request.path_params["source"]
        try:
            body = await capped_body(request, MAX_BODY)
        except TooLarge as exc:
            return refused(exc.status, exc.problem)
        try:
            verify(
                secret_for(source, environ),
                request.headers.get(TIMESTAMP_HEADER),
                request.headers.get(SIGNATURE_HEADER),
                body,
                now(),
            )
            kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if kind != "application/json":
                return refused(415, "send application/json")
            records = parse_push(source, body)
        except PushError as exc:
            log.info("push to %s refused (%s): %s", source, exc.status, exc.message)
            answer: dict[str, Any] = {"error": exc.message}
            if exc.problems:
                answer["problems"] = exc.problems
            return JSONResponse(answer, status_code=exc.status)
        counts = await run_in_threadpool(store_push, uow(), scoring, source, records)
        return JSONResponse(
            {
                "source": source,
                "received": len(records),
                "new": counts.new,
                "changed": counts.changed,
                "voided": counts.voided,
                "unmatched": counts.unmatched,
            }
        )

    async def health(request: Request) -> PlainTextResponse:
        return PlainTextResponse("ok")

    return Starlette(
        routes=[
            Route("/ingest/{source}", ingest, methods=["POST"]),
            Route("/healthz", health, methods=["GET"]),
            *([metrics_route(metrics)] if metrics is not None else []),
        ]
    )
