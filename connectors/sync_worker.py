"""The sync engine's fetching thread: pages fetched, parsed, mapped, grouped, hashed,
matched and encoded into batches, at most QUEUE ahead of the thread writing them."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from connectors.records import Page
from connectors.sync_batch import Batch, BatchWriter, Prepared, Rejected

QUEUE = 1  # batches built ahead of the writer (one more is being built)


class Source(Protocol):
    name: str

    def pages(self, checkpoint: str | None = None) -> Iterator[Page]: ...

    def record_id_of(self, raw: Any) -> str | None: ...


@dataclass
class Chunk:
    prepared: Prepared
    cursor: str | None  # the checkpoint after the batch's last page
    final: bool  # the source has no more pages
    pages: int
    fetched: int


class Batches:
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

    def __enter__(self) -> Batches:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        # The worker sees the flag within 0.1 s, unless it is inside a request: then it is
        # left to finish on its own (a daemon thread) rather than holding up the caller.
        self._stop.set()
        self._thread.join(timeout=5.0)

    def __iter__(self) -> Iterator[Chunk]:
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
            self._put(Chunk(self._prepare(batch), self._cursor, True, 0, 0))
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
                chunk = Chunk(self._prepare(batch), page.checkpoint, final, count, fetched)
                if not self._put(chunk):
                    return
                batch, count, fetched, since = Batch(), 0, 0, time.monotonic()
            if failure is not None:
                raise failure
            page = following
            if self._stop.is_set():
                return
        self._put(self._END)
