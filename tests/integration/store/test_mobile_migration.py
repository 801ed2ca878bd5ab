"""The `mobile` migration: employee.mobile and its unique index as the model has them, and
a downgrade that SQLite and PostgreSQL both take (then the upgrade again)."""

from __future__ import annotations

from sqlalchemy import inspect

from tests.integration.store.migration_steps import columns, drift, migrate


def test_the_column_and_index_match_the_model(engine):
    assert drift(engine, "mobile") == []


def test_it_downgrades_and_upgrades_again(engine):
    migrate(engine, "downgrade", "locale")
    assert "mobile" not in columns(engine, "employee")
    migrate(engine, "upgrade", "mobile")
    assert "mobile" in columns(engine, "employee")
    indexes = inspect(engine).get_indexes("employee")
    assert any(i["name"] == "ix_employee_mobile" and i["unique"] for i in indexes)
