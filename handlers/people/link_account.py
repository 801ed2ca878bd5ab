"""`/start CODE`: redeem a link code for this chat account; wrong, used and expired codes
all look alike, and repeated failures from one account are throttled."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from handlers import strings as t
from handlers.actor import Actor
from handlers.cards import Card, Reply
from handlers.format import plural
from handlers.i18n import current, speaking
from handlers.identity import ChatAccount, link_identity
from handlers.people.link_codes import code_hash
from store.models import Employee
from store.uow import UnitOfWork

MAX_FAILURES = 5  # wrong codes per account within FAILURE_WINDOW before it must wait
FAILURE_WINDOW = timedelta(minutes=15)
FAILED = "identity.link_failed"


def link_account(
    code: str,
    *,
    uow: UnitOfWork,
    user_id: str,
    username: str | None,
    dm_channel: str | None,
    platform: str,
) -> Reply:
    """`/start CODE`: link this chat account if the code is good; every refusal looks alike."""
    who = f"{platform}:{user_id}"
    with uow:
        now = uow.clock()
        wait = _wait_minutes(uow, who, now)
        if wait:
            text = t.LINK_THROTTLED.format(minutes=plural(wait, t.MINUTES))
            return Reply.say(t.LINK_REFUSED_TITLE, text, ok=False)
        # Claiming is one conditional UPDATE, so two racing redeemers can't both win.
        claimed = uow.people.claim_link_code(code_hash(code), now)
        person = uow.get(Employee, claimed) if claimed is not None else None
        if person is None or not person.active:
            uow.rollback()  # an inactive person's code stays unused
            uow.audit(actor=who, action=FAILED, entity="link_code", after={"username": username})
            uow.commit()
            return Reply.say(t.LINK_REFUSED_TITLE, t.LINK_REFUSED, ok=False)
        _forget_other_accounts(uow, platform, user_id, person.id)
        link_identity(uow, ChatAccount(platform, user_id, username, dm_channel), person.id)
        uow.commit()
        # Now known: told in their own language when the org file gives one.
        with speaking(person.locale or current()):
            title = t.LINK_DONE_TITLE.format(name=person.name)
            return Reply.say(title, t.LINK_DONE.format(email=person.email))


def _forget_other_accounts(uow: UnitOfWork, platform: str, user_id: str, employee_id: int) -> None:
    """A person re-linking (a new phone number) stops being reached at their old account."""
    old = uow.people.other_accounts(platform, employee_id, user_id)
    if not old:
        return
    uow.people.forget_accounts(platform, old)
    uow.audit(
        actor=f"{platform}:{user_id}",
        action="identity.unlink",
        entity="employee",
        entity_id=employee_id,
        before={"accounts": list(old)},
    )


def _wait_minutes(uow: UnitOfWork, who: str, now: datetime) -> int:
    """Minutes until `who` may try again (0: now). Counted from the audit log, so a
    restart forgets nothing."""
    since = now - FAILURE_WINDOW
    recent = uow.people.recent_events(who, FAILED, since, MAX_FAILURES)
    if len(recent) < MAX_FAILURES:
        return 0
    free_at = recent[-1] + FAILURE_WINDOW
    return max(1, math.ceil((free_at - now).total_seconds() / 60))


def unlinked_reply() -> Reply:
    """What someone who isn't linked yet is told."""
    return Reply(cards=(Card(title=t.UNLINKED_TITLE, lines=(t.UNLINKED_WHY, t.UNLINKED_HOW)),))


def welcome(actor: Actor) -> Reply:
    """A plain /start from someone already linked."""
    return Reply.say(t.WELCOME_TITLE.format(name=actor.name), t.WELCOME.format(email=actor.email))
