"""`perfbot`: the operator's command line (also `python -m bot`)."""

from __future__ import annotations

import importlib
import json
import logging
import sys
from collections.abc import Callable
from typing import Any

import click
from pydantic import ValidationError
from sqlalchemy import select

from bot.bootstrap import Runtime, build
from bot.config import Settings
from store import audit
from store.db import make_engine
from store.models import AuditEvent
from store.schema import SchemaBehind, current_and_head, upgrade

DB_HELP = "Database URL (default: $DATABASE_URL or sqlite:///perfbot.db)."


def db_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Every command takes --db; it overrides DATABASE_URL."""
    return click.option("--db", "db", envvar="DATABASE_URL", default=None, help=DB_HELP)(fn)


def settings_for(db: str | None) -> Settings:
    """Settings from the environment, with --db applied; a bad variable exits with its name."""
    try:
        s = Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'settings'}: {e['msg']}" for e in exc.errors()
        )
        raise click.ClickException(f"bad configuration: {problems}") from None
    return s.model_copy(update={"database_url": db}) if db else s


def runtime(db: str | None, **kwargs: Any) -> Runtime:
    """Build the runtime or exit with the reason (e.g. a schema that is behind)."""
    try:
        return build(settings_for(db), **kwargs)
    except SchemaBehind as exc:
        raise click.ClickException(str(exc)) from None


def emit(data: Any, as_json: bool, text: Callable[[], str]) -> None:
    """Print JSON for scripts or text for people."""
    click.echo(json.dumps(data, default=str, ensure_ascii=False, indent=2) if as_json else text())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """perfbot: performance management inside Slack and Telegram."""


@main.group()
def db() -> None:
    """Schema migrations."""


@db.command("upgrade")
@db_option
def db_upgrade(db: str | None) -> None:
    """Create or upgrade the database schema to this version."""
    engine = make_engine(settings_for(db).database_url)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    upgrade(engine)
    click.echo(f"schema at {', '.join(sorted(current_and_head(engine)[0]))}")


@db.command("status")
@db_option
def db_status(db: str | None) -> None:
    """Show the schema revision of the database and of this code."""
    current, heads = current_and_head(make_engine(settings_for(db).database_url))
    click.echo(f"database: {', '.join(sorted(current)) or 'empty'}; code: {', '.join(heads)}")
    if current != heads:
        sys.exit(1)


@main.group("audit")
def audit_group() -> None:
    """The tamper-evident audit log."""


@audit_group.command("verify")
@db_option
@click.option("--json", "as_json", is_flag=True)
def audit_verify(db: str | None, as_json: bool) -> None:
    """Walk the hash chain; exit 1 naming the first event that was edited or removed."""
    rt = runtime(db)
    with rt.uow() as uow:
        report = audit.verify(uow.session)
    ok = report.first_bad_id is None
    emit(
        {
            "ok": ok,
            "checked": report.checked,
            "first_bad_event": report.first_bad_id,
            "problem": report.problem,
        },
        as_json,
        lambda: (
            f"audit chain intact: {report.checked} events"
            if ok
            else f"audit chain BROKEN at event {report.first_bad_id}: {report.problem} "
            f"({report.checked} events before it are intact)"
        ),
    )
    if not ok:
        sys.exit(1)


@audit_group.command("tail")
@db_option
@click.option("-n", "count", default=20, show_default=True, help="How many events.")
@click.option("--json", "as_json", is_flag=True)
def audit_tail(db: str | None, count: int, as_json: bool) -> None:
    """Show the most recent audit events."""
    rt = runtime(db)
    with rt.uow() as uow:
        rows = uow.session.scalars(
            select(AuditEvent).order_by(AuditEvent.id.desc()).limit(count)
        ).all()
        data = [
            {
                "id": r.id,
                "at": r.at.isoformat(),
                "actor": r.actor,
                "action": r.action,
                "entity": r.entity,
                "entity_id": r.entity_id,
                "before": r.before,
                "after": r.after,
            }
            for r in reversed(rows)
        ]
    emit(
        data,
        as_json,
        lambda: (
            "\n".join(
                f"{d['id']:>6} {str(d['at'])[:19]} {d['actor']:<28} {d['action']:<18} "
                f"{d['entity']}#{d['entity_id']} {json.dumps(d['after'], ensure_ascii=False)[:80]}"
                for d in data
            )
            or "no events"
        ),
    )


# Each operator area is a module with a COMMANDS list; one name per line keeps merges easy.
COMMAND_MODULES = (
    "cli_console",
    "cli_goals",
    "cli_import",
    "cli_ingest",
    "cli_org",
    "cli_outbox",
    "cli_period",
    "cli_report",
    "cli_scheduler",
    "cli_scores",
    "cli_serve",
    "cli_sweep",
    "cli_sync",
    "cli_telegram",
)


def _register() -> None:
    for name in COMMAND_MODULES:
        for cmd in importlib.import_module(f"bot.{name}").COMMANDS:
            main.add_command(cmd)


_register()
