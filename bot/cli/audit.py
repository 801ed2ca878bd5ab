"""`perfbot audit verify | tail`: the tamper-evident audit log."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from bot import audit_job
from bot.cli import click_language as cl
from bot.cli import help_texts as ht
from bot.cli import texts as st
from bot.cli.common import db_option, emit, runtime
from bot.cli.table import table
from bot.runtime import Runtime
from handlers.i18n import say
from store import audit, audit_anchor

F = TypeVar("F", bound=Callable[..., Any])


@cl.group("audit", help=ht.AUDIT)
def audit_group() -> None:
    pass


def _anchors(rt: Runtime, given: Path | None) -> Path | None:
    return given or rt.settings.audit.anchor_file


def _anchors_command(name: str, help: str, anchors: str) -> Callable[[F], click.Command]:
    """An `audit NAME` command with `--anchors FILE` (overrides PERFBOT_AUDIT_ANCHOR_FILE),
    --db and --json."""

    def wrap(fn: F) -> click.Command:
        fn = click.option("--json", "as_json", is_flag=True)(fn)
        path = click.Path(dir_okay=False, path_type=Path)
        fn = click.option("--anchors", type=path, help=anchors)(fn)
        return audit_group.command(name, help=help)(db_option(fn))

    return wrap


@_anchors_command("verify", ht.AUDIT_VERIFY, ht.AUDIT_VERIFY_ANCHORS)
def audit_verify(db: str | None, anchors: Path | None, as_json: bool) -> None:
    rt = runtime(db)
    key, path = rt.settings.audit.key_bytes(), _anchors(rt, anchors)
    try:
        anchor = audit_anchor.latest(path, key) if path else None
    except audit_anchor.AnchorError as exc:
        raise click.ClickException(say(exc)) from None
    with rt.uow() as uow:
        report = uow.operator.verify_audit(key)
        lost = uow.operator.lost_since(anchor) if anchor else ""
    ok = report.first_bad_id is None and not lost
    notes = [] if key else [st.AUDIT_NO_KEY]
    notes += [] if anchor else [st.AUDIT_NO_ANCHOR]
    emit(
        {
            "ok": ok,
            "checked": report.checked,
            "first_bad_event": report.first_bad_id,
            "problem": report.problem or lost,
            "erased": report.erased,
            "anchor": vars(anchor) if anchor else None,
            "warnings": notes,
        },
        as_json,
        lambda: _verdict(report, lost, anchor, notes),
    )
    if not ok:
        sys.exit(1)


def _verdict(
    report: audit.ChainReport, lost: str, anchor: audit_anchor.Anchor | None, notes: list[str]
) -> str:
    if report.first_bad_id is not None:
        head = st.AUDIT_BROKEN_AT.format(
            event=report.first_bad_id, problem=say(report.problem), checked=report.checked
        )
    elif lost:
        head = st.AUDIT_BROKEN.format(problem=say(lost))
    else:
        head = st.AUDIT_INTACT.format(checked=report.checked) + (
            st.AUDIT_ERASED.format(erased=report.erased) if report.erased else ""
        )
        head += st.AUDIT_HEAD_ANCHORED.format(at=anchor.at) if anchor else ""
    return "\n".join([head, *(st.WARNING.format(note=n) for n in notes)])


@_anchors_command("anchor", ht.AUDIT_ANCHOR, ht.AUDIT_ANCHOR_ANCHORS)
def audit_anchor_cmd(db: str | None, anchors: Path | None, as_json: bool) -> None:
    rt = runtime(db)
    path = _anchors(rt, anchors)
    if path is None:
        raise click.ClickException(st.AUDIT_NO_ANCHOR_FILE)
    written = audit_job.anchor(rt, path)
    if written is None:
        raise click.ClickException(st.AUDIT_CHAIN_BROKEN)
    emit(
        vars(written),
        as_json,
        lambda: st.AUDIT_ANCHORED.format(count=written.count, last_id=written.last_id, path=path),
    )


@audit_group.command("tail", help=ht.AUDIT_TAIL)
@db_option
@click.option("-n", "count", default=20, show_default=True, help=ht.AUDIT_TAIL_COUNT)
@click.option("--json", "as_json", is_flag=True)
def audit_tail(db: str | None, count: int, as_json: bool) -> None:
    rt = runtime(db)
    with rt.uow() as uow:
        rows = uow.operator.audit_tail(count)
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
            for r in rows
        ]
    emit(
        data,
        as_json,
        lambda: (
            table(
                st.AUDIT_HEADERS,
                [
                    (
                        d["id"],
                        str(d["at"])[:19].replace("T", " "),
                        d["actor"],
                        d["action"],
                        f"{d['entity']}#{d['entity_id'] or ''}",
                        json.dumps(d["after"], ensure_ascii=False)[:80],
                    )
                    for d in data
                ],
                right={0},
            )
            if data
            else st.AUDIT_NO_EVENTS
        ),
    )


COMMANDS = [audit_group]
