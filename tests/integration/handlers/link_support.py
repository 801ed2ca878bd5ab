"""Issue and redeem link codes directly through the use cases."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from handlers.commands import LinkCode as LinkCodeCmd
from handlers.commands import PersonRef
from handlers.identity import actor_by_email, actor_by_identity
from handlers.people.link_account import link_account
from handlers.people.link_codes import issue_code
from store.models import Employee

ANA = "ana.li@acme.example"
LINKS = {"telegram": "https://t.me/perf_test_bot?start={code}"}


def actor_of(rt, email):
    with rt.uow() as uow:
        return actor_by_email(uow, email, "telegram")


def ask(rt, by, who=ANA):
    """/linkcode as the dispatcher runs it (so a refusal is audited, as in chat)."""
    cmd = LinkCodeCmd(PersonRef("email", who))
    return rt.dispatcher.with_deps(start_links=LINKS).command(actor_of(rt, by), cmd)


def issue(rt, email=ANA, ttl=timedelta(hours=72)):
    with rt.uow() as uow:
        person = uow.session.scalar(select(Employee).where(Employee.email == email))
        issued = issue_code(uow, person, created_by="test", ttl=ttl)
        uow.commit()
    return issued.code


def redeem(rt, code, user="424242", username="alice"):
    return link_account(
        code, uow=rt.uow(), user_id=user, username=username, dm_channel=user, platform="telegram"
    )


def linked(rt, user="424242"):
    with rt.uow() as uow:
        actor = actor_by_identity(uow, "telegram", user)
    return actor.email if actor else None
