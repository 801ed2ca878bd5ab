"""The cards praise sends: to the person, and a public post in the recognition channel."""

from __future__ import annotations

from handlers import strings as t
from handlers.actor import Actor
from handlers.cards import Card, Notice
from handlers.notify import notify
from handlers.praise.contribution import contribution_lines
from store.models import Branch, Employee, Praise, Team
from store.uow import UnitOfWork


def recognition_channel(uow: UnitOfWork, person: Employee, fallback: str | None) -> str | None:
    """The person's team channel, else their branch's, else the configured one."""
    team = uow.get(Team, person.team_id) if person.team_id else None
    branch = uow.get(Branch, person.branch_id)
    return (
        (team.recognition_channel if team else None)
        or (branch.recognition_channel if branch else None)
        or fallback
    )


def queue_praise(
    uow: UnitOfWork, row: Praise, actor: Actor, target: Employee, fallback: str | None
) -> list[Notice]:
    """Queue the DM (in the person's language) and the channel post (in their branch's),
    each once, by dedupe key, in this unit of work."""

    def tags() -> tuple[tuple[str, str], ...]:
        return ((t.PRAISE_TAGS, " ".join(f"#{x}" for x in row.tags)),) if row.tags else ()

    def dm() -> Card:
        body = (f"“{row.text}”", *contribution_lines(row.contribution))
        return Card(title=t.PRAISE_DM_TITLE.format(giver=actor.name), lines=body, fields=tags())

    def post() -> Card:
        public = (f"“{row.text}”", *contribution_lines(row.contribution, public=True))
        title = t.PRAISE_CHANNEL_TITLE.format(giver=actor.name, name=target.name)
        return Card(title=title, lines=public, fields=tags(), private=False)

    notices = [
        notify(
            uow, kind="praise", dedupe_key=f"praise:{row.id}:dm", card=dm, recipient_id=target.id
        )
    ]
    channel = recognition_channel(uow, target, fallback)
    if channel:
        branch = uow.get(Branch, target.branch_id)
        notices.append(
            notify(
                uow,
                kind="praise",
                dedupe_key=f"praise:{row.id}:channel",
                card=post,
                channel=channel,
                locale=branch.locale if branch else None,
            )
        )
    return [n for n in notices if n is not None]
