"""Single-use codes that link a chat account (Telegram has no e-mail) to an employee."""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from handlers import strings_en as t
from handlers.actor import Actor
from handlers.cards import Card, Reply
from handlers.commands import LinkCode as LinkCodeCmd
from handlers.identity import find_person, link_identity
from handlers.permissions import can_link, deny
from store.models import AuditEvent, ChatIdentity, Employee, LinkCode
from store.uow import UnitOfWork

# No 0/O or 1/I/L to misread; 32 symbols x 12 = 60 bits, typed in any case.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
CODE_TTL = timedelta(hours=72)
MAX_FAILURES = 5  # wrong codes per account within FAILURE_WINDOW before it must wait
FAILURE_WINDOW = timedelta(minutes=15)
FAILED = "identity.link_failed"


@dataclass(frozen=True)
class IssuedCode:
    """A code as handed out: shown once, only its hash is stored."""

    code: str
    expires_at: datetime
    employee_id: int
    name: str
    email: str


def code_hash(code: str) -> str:
    """What is stored and looked up: SHA-256 of the code, case-folded."""
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def issue_code(
    uow: UnitOfWork, person: Employee, *, created_by: str, ttl: timedelta = CODE_TTL
) -> IssuedCode:
    """A fresh code for `person` (their older unused codes stop working); the caller commits."""
    now = uow.clock()
    uow.session.execute(
        update(LinkCode)
        .where(LinkCode.employee_id == person.id, LinkCode.used_at.is_(None))
        .where(LinkCode.expires_at > now)
        .values(expires_at=now)
        .execution_options(synchronize_session=False)
    )
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    row = LinkCode(
        code_hash=code_hash(code),
        employee_id=person.id,
        created_by=created_by,
        expires_at=now + ttl,
    )
    uow.session.add(row)
    uow.session.flush()
    uow.audit(
        actor=created_by,
        action="link_code.issue",
        entity="link_code",
        entity_id=row.id,
        after={"employee_id": person.id, "expires_at": row.expires_at.isoformat()},
    )
    return IssuedCode(code, row.expires_at, person.id, person.name, person.email)


def code_card(issued: IssuedCode, start_links: Mapping[str, str]) -> Card:
    """The code with how to use it (and a deep link per platform that has one)."""
    expires = issued.expires_at.strftime("%Y-%m-%d %H:%M")
    lines = [
        t.LINK_CODE_LINE.format(code=issued.code, expires=expires),
        t.LINK_CODE_HOW.format(name=issued.name, code=issued.code),
    ]
    lines += [
        t.LINK_CODE_DEEP.format(link=link.format(code=issued.code)) for link in start_links.values()
    ]
    return Card(title=t.LINK_CODE_TITLE.format(name=issued.name), lines=tuple(lines), private=True)


def request_link_code(
    cmd: LinkCodeCmd, *, uow: UnitOfWork, actor: Actor, start_links: Mapping[str, str]
) -> Reply:
    """`/linkcode EMAIL` in chat: HR (their branch) or an admin gets a code for someone."""
    with uow:
        person = find_person(uow, cmd.who)
        if person is None:
            text = t.UNKNOWN_PERSON.format(who=cmd.who.value)
            return Reply.say(t.UNKNOWN_PERSON_TITLE, text, ok=False)
        if not can_link(uow, actor, person):
            return deny(uow, actor, "link_code.issue", person, t.LINK_CODE_NOT_ALLOWED)
        if not person.active:
            title = t.LINK_CODE_TITLE.format(name=person.name)
            return Reply.say(title, t.LINK_CODE_INACTIVE.format(name=person.name), ok=False)
        issued = issue_code(uow, person, created_by=actor.email)
        uow.commit()
    return Reply(cards=(code_card(issued, start_links),))


def link_account(
    code: str,
    *,
    uow: UnitOfWork,
    user_id: str,
    username: str | None,
    dm_channel: str | None,
    platform: str = "telegram",
) -> Reply:
    """`/start CODE`: link this chat account if the code is good; every refusal looks alike."""
    who = f"{platform}:{user_id}"
    with uow:
        now = uow.clock()
        wait = _wait_minutes(uow, who, now)
        if wait:
            text = t.LINK_THROTTLED.format(minutes=wait)
            return Reply.say(t.LINK_REFUSED_TITLE, text, ok=False)
        # Claiming is one conditional UPDATE, so two racing redeemers can't both win.
        claimed = uow.session.execute(
            update(LinkCode)
            .where(LinkCode.code_hash == code_hash(code), LinkCode.used_at.is_(None))
            .where(LinkCode.expires_at > now)
            .values(used_at=now)
            .returning(LinkCode.employee_id)
            .execution_options(synchronize_session=False)
        ).scalar()
        person = uow.session.get(Employee, claimed) if claimed is not None else None
        if person is None or not person.active:
            uow.rollback()  # an inactive person's code stays unused
            uow.audit(actor=who, action=FAILED, entity="link_code", after={"username": username})
            uow.commit()
            return Reply.say(t.LINK_REFUSED_TITLE, t.LINK_REFUSED, ok=False)
        _forget_other_accounts(uow, platform, user_id, person.id)
        link_identity(uow, platform, user_id, person.id, username, dm_channel)
        uow.commit()
        title = t.LINK_DONE_TITLE.format(name=person.name)
        return Reply.say(title, t.LINK_DONE.format(email=person.email))


def _forget_other_accounts(uow: UnitOfWork, platform: str, user_id: str, employee_id: int) -> None:
    """A person re-linking (a new phone number) stops being reached at their old account."""
    old = uow.session.scalars(
        select(ChatIdentity.platform_user_id).where(
            ChatIdentity.platform == platform,
            ChatIdentity.employee_id == employee_id,
            ChatIdentity.platform_user_id != user_id,
        )
    ).all()
    if not old:
        return
    uow.session.execute(
        delete(ChatIdentity)
        .where(ChatIdentity.platform == platform, ChatIdentity.platform_user_id.in_(old))
        .execution_options(synchronize_session=False)
    )
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
    recent = uow.session.scalars(
        select(AuditEvent.at)
        .where(AuditEvent.actor == who, AuditEvent.action == FAILED, AuditEvent.at > since)
        .order_by(AuditEvent.at.desc())
        .limit(MAX_FAILURES)
    ).all()
    if len(recent) < MAX_FAILURES:
        return 0
    free_at = recent[-1] + FAILURE_WINDOW
    return max(1, math.ceil((free_at - now).total_seconds() / 60))


def unlinked_reply() -> Reply:
    """What someone who isn't linked yet is told."""
    return Reply(cards=(Card(title=t.UNLINKED_TITLE, lines=t.UNLINKED_LINES),))


def welcome(actor: Actor) -> Reply:
    """A plain /start from someone already linked."""
    return Reply.say(t.WELCOME_TITLE.format(name=actor.name), t.WELCOME.format(email=actor.email))
