"""`perfbot link-code EMAIL`: a single-use code that links a Telegram account."""

from __future__ import annotations

from datetime import timedelta

import click

from bot.cli import click_language as cl
from bot.cli import help_texts as ht
from bot.cli import texts as st
from bot.cli.common import db_option, emit, runtime
from handlers import strings as t
from handlers.identity import actor_by_email
from handlers.people.link_codes import code_card, issue_code
from handlers.permissions import can_link
from store.models import Employee


@cl.command("link-code", help=ht.LINK_CODE)
@click.argument("email")
@click.option("--hours", default=72, show_default=True, type=click.IntRange(1, 24 * 30))
@click.option("--bot", "bot_username", help=ht.LINK_CODE_BOT_USERNAME)
@click.option("--by", "by_email", help=ht.LINK_CODE_BY_EMAIL)
@click.option("--json", "as_json", is_flag=True)
@db_option
def link_code(
    email: str,
    hours: int,
    bot_username: str | None,
    by_email: str | None,
    as_json: bool,
    db: str | None,
) -> None:
    rt = runtime(db)
    with rt.uow() as uow:
        person = actor_by_email(uow, email)
        if person is None:
            raise click.ClickException(st.LINK_NO_EMPLOYEE.format(email=email))
        by = "cli"
        row = uow.get(Employee, person.employee_id)
        assert row is not None
        if by_email:
            issuer = actor_by_email(uow, by_email)
            if issuer is None or not can_link(uow, issuer, row):
                why = t.LINK_CODE_NOT_ALLOWED
                raise click.ClickException(
                    st.LINK_NOT_ALLOWED.format(by=by_email, email=email, why=why)
                )
            by = issuer.email
        issued = issue_code(uow, row, created_by=by, ttl=timedelta(hours=hours))
        uow.commit()
    links = (
        {"telegram": f"https://t.me/{bot_username.lstrip('@')}?start={{code}}"}
        if bot_username
        else {}
    )
    card = code_card(issued, links)
    emit(
        {
            "email": issued.email,
            "code": issued.code,
            "expires_at": issued.expires_at.isoformat(),
            "start": f"/start {issued.code}",
            "link": links["telegram"].format(code=issued.code) if links else None,
        },
        as_json,
        lambda: "\n".join((card.title, *card.lines)),
    )


COMMANDS = [link_code]
