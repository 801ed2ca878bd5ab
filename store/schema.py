"""Schema versions: upgrade any database, and refuse to run on one that is behind."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from said import Said
from store import strings as ss

MIGRATIONS = Path(__file__).parent / "migrations"


class SchemaBehind(RuntimeError):
    """The database's schema is older than this code (or missing)."""


def alembic_config(engine: Engine) -> Config:
    """An Alembic config pointing at perfbot's migrations, bound to `engine`."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(rev)s_%%(slug)s")
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema to `revision`."""
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def current_and_head(engine: Engine) -> tuple[set[str], set[str]]:
    """The database's revisions and the code's heads."""
    heads = set(ScriptDirectory.from_config(alembic_config(engine)).get_heads())
    with engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    return current, heads


def ensure_current(engine: Engine) -> None:
    """Raise SchemaBehind, naming the command to run, unless the schema is at head."""
    current, heads = current_and_head(engine)
    if current != heads:
        needed = ", ".join(sorted(heads))
        if not current:
            raise SchemaBehind(Said(ss.SCHEMA_EMPTY, heads=needed))
        raise SchemaBehind(Said(ss.SCHEMA_BEHIND, current=", ".join(sorted(current)), heads=needed))
