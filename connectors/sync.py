"""The sync engine: stream a source's pages into facts, one transaction per batch.

Each batch commits together with the source's checkpoint, so a run killed at any moment
resumes after the last committed batch: nothing lost (later pages are read again) and
nothing counted twice (facts are upserted on (source, record id, metric)). Batches are
fetched and built on a worker thread while the previous one is written; at most QUEUE
wait, so memory does not grow with the source.

Deletions: a record the source reports void or deleted turns its facts void. A source that
cannot report deletions is read with `full=True` now and then (`perfbot sync --full`): the
run starts from the beginning, remembers every record id it reads, and at the end voids
the live facts of that source whose record it did not see.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Protocol

from connectors.http import SourceError
from connectors.records import Page
from connectors.sync_batch import Batch, BatchWriter, Counts, Prepared, Rejected
from store import sync_state
from store.sync_lock import run_lock
from store.uow import UnitOfWork

log = logging.getLogger(__name__)
QUEUE = 2  # batches built ahead of the writer


class Source(Protocol):
    name: str

    def pages(self, checkpoint: str | None = None) -> Iterator[Page]: ...

    def record_id_of(self, raw: Any) -> str | None: ...


@dataclass
class SyncSummary:
    """What one run did; `complete` is False when it stopped on an error (see `errors`)."""

    source: str
    full: bool = False
    resumed: bool = False
    complete: bool = False
    fetched: int = 0
    new: int = 0
    changed: int = 0
    voided: int = 0
    unmatched: int = 0
    rejected: int = 0
    pages: int = 0
    batches: int = 0
    seconds: float = 0.0
    first_day: date | None = None
    last_day: date | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def touched_existing(self) -> bool:
        """Existing facts changed, so periods other than the new records' may be affected."""
        return bool(self.changed or self.voided)

    def add(self, counts: Counts) -> None:
        self.new += counts.new
        self.changed += counts.changed
        self.voided += counts.voided
        self.unmatched += counts.unmatched
        self.rejected += counts.rejected
        for day in (counts.first_day, counts.last_day):
            if day is not None:
                self.first_day = day if self.first_day is None else min(self.first_day, day)
                self.last_day = day if self.last_day is None else max(self.last_day, day)

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
    batch_size: int = 5000,
    flush_seconds: float = 2.0,
    progress: Progress | None = None,
    actor: str = "sync",
) -> SyncSummary:
    """Run one source to its end (or to an error); raises SyncBusy if it is already running."""
    started = time.perf_counter()
    with uow() as u:
        engine = u.session.get_bind()
    with run_lock(engine, source.name):  # type: ignore[arg-type]
        summary, cursor, writer = _begin(source.name, uow, full)
        try:
            _run(source, uow, writer, summary, cursor, batch_size, flush_seconds, progress)
        except SourceError as exc:
            summary.errors.append(str(exc))
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
    batch_size: int,
    flush_seconds: float,
    progress: Progress | None,
) -> None:
    with uow() as u:
        dialect = u.session.get_bind().dialect.name
    with _Batches(source, writer, dialect, cursor, batch_size, flush_seconds) as batches:
        for chunk in batches:
            summary.pages += chunk.pages
            summary.fetched += chunk.fetched
            _commit(uow, writer, chunk.prepared, summary, chunk.cursor, chunk.final)
            if progress and not chunk.final:
                progress(summary)


def _commit(
    uow: Callable[[], UnitOfWork],
    writer: BatchWriter,
    prepared: Prepared,
    summary: SyncSummary,
    cursor: str | None,
    final: bool,
) -> None:
    """Write the batch and move the checkpoint in one transaction."""
    with uow() as u:
        summary.add(writer.apply(u.session, prepared, u.clock()))
        summary.batches += 1
        if final:
            if summary.full:
                summary.voided += sync_state.sweep_unseen(u.session, writer.source, u.clock())
            summary.complete = True
            _save(u, writer.source, cursor, None, summary)
            u.audit(
                actor="sync",
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
            u.audit(actor=actor, action="sync.failed", entity="source", entity_id=name, after=after)
            u.commit()
    except Exception:  # the database itself may be what failed
        log.exception("%s: could not audit the failed sync", name)


@dataclass
class _Chunk:
    prepared: Prepared
    cursor: str | None  # the checkpoint after the batch's last page
    final: bool  # the source has no more pages
    pages: int
    fetched: int


class _Batches:
    """Batches built on a worker thread (fetch, parse, map, hash, match, encode), at most
    QUEUE ahead; the writing thread only runs the SQL."""

    _END = object()

    def __init__(
        self,
        source: Source,
        writer: BatchWriter,
        dialect: str,
        cursor: str | None,
        size: int,
        seconds: float,
    ) -> None:
        self._source, self._cursor, self._size, self._seconds = source, cursor, size, seconds
        self._writer, self._dialect = writer, dialect
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=QUEUE)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._work, name=f"sync-{source.name}", daemon=True)

    def __enter__(self) -> _Batches:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        # The worker sees the flag within 0.1 s, unless it is inside a request: then it is
        # left to finish on its own (a daemon thread) rather than holding up the caller.
        self._stop.set()
        self._thread.join(timeout=5.0)

    def __iter__(self) -> Iterator[_Chunk]:
        while (item := self._queue.get()) is not self._END:
            if isinstance(item, BaseException):
                raise item
            yield item

    def _put(self, item: Any) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _work(self) -> None:
        pages = self._source.pages(self._cursor)
        try:
            self._batches(iter(pages))
        except BaseException as exc:  # handed to the writing thread, raised there
            self._put(exc)
        finally:
            close = getattr(pages, "close", None)
            if close:
                close()

    def _prepare(self, batch: Batch) -> Prepared:
        return self._writer.prepare(batch, self._dialect)

    def _batches(self, pages: Iterator[Page]) -> None:
        batch, count, fetched, since = Batch(), 0, 0, time.monotonic()
        page: Page | None = next(pages, None)
        if page is None:  # a source without pages: still a complete run
            self._put(_Chunk(self._prepare(batch), self._cursor, True, 0, 0))
        while page is not None:
            failure: BaseException | None = None
            try:
                following = next(pages, None)  # one page ahead: is this the last?
            except BaseException as exc:  # keep what came before the failure
                following, failure = None, exc
            count += 1
            fetched += batch.add_records(page.records) + len(page.rejected)
            for raw, reason in page.rejected:
                batch.add_rejected(Rejected(raw, reason, self._source.record_id_of(raw)))
            final = following is None and failure is None
            full = batch.size >= self._size or time.monotonic() - since > self._seconds
            if final or failure or full:
                chunk = _Chunk(self._prepare(batch), page.checkpoint, final, count, fetched)
                if not self._put(chunk):
                    return
                batch, count, fetched, since = Batch(), 0, 0, time.monotonic()
            if failure is not None:
                raise failure
            page = following
            if self._stop.is_set():
                return
        self._put(self._END)
