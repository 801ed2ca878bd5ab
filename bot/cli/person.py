"""`perfbot person export | erase`: one person's data rights (GDPR Art. 15/17/20, PIPL)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import click

from bot.cli import click_language as cl
from bot.cli import help_texts as ht
from bot.cli import texts as st
from bot.cli.common import db_option, emit, runtime
from handlers.format import plural
from store.models import Employee
from store.person_data import Person
from store.person_erase import erase_person
from store.uow import UnitOfWork


@cl.group("person", help=ht.PERSON)
def person_group() -> None:
    pass


def _cell(value: Any) -> Any:
    """A CSV cell: JSON documents as JSON text, None as empty."""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return "" if value is None else value


@person_group.command("export", help=ht.PERSON_EXPORT)
@click.argument("email")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help=ht.PERSON_EXPORT_OUT,
)
@db_option
@click.option("--json", "as_json", is_flag=True)
def person_export(email: str, out: Path, db: str | None, as_json: bool) -> None:
    rt = runtime(db)
    with rt.uow() as uow:
        who = _known(uow, email)
        found = uow.operator.personal_rows(who)
        tables = {name: (columns, rows) for name, columns, rows in found}
    out.mkdir(parents=True, exist_ok=True)
    doc = {
        "person": {"id": who.id, "email": who.email, "name": who.name},
        "exported_at": rt.clock().isoformat(),
        "tables": {name: rows for name, (_, rows) in tables.items()},
    }
    (out / "person.json").write_text(
        json.dumps(doc, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
    )
    for name, (columns, rows) in tables.items():
        with (out / f"{name}.csv").open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=columns)
            writer.writeheader()
            writer.writerows({k: _cell(v) for k, v in r.items()} for r in rows)
    counts = {name: len(rows) for name, (_, rows) in tables.items()}
    emit(
        {"ok": True, "person": who.email, "out": str(out), "rows": counts},
        as_json,
        lambda: st.PERSON_EXPORTED.format(
            rows=sum(counts.values()), email=who.email, tables=len(counts), out=out
        ),
    )


@person_group.command("erase", help=ht.PERSON_ERASE)
@click.argument("email")
@click.option("--yes", is_flag=True, help=ht.PERSON_ERASE_YES)
@click.option("--force", is_flag=True, help=ht.PERSON_ERASE_FORCE)
@db_option
@click.option("--json", "as_json", is_flag=True)
def person_erase(email: str, yes: bool, force: bool, db: str | None, as_json: bool) -> None:
    rt = runtime(db)
    with rt.uow() as uow:
        who = _known(uow, email)
        row = uow.get(Employee, who.id)
        if row is not None and row.active and not force:
            raise click.ClickException(st.PERSON_ACTIVE.format(email=who.email))
        if not yes and not click.confirm(
            st.PERSON_ERASE_ASK.format(name=who.name, email=who.email),
            default=False,
        ):
            raise click.ClickException(st.PERSON_NOTHING_ERASED)
        done = erase_person(uow, who, actor="cli")
        uow.commit()
    rows = {k: v for k, v in sorted(done.rows.items()) if v}
    warnings = (
        [st.PERSON_IN_ENTITY_ID.format(events=plural(done.named_in_entity, st.AUDIT_EVENTS))]
        if done.named_in_entity
        else []
    )
    if done.kept_events:
        warnings.append(
            st.PERSON_KEPT_EVENTS.format(events=plural(done.kept_events, st.AUDIT_EVENTS))
        )
    changed = ", ".join(f"{k} {v}" for k, v in rows.items()) or st.NONE
    erased = st.PERSON_ERASED.format(
        email=who.email, pseudonym=done.pseudonym, rows=changed,
        events=plural(len(done.events), st.AUDIT_EVENTS),
    )  # fmt: skip
    emit(
        {
            "ok": True,
            "pseudonym": done.pseudonym,
            "rows": rows,
            "audit_events": done.events,
            "warnings": warnings,
        },
        as_json,
        lambda: "\n".join([erased, *(st.WARNING.format(note=w) for w in warnings)]),
    )


def _known(uow: UnitOfWork, email: str) -> Person:
    """The person with this e-mail; the command's one-line error when there is none."""
    who = uow.operator.person(email)
    if who is None:
        raise click.ClickException(st.PERSON_UNKNOWN.format(email=email))
    return who


COMMANDS = [person_group]
