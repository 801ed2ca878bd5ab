"""`perfbot db upgrade | status`: the schema."""

from __future__ import annotations

import sys

import click

from bot.cli import texts as st
from bot.cli.common import db_option, settings_for
from store.db import make_engine
from store.schema import current_and_head, upgrade


@click.group()
def db() -> None:
    """Schema migrations."""


@db.command("upgrade")
@db_option
def db_upgrade(db: str | None) -> None:
    """Create or upgrade the database schema to this version."""
    engine = make_engine(settings_for(db).database_url)
    upgrade(engine)
    revision = ", ".join(sorted(current_and_head(engine)[0]))
    click.echo(st.DB_UPGRADED.format(revision=revision))


@db.command("status")
@db_option
def db_status(db: str | None) -> None:
    """Show the schema revision of the database and of this code."""
    current, heads = current_and_head(make_engine(settings_for(db).database_url))
    shown = ", ".join(sorted(current)) or st.SCHEMA_EMPTY
    click.echo(st.DB_STATUS.format(current=shown, heads=", ".join(heads)))
    if current != heads:
        sys.exit(1)


COMMANDS = [db]
