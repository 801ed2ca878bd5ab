"""What a scrape reads from the database (the health readings), on both databases: the
outbox's depth, the age of its oldest row and its due lag, recent failures by platform,
the scheduler's heartbeat."""

from __future__ import annotations

from datetime import timedelta

from store.models import Outbox
from tests.conftest import NOW
from tests.fakes.scrape import parse, value


def row(
    key: str, status: str, created_ago: timedelta, due_ago: timedelta, error: str = ""
) -> Outbox:
    return Outbox(dedupe_key=key, kind="t", payload={"title": key}, status=status, attempts=1,
                  created_at=NOW - created_ago, next_attempt_at=NOW - due_ago,
                  last_error=error or None)  # fmt: skip


def test_a_scrape_reads_the_outbox_and_the_heartbeat(runtime, clock):  # type: ignore[no-untyped-def]
    rt = runtime
    empty = parse(rt.metrics.exposition().decode())
    assert value(empty, "perfbot_outbox_pending") == 0
    assert value(empty, "perfbot_outbox_oldest_pending_seconds") == 0
    assert value(empty, "perfbot_scheduler_heartbeat_age_seconds") == -1
    with rt.uow() as uow:
        # waiting 2 h, due for the last 30 min; a retry due later; two failed today, one last week
        uow.session.add(row("a", "pending", timedelta(hours=2), timedelta(minutes=30)))
        uow.session.add(row("b", "pending", timedelta(minutes=5), -timedelta(minutes=10)))
        uow.session.add(row("c", "failed", timedelta(hours=1), timedelta(0), "telegram: blocked"))
        uow.session.add(
            row("d", "failed", timedelta(hours=1), timedelta(0), "unreachable on slack: x")
        )
        uow.session.add(row("e", "failed", timedelta(days=8), timedelta(days=7), "slack: old"))
        uow.health.beat("node-1:7", NOW - timedelta(hours=1), NOW - timedelta(seconds=42))
        uow.commit()
    got = parse(rt.metrics.exposition().decode())
    assert value(got, "perfbot_outbox_pending") == 2
    assert value(got, "perfbot_outbox_oldest_pending_seconds") == 7200
    assert value(got, "perfbot_outbox_due_lag_seconds") == 1800
    assert value(got, "perfbot_outbox_failed") == 3
    assert value(got, "perfbot_outbox_failed_recent", platform="slack") == 1
    assert value(got, "perfbot_outbox_failed_recent", platform="telegram") == 1
    assert value(got, "perfbot_scheduler_heartbeat_age_seconds") == 42
    assert value(got, "perfbot_health_up") == 1
