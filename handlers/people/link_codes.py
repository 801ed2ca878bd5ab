"""Single-use codes that link a chat account (for platforms that share no e-mail) to an employee:
HR or an admin issues one (`/linkcode`, `perfbot link-code`); handlers/people/link_account.py
redeems it."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from handlers import strings as t
from handlers.actor import Actor
from handlers.cards import Card, Reply
from handlers.commands import LinkCode as LinkCodeCmd
from handlers.common import add_audited
from handlers.format import stamp
from handlers.identity import find_person
from handlers.permissions import can_link, deny
from store.models import Employee, LinkCode
from store.uow import UnitOfWork

# No 0/O or 1/I/L to misread; 32 symbols x 12 = 60 bits, typed in any case.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
CODE_TTL = timedelta(hours=72)


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
    uow.people.expire_open_codes(person.id, now)
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    row = LinkCode(
        code_hash=code_hash(code),
        employee_id=person.id,
        created_by=created_by,
        expires_at=now + ttl,
    )
    add_audited(
        uow,
        row,
        created_by,
        "link_code.issue",
        after={"employee_id": person.id, "expires_at": row.expires_at.isoformat()},
    )
    return IssuedCode(code, row.expires_at, person.id, person.name, person.email)


def code_card(issued: IssuedCode, start_links: Mapping[str, str]) -> Card:
    """The code with how to use it (and a deep link per platform that has one)."""
    expires = stamp(issued.expires_at)
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
            return deny("link_code.issue", person, t.LINK_CODE_NOT_ALLOWED)
        if not person.active:
            title = t.LINK_CODE_TITLE.format(name=person.name)
            return Reply.say(title, t.LINK_CODE_INACTIVE.format(name=person.name), ok=False)
        issued = issue_code(uow, person, created_by=actor.email)
        uow.commit()
    return Reply(cards=(code_card(issued, start_links),))
