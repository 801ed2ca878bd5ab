"""`perfbot db upgrade | status`: the schema."""

from __future__ import annotations

import sys

import click

from bot.cli import click_language as cl
from bot.cli import help_texts as ht
from bot.cli import texts as st
from bot.cli.common import db_option, settings_for
from store.db import make_engine
from store.schema import current_and_head, upgrade


@cl.group(help=ht.DB)
def db() -> None:
    pass


@db.command("upgrade", help=ht.DB_UPGRADE)
@db_option
def db_upgrade(db: str | None) -> None:
    engine = make_engine(settings_for(db).database_url)
    upgrade(engine)
    revision = ", ".join(sorted(current_and_head(engine)[0]))
    click.echo(st.DB_UPGRADED.format(revision=revision))


@db.command("status", help=ht.DB_STATUS)
@db_option
def db_status(db: str | None) -> None:
    current, heads = current_and_head(make_engine(settings_for(db).database_url))
    shown = ", ".join(sorted(current)) or st.SCHEMA_EMPTY
    click.echo(st.DB_STATUS.format(current=shown, heads=", ".join(heads)))
    if current != heads:
        sys.exit(1)


COMMANDS = [db]
