"""`perfbot people deactivate|reactivate EMAIL...`: leavers and people coming back."""

from __future__ import annotations

import click

from bot.cli.common import db_option, emit, runtime
from handlers.people.leavers import UnknownPeople, deactivate_people, reactivate_people


@click.group()
def people() -> None:
    """Leavers: deactivate people (their open items pass on) or bring them back."""


@people.command("deactivate")
@click.argument("emails", nargs=-1, required=True)
@click.option("--by", "by", default="cli", help="Who is acting, for the audit log.")
@click.option("--json", "as_json", is_flag=True)
@db_option
def deactivate(emails: tuple[str, ...], by: str, as_json: bool, db: str | None) -> None:
    """Deactivate EMAILS: no command works for them from their next request, sweeps,
    ranking and reminders skip them, and their open items pass to their manager or HR."""
    rt = runtime(db)
    with rt.uow() as uow:
        try:
            left = deactivate_people(uow, emails, actor=by, scoring=rt.scoring)
        except UnknownPeople as exc:
            raise click.ClickException(f"no such employee: {', '.join(exc.missing)}") from None
        uow.commit()
    done = {d.email: d.handed for d in left}
    skipped = [e for e in emails if e.lower() not in done]

    def text() -> str:
        also = f"; already inactive: {', '.join(skipped)}" if skipped else ""
        lines = [f"deactivated {len(left)}{also}"]
        for d in left:
            lines.append(f"{d.email}:")
            lines += [f"  to {heir}: {', '.join(items)}" for heir, items in d.handed.items()]
            if not d.handed:
                lines.append("  nothing open to hand over")
        return "\n".join(lines)

    emit({"ok": True, "deactivated": done, "already_inactive": skipped}, as_json, text)


@people.command("reactivate")
@click.argument("emails", nargs=-1, required=True)
@click.option("--by", "by", default="cli", help="Who is acting, for the audit log.")
@click.option("--json", "as_json", is_flag=True)
@db_option
def reactivate(emails: tuple[str, ...], by: str, as_json: bool, db: str | None) -> None:
    """Bring EMAILS back. What was handed over stays with whoever took it over."""
    rt = runtime(db)
    with rt.uow() as uow:
        try:
            back = reactivate_people(uow, emails, actor=by)
        except UnknownPeople as exc:
            raise click.ClickException(f"no such employee: {', '.join(exc.missing)}") from None
        uow.commit()
    skipped = [e for e in emails if e.lower() not in back]
    emit(
        {"ok": True, "reactivated": back, "already_active": skipped},
        as_json,
        lambda: (
            f"reactivated {len(back)}"
            + (f"; already active: {', '.join(skipped)}" if skipped else "")
        ),
    )


COMMANDS = [people]
