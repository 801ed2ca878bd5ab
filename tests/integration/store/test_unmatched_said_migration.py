"""The `unmatchedsaid` migration: unmatched_record.reason_said as the model has it, rows set
aside before it keep their English reason (and no words), and a downgrade that SQLite and
PostgreSQL both take (then the upgrade again)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from tests.integration.store.migration_steps import columns, drift, migrate


def test_the_column_matches_the_model(engine):
    assert drift(engine, "reason_said") == []


def test_an_older_row_keeps_its_reason_through_a_downgrade_and_an_upgrade(engine):
    migrate(engine, "downgrade", "outboxsaid")
    assert "reason_said" not in columns(engine, "unmatched_record")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO unmatched_record (source, record_id, metric, employee_key, reason,"
                " seen_at) VALUES ('crm', 'D-1', 'sales', '104', :why, :at)"
            ),
            {"why": "no employee with external id 104", "at": datetime(2026, 12, 1, tzinfo=UTC)},
        )
    migrate(engine, "upgrade", "unmatchedsaid")
    assert "reason_said" in columns(engine, "unmatched_record")
    with engine.connect() as conn:
        row = conn.execute(text("SELECT reason, reason_said FROM unmatched_record")).one()
    assert tuple(row) == ("no employee with external id 104", None)
