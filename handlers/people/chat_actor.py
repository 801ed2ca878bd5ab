"""Who is writing: the linked employee of a chat account, keeping its contact details fresh."""

from __future__ import annotations

from collections.abc import Callable

from handlers.actor import Actor
from handlers.i18n import normalize
from handlers.identity import ChatAccount, actor_by_identity, actor_for, link_identity
from store.uow import UnitOfWork


def actor_for_chat(uow: UnitOfWork, account: ChatAccount) -> Actor | None:
    """The active employee linked to this account, or None. A changed username or a newly
    known private chat is saved (audited), so @mentions resolve and notices can reach them;
    so is the language the platform reports, so replies and notices use it; writing in
    private clears an earlier "unreachable" mark."""
    a = account
    with uow:
        row = uow.people.linked_account(a.platform, a.user_id)
        if row is None:
            return None
        person, ident = row
        changes: dict[str, str | None] = {}
        if a.username and a.username != ident.username:
            changes["username"] = a.username
        if a.dm_channel and a.dm_channel != ident.dm_channel:
            changes["dm_channel"] = a.dm_channel
        if a.language is not None and normalize(a.language) != ident.locale:
            changes["locale"] = normalize(a.language)
        if a.dm_channel and person.unreachable_since is not None:
            # They wrote to the bot in private: notices can reach them again.
            uow.audit_row(
                person,
                a.who,
                "employee.reachable",
                before={"unreachable_since": person.unreachable_since.isoformat()},
            )
            person.unreachable_since = None
            uow.commit()
        if changes:
            before = {k: getattr(ident, k) for k in changes}
            for key, value in changes.items():
                setattr(ident, key, value)
            uow.audit_row(ident, a.who, "identity.update", before=before, after=changes)
            uow.commit()
        return actor_for(person, a.platform, uow.org.locale_of(person.id))


def stranger_locale(uow: UnitOfWork, platform_says: str | None = None) -> str | None:
    """The language for someone perfbot doesn't know yet: what their platform says, else
    the headquarters' from the org file (some platforms name none), else English."""
    said = normalize(platform_says)
    if said:
        return said
    with uow:
        return uow.org.company_locale()


def link_on_first_contact(
    uow: UnitOfWork, account: ChatAccount, find: Callable[[UnitOfWork], Actor | None]
) -> Actor | None:
    """Link an unlinked chat account to the employee `find` names (by the e-mail or mobile
    the platform shares), if any. Two first messages racing to link it are fine: one wins."""
    with uow:
        actor = find(uow)
        if actor is None:
            return None
        link_identity(uow, account, actor.employee_id)
        uow.commit_unless_raced()
        return actor_by_identity(uow, account.platform, account.user_id) or actor
