"""`perfbot audit verify | tail`: the tamper-evident audit log."""

from __future__ import annotations

import json
import sys

import click
from sqlalchemy import select

from bot.cli.common import db_option, emit, runtime
from store import audit
from store.models import AuditEvent


@click.group("audit")
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


COMMANDS = [audit_group]
