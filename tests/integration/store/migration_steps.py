"""Steps the migration tests take: run alembic to a revision, read a table's columns, and
what still differs between the migrated schema and the models."""

from __future__ import annotations

from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from store.models import Base
from store.schema import alembic_config


def migrate(engine: Engine, step: str, revision: str) -> None:
    """`step` ("upgrade" or "downgrade") the database to `revision`."""
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        getattr(command, step)(cfg, revision)


def columns(engine: Engine, table: str) -> set[str]:
    """The names of a table's columns as the database has them."""
    return {c["name"] for c in inspect(engine).get_columns(table)}


def drift(engine: Engine, name: str) -> list[Any]:
    """The differences between the database and the models that mention `name`."""
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    return [d for d in diff if name in repr(d)]
