"""The `outboxsaid` migration: outbox.last_error_said as the model has it, and a downgrade
that SQLite and PostgreSQL both take (then the upgrade again)."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from store.models import Base
from store.schema import alembic_config


def _migrate(engine: Engine, step: str, revision: str) -> None:
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        getattr(command, step)(cfg, revision)


def _columns(engine: Engine) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns("outbox")}


def test_the_column_matches_the_model(engine):
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [d for d in diff if "last_error_said" in repr(d)] == []


def test_it_downgrades_and_upgrades_again(engine):
    _migrate(engine, "downgrade", "mobile")
    assert "last_error_said" not in _columns(engine)
    _migrate(engine, "upgrade", "outboxsaid")
    assert "last_error_said" in _columns(engine)
