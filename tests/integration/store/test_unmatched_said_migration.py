"""The `unmatchedsaid` migration: unmatched_record.reason_said as the model has it, rows set
aside before it keep their English reason (and no words), and a downgrade that SQLite and
PostgreSQL both take (then the upgrade again)."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from store.models import Base
from store.schema import alembic_config


def _migrate(engine: Engine, step: str, revision: str) -> None:
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        getattr(command, step)(cfg, revision)


def _columns(engine: Engine) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns("unmatched_record")}


def test_the_column_matches_the_model(engine):
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [d for d in diff if "reason_said" in repr(d)] == []


def test_an_older_row_keeps_its_reason_through_a_downgrade_and_an_upgrade(engine):
    _migrate(engine, "downgrade", "mobile")
    assert "reason_said" not in _columns(engine)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO unmatched_record (source, record_id, metric, employee_key, reason,"
                " seen_at) VALUES ('crm', 'D-1', 'sales', '104', :why, :at)"
            ),
            {"why": "no employee with external id 104", "at": datetime(2026, 12, 1, tzinfo=UTC)},
        )
    _migrate(engine, "upgrade", "unmatchedsaid")
    assert "reason_said" in _columns(engine)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT reason, reason_said FROM unmatched_record")).one()
    assert tuple(row) == ("no employee with external id 104", None)
