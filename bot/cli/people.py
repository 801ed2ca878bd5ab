"""`perfbot people deactivate|reactivate EMAIL...`: leavers and people coming back."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import click

from bot.cli import click_language as cl
from bot.cli import help_texts as ht
from bot.cli import texts as st
from bot.cli.common import db_option, emit, runtime
from bot.runtime import Runtime
from handlers.people.leavers import UnknownPeople, deactivate_people, reactivate_people
from store.uow import UnitOfWork

T = TypeVar("T")


@cl.group(help=ht.PEOPLE)
def people() -> None:
    pass


def _command(name: str, help: str) -> Callable[[Callable[..., None]], click.Command]:
    """A `people NAME EMAIL...` command with --by (the audit log's actor), --json and --db."""

    def wrap(fn: Callable[..., None]) -> click.Command:
        fn = db_option(fn)
        fn = click.option("--json", "as_json", is_flag=True)(fn)
        fn = click.option("--by", "by", default="cli", help=ht.PEOPLE_BY)(fn)
        return people.command(name, help=help)(
            click.argument("emails", nargs=-1, required=True)(fn)
        )

    return wrap


def _committed(db: str | None, change: Callable[[UnitOfWork, Runtime], T]) -> T:
    """Run `change` in one unit of work and commit it; unknown e-mails end the command."""
    rt = runtime(db)
    with rt.uow() as uow:
        try:
            done = change(uow, rt)
        except UnknownPeople as exc:
            raise click.ClickException(
                st.PEOPLE_UNKNOWN.format(emails=", ".join(exc.missing))
            ) from None
        uow.commit()
    return done


@_command("deactivate", help=ht.PEOPLE_DEACTIVATE)
def deactivate(emails: tuple[str, ...], by: str, as_json: bool, db: str | None) -> None:
    left = _committed(
        db, lambda uow, rt: deactivate_people(uow, emails, actor=by, scoring=rt.scoring)
    )
    done = {d.email: d.handed for d in left}
    skipped = [e for e in emails if e.lower() not in done]

    def text() -> str:
        also = st.PEOPLE_ALREADY_INACTIVE.format(emails=", ".join(skipped)) if skipped else ""
        lines = [st.PEOPLE_DEACTIVATED.format(n=len(left), also=also)]
        for d in left:
            lines.append(st.PEOPLE_HANDOVER_OF.format(email=d.email))
            lines += [
                st.HANDED_TO.format(heir=heir, items=", ".join(items))
                for heir, items in d.handed.items()
            ]
            if not d.handed:
                lines.append(st.PEOPLE_NOTHING_OPEN)
        return "\n".join(lines)

    emit({"ok": True, "deactivated": done, "already_inactive": skipped}, as_json, text)


@_command("reactivate", help=ht.PEOPLE_REACTIVATE)
def reactivate(emails: tuple[str, ...], by: str, as_json: bool, db: str | None) -> None:
    back = _committed(db, lambda uow, _: reactivate_people(uow, emails, actor=by))
    skipped = [e for e in emails if e.lower() not in back]
    emit(
        {"ok": True, "reactivated": back, "already_active": skipped},
        as_json,
        lambda: st.PEOPLE_REACTIVATED.format(
            n=len(back),
            also=st.PEOPLE_ALREADY_ACTIVE.format(emails=", ".join(skipped)) if skipped else "",
        ),
    )


COMMANDS = [people]
