"""`perfbot outbox`: list notifications, re-queue failed ones, deliver what is due."""

from __future__ import annotations

import dataclasses
from typing import Any

import click

from bot.cli import click_language as cl
from bot.cli import help_texts as ht
from bot.cli import texts as st
from bot.cli.common import db_option, emit, runtime
from bot.cli.table import table
from bot.outbox_dispatcher import OutboxDispatcher
from bot.platforms import build_deliverers
from bot.policy import dispatch_policy
from handlers.i18n import say
from said import from_data
from store.models import Outbox
from store.uow import UnitOfWork

STATUSES = ("pending", "sent", "failed")


def _row(r: Outbox, names: dict[int, str]) -> dict[str, object]:
    return {
        "id": r.id,
        "status": r.status,
        "kind": r.kind,
        "dedupe_key": r.dedupe_key,
        "recipient_id": r.recipient_id,
        "recipient": names.get(r.recipient_id) if r.recipient_id else None,
        "channel": r.channel,
        "title": (r.payload or {}).get("title"),
        "attempts": r.attempts,
        "next_attempt_at": r.next_attempt_at.isoformat(),
        "sent_at": r.sent_at.isoformat() if r.sent_at else None,
        "last_error": _last_error(r),
        "platform_ref": r.platform_ref,
    }


def _last_error(r: Outbox) -> str | None:
    """Why the row last failed: the words the dispatcher kept, to be said in the operator's
    language, while they still read as the English stored (else that English)."""
    said = from_data(r.last_error_said)
    return said if said is not None and said[:2000] == r.last_error else r.last_error


def _names(uow: UnitOfWork, rows: list[Outbox]) -> dict[int, str]:
    """The recipients' names, so people read "Chen Jing", not "employee 5"."""
    ids = {r.recipient_id for r in rows if r.recipient_id}
    return {i: e.name for i, e in uow.org.employees_by_id(ids).items()} if ids else {}


def _text(data: list[dict[str, Any]]) -> str:
    """A table: id, status, tries, when (sent, or next try), kind, recipient, title; a
    failed row's last error under it."""
    if not data:
        return st.OUTBOX_NONE
    rows = []
    for d in data:
        when = d["sent_at"] if d["status"] == "sent" else d["next_attempt_at"]
        to = (
            d["recipient"] or f"#{d['recipient_id']}"
            if d["recipient_id"]
            else st.OUTBOX_CHANNEL.format(channel=d["channel"])
            if d["channel"]
            else None
        )
        rows.append((d["id"], d["status"], d["attempts"], str(when)[:16].replace("T", " "),
                     d["kind"], to, str(d["title"] or "")[:60]))  # fmt: skip
    lines = table(st.OUTBOX_HEADERS, rows, right={0, 2}).splitlines()
    out = lines[:1]
    for d, line in zip(data, lines[1:], strict=True):
        out.append(line)
        if d["last_error"]:
            out.append(f"{'':>8}! {say(d['last_error'])}")
    return "\n".join(out)


@cl.group("outbox", invoke_without_command=True, help=ht.OUTBOX)
@click.option("--status", type=click.Choice(STATUSES), help=ht.OUTBOX_STATUS)
@click.option("-n", "limit", default=50, show_default=True, help=ht.OUTBOX_LIMIT)
@click.option("--json", "as_json", is_flag=True)
@db_option
@click.pass_context
def outbox_group(
    ctx: click.Context, status: str | None, limit: int, as_json: bool, db: str | None
) -> None:
    if ctx.invoked_subcommand is not None:
        return
    rt = runtime(db)
    with rt.uow() as uow:
        rows = uow.operator.outbox_rows(status, limit)
        names = _names(uow, rows)
        data = [_row(r, names) for r in rows]
    emit(data, as_json, lambda: _text(data))


@outbox_group.command("retry", help=ht.OUTBOX_RETRY)
@click.argument("row_id", type=int)
@db_option
def outbox_retry(row_id: int, db: str | None) -> None:
    rt = runtime(db)
    with rt.uow() as uow:
        existing = uow.get(Outbox, row_id)
        if existing is None:
            raise click.ClickException(st.OUTBOX_NO_ROW.format(id=row_id))
        before = {"status": existing.status, "attempts": existing.attempts}
        row = uow.operator.requeue(row_id, uow.clock())
        if row is None:
            raise click.ClickException(
                st.OUTBOX_NOT_FAILED.format(id=row_id, status=before["status"])
            )
        uow.audit(
            actor="cli",
            action="outbox.retry",
            entity="outbox",
            entity_id=row_id,
            before={**before, "last_error": row.last_error},
            after={"status": "pending", "attempts": 0},
        )
        uow.commit()
    click.echo(st.OUTBOX_REQUEUED.format(id=row_id))


@outbox_group.command("drain", help=ht.OUTBOX_DRAIN)
@click.option("--console/--no-console", default=None, help=ht.OUTBOX_DRAIN_CONSOLE)
@click.option("--json", "as_json", is_flag=True)
@db_option
def outbox_drain(console: bool | None, as_json: bool, db: str | None) -> None:
    rt = runtime(db)
    deliverers = build_deliverers(rt.settings, rt.uow, console=console)
    stats = OutboxDispatcher(rt.uow, deliverers, dispatch_policy(rt.settings)).run_sync()
    data = dataclasses.asdict(stats)
    emit(data, as_json, lambda: _drained(data))


def _drained(data: dict[str, int]) -> str:
    """`claimed 2, sent 2`: each count of a drain that isn't zero, with its name."""
    names = st.OUTBOX_DRAIN_COUNTS
    said = [st.OUTBOX_DRAINED.format(what=names.get(k, k), n=v) for k, v in data.items() if v]
    return st.OUTBOX_DRAIN_SEP.join(said) or st.OUTBOX_NOTHING_DUE


COMMANDS = [outbox_group]
