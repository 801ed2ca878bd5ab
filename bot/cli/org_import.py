"""`perfbot org import feishu|slack|telegram`: a starting org file from a chat workspace's
members."""

from __future__ import annotations

from pathlib import Path

import click

from bot.cli import click_language as cl
from bot.cli import help_texts as ht
from bot.cli import texts as st
from bot.cli.common import db_option, emit, runtime, settings_for
from bot.cli.org_yaml import render_org, todos
from bot.member_readers import READERS
from bot.members import KnownAccount, MembersError
from handlers.format import plural
from handlers.i18n import say


@cl.command("import", help=ht.ORG_IMPORT)
@click.argument("platform", type=click.Choice(sorted(READERS)))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("org.yaml"),
    show_default=True,
    help=ht.ORG_IMPORT_OUT,
)
@click.option("--force", is_flag=True, help=ht.ORG_IMPORT_FORCE)
@click.option(
    "--chat",
    "chats",
    multiple=True,
    help=ht.ORG_IMPORT_CHATS,
)
@db_option
@click.option("--json", "as_json", is_flag=True)
def org_import(
    platform: str, out: Path, force: bool, chats: tuple[str, ...], db: str | None, as_json: bool
) -> None:
    if out.exists() and not force:
        raise click.ClickException(st.IMPORT_EXISTS.format(out=out))
    rt = runtime(db)
    settings = settings_for(db)
    with rt.uow() as uow:
        known = {
            uid: KnownAccount(email, name)
            for uid, email, name in uow.people.linked_accounts(platform)
        }
        # the group chats perfbot is configured to post to are looked in too
        configured = [*uow.people.recognition_channels(), settings.recognition_channel or ""]
    chats = tuple(dict.fromkeys([*chats, *(c for c in configured if c)]))
    try:
        roster = READERS[platform].read_members(settings, chats=chats, known=known)
    except MembersError as exc:
        raise click.ClickException(say(exc)) from None
    scorecards = sorted(rt.scoring.config.scorecards)
    text = render_org(roster, out=str(out), day=rt.clock().date(), scorecards=scorecards)
    # written beside it, then renamed: an interrupted write never leaves half a file at --out
    part = out.with_name(f".{out.name}.part")
    part.write_text(text, encoding="utf-8")
    part.replace(out)
    todo = len(todos(text))
    summary = {"out": str(out), "platform": platform, "people": len(roster.members), "todo": todo}
    emit(
        {"ok": True, **summary, "notes": roster.notes},
        as_json,
        lambda: st.IMPORT_WROTE.format(
            out=out, count=len(roster.members), platform=platform, todo=plural(todo, st.TODOS)
        ),
    )
