"""Linking a chat account on its first message, by the e-mail or mobile the platform shares."""

from __future__ import annotations

from functools import partial

from sqlalchemy import func, select

from handlers.identity import ChatAccount, actor_by_email
from handlers.people.chat_actor import link_on_first_contact
from store.models import AuditEvent, ChatIdentity
from tests.integration.handlers.link_support import ANA, linked


def _links(rt):
    with rt.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(ChatIdentity))


def test_a_shared_e_mail_links_the_account_with_what_the_platform_knows(demo_rt):
    find = partial(actor_by_email, email=ANA, platform="telegram")
    actor = link_on_first_contact(
        demo_rt.uow(),
        ChatAccount("telegram", "77", username="ana", dm_channel="77", language="zh-CN"),
        find,
    )
    assert actor is not None and actor.email == ANA and actor.locale == "zh_CN"
    assert linked(demo_rt, "77") == ANA
    with demo_rt.uow() as uow:
        ident = uow.session.scalar(
            select(ChatIdentity).where(ChatIdentity.platform_user_id == "77")
        )
        audited = uow.session.scalar(
            select(func.count()).where(AuditEvent.action == "identity.link")
        )
    assert (ident.username, ident.dm_channel) == ("ana", "77") and audited >= 1


def test_no_match_writes_nothing(demo_rt):
    before = _links(demo_rt)
    find = partial(actor_by_email, email="nobody@acme.example", platform="telegram")
    assert link_on_first_contact(demo_rt.uow(), ChatAccount("telegram", "78"), find) is None
    assert _links(demo_rt) == before


def test_a_link_stored_first_by_a_racing_message_wins_without_an_error(demo_rt):
    find = partial(actor_by_email, email=ANA, platform="telegram")
    assert link_on_first_contact(demo_rt.uow(), ChatAccount("telegram", "79"), find) is not None
    with demo_rt.uow() as uow:  # the loser: it saw no link, and adds the same account again
        ana = actor_by_email(uow, ANA).employee_id
        uow.add(
            ChatIdentity(
                platform="telegram", platform_user_id="79", employee_id=ana, linked_at=uow.clock()
            )
        )
        assert not uow.commit_unless_raced()
        assert actor_by_email(uow, ANA) is not None  # rolled back, and still usable
    assert linked(demo_rt, "79") == ANA
