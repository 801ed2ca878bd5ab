"""Prometheus metrics of one process, on a registry of its own (no module-level global):
bootstrap builds one `Metrics` per runtime; the serving shell answers GET /metrics with it
and the scheduler serves it on PERFBOT_METRICS_PORT.

Counters move where things happen (commands at the dispatcher edge, deliveries in the
outbox dispatcher, syncs and sweeps in the jobs); what the database knows (the outbox's
backlog, each source's last success) is read at scrape time from the health readings
(store/queries/health.py), so every process shows the same figures for it.

`serve slack --workers N` runs N processes behind one port, and a scrape reaches any one of
them: there the counters live in prometheus-client's multiprocess files (the directory in
PROMETHEUS_MULTIPROC_DIR, which bot/slack/workers.py sets up) and every scrape adds up all
the workers'.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Sequence
from datetime import timedelta
from typing import Any

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    start_http_server,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from connectors.sync import SyncReport
from store.uow import UnitOfWork

log = logging.getLogger(__name__)
# The text format generate_latest writes, under the name every Prometheus version reads
# (prometheus-client 0.26 calls it 1.0.0, which older servers do not know).
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
FAILED_WINDOW = timedelta(days=1)  # "failed lately": the window of perfbot_outbox_failed_recent
# Chat commands answer in milliseconds; a slow one (a chart, a re-fetch) in seconds.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# prometheus-client's own switch: set before a process makes its first metric.
MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"


class Metrics:
    """Every metric perfbot exports, registered on this object's own registry."""

    def __init__(self) -> None:
        r = self.registry = CollectorRegistry()
        # What a scrape reads: this registry, or every worker's files added up.
        self.scraped = r
        if os.environ.get(MULTIPROCESS_DIR):
            self.scraped = CollectorRegistry()
            MultiProcessCollector(self.scraped)  # type: ignore[no-untyped-call]
        self.commands = Counter(
            "perfbot_commands", "Commands and button presses handled, by platform, command "
            "and outcome (ok, or not_ok: refused or invalid).",
            ["platform", "command", "outcome"], registry=r,
        )  # fmt: skip
        self.command_seconds = Histogram(
            "perfbot_command_seconds", "Time to answer a command or button press, by platform.",
            ["platform"], buckets=LATENCY_BUCKETS, registry=r,
        )  # fmt: skip
        self.deliveries = Counter(
            "perfbot_outbox_deliveries", "Notifications delivered, by platform.",
            ["platform"], registry=r,
        )  # fmt: skip
        self.delivery_failures = Counter(
            "perfbot_outbox_failures", "Notifications given up on, by platform "
            "(none: no platform could take it).", ["platform"], registry=r,
        )  # fmt: skip
        self.sync_runs = Counter(
            "perfbot_sync_runs", "Source syncs run, by source and outcome (ok, error).",
            ["source", "outcome"], registry=r,
        )  # fmt: skip
        self.sync_records = Counter(
            "perfbot_sync_records", "Source records fetched by syncs, by source.",
            ["source"], registry=r,
        )  # fmt: skip
        self.sync_errors = Counter(
            "perfbot_sync_errors", "Errors of source syncs, by source.", ["source"], registry=r
        )
        self.sweep_results = Counter(
            "perfbot_sweep_results", "At-risk sweep findings (nudge, recovered, ...) and "
            "branches skipped (skipped).", ["result"], registry=r,
        )  # fmt: skip
        self.leader = Gauge(
            "perfbot_scheduler_leader", "1 while this process leads the scheduler, else 0.",
            registry=r, multiprocess_mode="max",
        )  # fmt: skip

    def watch(self, uow: Callable[[], UnitOfWork], platforms: Sequence[str]) -> None:
        """Also export the database's figures, read at each scrape."""
        self.scraped.register(HealthCollector(uow, platforms))

    def exposition(self) -> bytes:
        """What a scrape reads, in Prometheus' text format."""
        return generate_latest(self.scraped)

    def serve(self, port: int, host: str = "0.0.0.0") -> Callable[[], None]:
        """GET /metrics on a small HTTP listener on a thread of its own (the scheduler's);
        returns what stops it and frees the port."""
        server, thread = start_http_server(port, host, registry=self.scraped)

        def stop() -> None:
            server.shutdown()
            server.server_close()
            thread.join(5)

        return stop

    def record_sync(self, report: SyncReport) -> None:
        """A sync run's summaries: runs, records fetched and errors per source."""
        for s in report.summaries:
            ok = s.complete and not s.errors
            self.sync_runs.labels(s.source, "ok" if ok else "error").inc()
            self.sync_records.labels(s.source).inc(s.fetched)
            if s.errors:
                self.sync_errors.labels(s.source).inc(len(s.errors))

    def record_sweep(self, counts: dict[str, int]) -> None:
        """A sweep's findings by kind (nudge, recovered, skipped, ...)."""
        for result, n in counts.items():
            self.sweep_results.labels(result).inc(n)

    def record_delivery(self, platform: str, sent: int, failed: int) -> None:
        """One platform's share of a dispatch batch."""
        if sent:
            self.deliveries.labels(platform).inc(sent)
        if failed:
            self.delivery_failures.labels(platform).inc(failed)


class HealthCollector(Collector):
    """The outbox's depth and oldest pending age, failures lately by platform, and each
    source's last success, from the health readings at scrape time."""

    def __init__(self, uow: Callable[[], UnitOfWork], platforms: Sequence[str]) -> None:
        self._uow, self._platforms = uow, tuple(platforms)

    def describe(self) -> list[Any]:
        return []  # nothing to check at registration: collect() reads the database

    def collect(self) -> Iterator[Any]:
        try:
            with self._uow().reading() as u:
                now = u.clock()
                box = u.health.outbox(self._platforms, now - FAILED_WINDOW)
                sources = u.health.sources()
                leader = u.health.leader()
        except Exception:  # a scrape must answer even with the database away
            log.exception("metrics: health readings failed")
            yield GaugeMetricFamily("perfbot_health_up", "1 when the database answered.", 0)
            return
        yield GaugeMetricFamily("perfbot_health_up", "1 when the database answered.", 1)
        yield GaugeMetricFamily(
            "perfbot_outbox_pending", "Notifications waiting to be delivered.", box.pending
        )
        age = (now - box.oldest_created_at).total_seconds() if box.oldest_created_at else 0.0
        yield GaugeMetricFamily(
            "perfbot_outbox_oldest_pending_seconds",
            "Age of the oldest notification still waiting (0: none), retries included.",
            max(age, 0.0),
        )
        lag = (now - box.oldest_due_at).total_seconds() if box.oldest_due_at else 0.0
        yield GaugeMetricFamily(
            "perfbot_outbox_due_lag_seconds",
            "How long the longest-waiting due notification has waited past its due time "
            "(0: none overdue); grows while no dispatcher runs.",
            max(lag, 0.0),
        )
        yield GaugeMetricFamily("perfbot_outbox_failed", "Notifications given up on.", box.failed)
        recent = GaugeMetricFamily(
            "perfbot_outbox_failed_recent",
            "Notifications given up on in the last day, by platform.",
            labels=["platform"],
        )
        for platform, n in sorted(box.failed_since.items()):
            recent.add_metric([platform], n)
        yield recent
        last = GaugeMetricFamily(
            "perfbot_sync_last_success_timestamp_seconds",
            "When each source last synced to its end (Unix time).",
            labels=["source"],
        )
        for s in sources:
            if s.last_success_at is not None:
                last.add_metric([s.source], s.last_success_at.timestamp())
        yield last
        beat = (now - leader.beat_at).total_seconds() if leader else -1.0
        yield GaugeMetricFamily(
            "perfbot_scheduler_heartbeat_age_seconds",
            "Seconds since the leading scheduler's last heartbeat (-1: never led).",
            beat,
        )
