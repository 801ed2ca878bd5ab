"""The metrics registry on its own: one per process object, and a scrape that answers
even when the database behind the health readings is away."""

from __future__ import annotations

from bot.metrics import Metrics
from store.uow import UnitOfWork


def broken_uow() -> UnitOfWork:
    raise OSError("database gone")


def test_each_metrics_object_has_its_own_registry() -> None:
    a, b = Metrics(), Metrics()
    a.commands.labels("slack", "score", "ok").inc()
    assert b'perfbot_commands_total{command="score",outcome="ok",platform="slack"} 1.0' in (
        a.exposition()
    )
    assert b"perfbot_commands_total{" not in b.exposition()


def test_a_scrape_answers_with_the_database_away() -> None:
    m = Metrics()
    m.watch(broken_uow, ["slack"])
    text = m.exposition().decode()
    assert "perfbot_health_up 0.0" in text and "perfbot_outbox_pending" not in text
