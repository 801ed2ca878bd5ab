"""The `outboxsaid` migration: outbox.last_error_said as the model has it, and a downgrade
that SQLite and PostgreSQL both take (then the upgrade again)."""

from __future__ import annotations

from tests.integration.store.migration_steps import columns, drift, migrate


def test_the_column_matches_the_model(engine):
    assert drift(engine, "last_error_said") == []


def test_it_downgrades_and_upgrades_again(engine):
    migrate(engine, "downgrade", "mobile")
    assert "last_error_said" not in columns(engine, "outbox")
    migrate(engine, "upgrade", "outboxsaid")
    assert "last_error_said" in columns(engine, "outbox")
