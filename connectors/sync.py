"""The sync engine: stream a source's pages into facts, one transaction per batch.

Each batch commits together with the source's checkpoint, so a run killed at any moment
resumes after the last committed batch: nothing lost (later pages are read again) and
nothing counted twice (facts are upserted on (source, record id, metric)). Batches are
fetched and built on a worker thread (connectors/sync_worker.py) while the previous one
is written; at most one waits, so memory does not grow with the source.

Deletions: a record the source reports void or deleted turns its facts void. A source that
cannot report deletions is read with `full=True` now and then (`perfbot sync --full`): the
run starts from the beginning, remembers every record id it reads, and at the end voids
the live facts of that source whose record it did not see.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from connectors import strings as cs
from connectors.config import SourceConfig, load_sources
from connectors.http import SourceError, UnknownHost, Unresolved
from connectors.rest import RestConnector
from connectors.sync_batch import BatchWriter, Prepared, Tally
from connectors.sync_worker import Batches, Source
from said import Said, said_of, to_data
from store import sync_state
from store.sync_lock import SyncBusy, run_lock
from store.uow import UnitOfWork

log = logging.getLogger(__name__)
# Records per transaction: PostgreSQL upserts 500,000 rows in batches of 10,000 about as
# fast as in one statement (batches of 5,000: 1.5x slower, mostly commits). Memory grows
# with it: about 5 KB per record of the batches in flight (at most three).
BATCH_SIZE = 10_000


@dataclass
class SyncSummary(Tally):
    """What one run did; `complete` is False when it stopped on an error (see `errors`)."""

    source: str
    full: bool = False
    resumed: bool = False
    complete: bool = False
    fetched: int = 0
    pages: int = 0
    batches: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    unresolved: Unresolved | None = None  # the host that does not exist, for the CLI's words

    @property
    def touched_existing(self) -> bool:
        """Existing facts changed, so periods other than the new records' may be affected."""
        return bool(self.changed or self.voided)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["seconds"] = round(self.seconds, 3)
        for key in ("first_day", "last_day"):
            data[key] = data[key].isoformat() if data[key] else None
        return data

    COUNTERS = ("fetched", "new", "changed", "voided", "unmatched", "rejected", "pages")


Progress = Callable[[SyncSummary], None]


def sync_source(
    source: Source,
    uow: Callable[[], UnitOfWork],
    *,
    full: bool = False,
    batch_size: int = BATCH_SIZE,
    flush_seconds: float = 2.0,
    progress: Progress | None = None,
    actor: str = "sync",
) -> SyncSummary:
    """Run one source to its end (or to an error); raises SyncBusy if it is already running."""
    started = time.perf_counter()
    with uow() as u:
        engine = u.session.get_bind()
    with run_lock(engine, source.name), _bulk_runtime():  # type: ignore[arg-type]
        summary, cursor, writer = _begin(source.name, uow, full)
        try:
            _run(source, uow, writer, summary, cursor, (batch_size, flush_seconds), progress, actor)
        except SourceError as exc:
            summary.errors.append(said_of(exc) or str(exc))  # the edge says it in its language
            if isinstance(exc, UnknownHost):
                summary.unresolved = exc.unresolved
        except Exception as exc:  # a database or mapping bug: record it, then let it surface
            summary.errors.append(f"{type(exc).__name__}: {exc}")
            _finish_failed(source.name, uow, summary, started, actor)
            raise
        if summary.complete:
            summary.seconds = time.perf_counter() - started
        else:
            _finish_failed(source.name, uow, summary, started, actor)
    if progress:
        progress(summary)
    return summary


@contextlib.contextmanager
def _bulk_runtime() -> Iterator[None]:
    """Interpreter settings for the length of a run, put back afterwards.

    The GIL goes between the fetching and the writing thread every 0.5 ms, not 5 ms: the
    writer waits for it after each statement, and a batch takes several. The cyclic
    garbage collector runs every 50,000 allocations, not 700: records make no cycles,
    and scanning the batches in flight over and over took a third of the fetching
    thread's time (measured with bench/sync_bench.py).
    """
    interval, thresholds = sys.getswitchinterval(), gc.get_threshold()
    sys.setswitchinterval(min(interval, 0.0005))
    gc.set_threshold(max(thresholds[0], 50_000), *thresholds[1:])
    try:
        yield
    finally:
        sys.setswitchinterval(interval)
        gc.set_threshold(*thresholds)


def _begin(
    name: str, uow: Callable[[], UnitOfWork], full: bool
) -> tuple[SyncSummary, str | None, BatchWriter]:
    """Read the checkpoint, decide resume or fresh start, and mark the run as started."""
    with uow() as u:
        cp = sync_state.checkpoint(u.session, name)
        stats = (cp.stats or {}) if cp else {}
        resuming = cp is not None and cp.run_started_at is not None
        was_full = resuming and bool(stats.get("full"))
        summary = SyncSummary(source=name, full=full or was_full, resumed=resuming)
        if full and not was_full:  # a fresh full run: from the very beginning
            cursor, run_started = None, u.clock()
            sync_state.forget_seen(u.session, name)
            summary.resumed = False
        else:
            cursor = cp.cursor if cp else None
            run_started = (cp.run_started_at if cp else None) or u.clock()
            for key in SyncSummary.COUNTERS if resuming else ():
                setattr(summary, key, int(stats.get("so_far", {}).get(key, 0)))
        writer = BatchWriter(
            name, full=summary.full, unmatched_exist=sync_state.has_unmatched(u.session, name)
        )
        writer.preload(u.session)
        _save(u, name, cursor, run_started, summary)
        u.commit()
    return summary, cursor, writer


def _save(u: UnitOfWork, name: str, cursor: str | None, started: Any, s: SyncSummary) -> None:
    so_far = {k: getattr(s, k) for k in SyncSummary.COUNTERS}
    stats = {"full": s.full, "so_far": so_far} if started else {"last": s.as_dict()}
    sync_state.save_checkpoint(
        u.session, name, cursor=cursor, run_started_at=started, now=u.clock(), stats=stats
    )


def _run(
    source: Source,
    uow: Callable[[], UnitOfWork],
    writer: BatchWriter,
    summary: SyncSummary,
    cursor: str | None,
    limits: tuple[int, float],
    progress: Progress | None,
    actor: str,
) -> None:
    with uow() as u:
        dialect = u.session.get_bind().dialect.name
    with Batches(source, writer, dialect, cursor, *limits) as batches:
        for chunk in batches:
            summary.pages += chunk.pages
            summary.fetched += chunk.fetched
            _commit(uow, writer, chunk.prepared, summary, chunk.cursor, chunk.final, actor)
            if progress and not chunk.final:
                progress(summary)


def _commit(
    uow: Callable[[], UnitOfWork],
    writer: BatchWriter,
    prepared: Prepared,
    summary: SyncSummary,
    cursor: str | None,
    final: bool,
    actor: str,
) -> None:
    """Write the batch and move the checkpoint in one transaction."""
    with uow() as u:
        sync_state.bulk_writes(u.session, not final)
        summary.add(writer.apply(u.session, prepared, u.clock()))
        summary.batches += 1
        if final:
            if summary.full:
                summary.voided += sync_state.sweep_unseen(u.session, writer.source, u.clock())
            summary.complete = True
            _save(u, writer.source, cursor, None, summary)
            u.audit(
                actor=actor,
                action="sync.run",
                entity="source",
                entity_id=writer.source,
                after={k: v for k, v in summary.as_dict().items() if k != "seconds"},
            )
        else:
            cp = sync_state.checkpoint(u.session, writer.source)
            started = cp.run_started_at if cp else u.clock()
            _save(u, writer.source, cursor, started, summary)
        u.commit()


def _finish_failed(
    name: str, uow: Callable[[], UnitOfWork], summary: SyncSummary, started: float, actor: str
) -> None:
    """Audit a run that stopped early; its committed batches and checkpoint stay."""
    summary.seconds = time.perf_counter() - started
    try:
        with uow() as u:
            after = {k: v for k, v in summary.as_dict().items() if k != "seconds"}
            after["said"] = [to_data(e) for e in summary.errors]  # doctor says them again
            u.audit(actor=actor, action="sync.failed", entity="source", entity_id=name, after=after)
            u.commit()
    except Exception:  # the database itself may be what failed
        log.exception("%s: could not audit the failed sync", name)


@dataclass
class SyncReport:
    """Every source's summary; `rescored` is filled by callers that re-score afterwards."""

    summaries: list[SyncSummary] = field(default_factory=list)
    rescored: list[str] = field(default_factory=list)  # period keys

    @property
    def ok(self) -> bool:
        return all(s.complete and not s.errors for s in self.summaries)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "sources": [s.as_dict() for s in self.summaries],
            "rescored_periods": self.rescored,
        }

    def __str__(self) -> str:
        parts = [
            f"{s.source}: {s.new} new, {s.changed} changed, {s.voided} voided"
            if s.complete
            else f"{s.source}: failed ({'; '.join(s.errors)})"
            for s in self.summaries
        ]
        return "; ".join(parts) or "no sources"


def sync_all(
    *,
    uow: Callable[[], UnitOfWork],
    sources: str | Path | Sequence[SourceConfig] | None,
    environ: Mapping[str, str] | None = None,
    only: str | None = None,
    full: bool = False,
    progress: Progress | None = None,
    actor: str = "sync",
    batch_size: int = BATCH_SIZE,
    **client_options: Any,
) -> SyncReport:
    """Sync each configured source (or only `only`) in turn; what the scheduler calls.

    Raises ConfigError for a bad sources.yaml or a missing secret, LookupError for an
    unknown `only`; a failing source is reported in its summary and the others still run.
    Re-scoring is the caller's (bot/sync_job.py).
    """
    environ = os.environ if environ is None else environ
    if sources is None:
        return SyncReport()
    if isinstance(sources, str | Path):
        configs: Sequence[SourceConfig] = load_sources(Path(sources), environ=environ)
    else:
        configs = sources
    if only is not None:
        configs = [c for c in configs if c.name == only]
        if not configs:
            raise LookupError(Said(cs.NO_SUCH_SOURCE, name=only))
    report = SyncReport()
    for config in configs:
        try:
            with RestConnector.from_config(config, environ, **client_options) as connector:
                summary = sync_source(
                    connector, uow, full=full, progress=progress, actor=actor, batch_size=batch_size
                )
        except SyncBusy as exc:
            summary = SyncSummary(source=config.name, errors=[said_of(exc) or str(exc)])
        report.summaries.append(summary)
    return report
