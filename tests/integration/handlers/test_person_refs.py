"""People named in chat: a chat mention resolves on its own platform, a handle on any linked
account (else an e-mail's local part), and "Message Ana" shows each account as its adapter says."""

from __future__ import annotations

from sqlalchemy import select

from handlers.commands import PersonRef
from handlers.identity import ChatAccount, actor_by_email, find_person, link_identity
from handlers.press import Press
from store.models import Employee

ANA = "ana.li@acme.example"


def _link(demo, email, platform, user_id, username=None):  # type: ignore[no-untyped-def]
    with demo.uow() as uow:
        link_identity(
            uow, ChatAccount(platform, user_id, username), actor_by_email(uow, email).employee_id
        )
        uow.commit()


def _find(demo, ref):  # type: ignore[no-untyped-def]
    with demo.uow() as uow:
        found = find_person(uow, ref)
        return found.email if found else None


def test_a_chat_mention_names_the_account_on_its_own_platform(demo):
    _link(demo, ANA, "slack", "U0ANA")
    _link(demo, ANA, "telegram", "424242")
    assert _find(demo, PersonRef("chat", "U0ANA", "slack")) == ANA
    assert _find(demo, PersonRef("chat", "424242", "telegram")) == ANA
    assert _find(demo, PersonRef("chat", "U0ANA", "telegram")) is None
    assert _find(demo, PersonRef("chat", "U0ANA", "feishu")) is None


def test_a_handle_is_a_username_on_any_platform_else_an_email_local_part(demo):
    _link(demo, ANA, "telegram", "424242", "alice_b")
    assert _find(demo, PersonRef("handle", "Alice_B")) == ANA
    assert _find(demo, PersonRef("handle", "ana.li")) == ANA  # no such username: the e-mail
    assert _find(demo, PersonRef("handle", "nobody_here")) is None


def test_a_username_two_people_share_falls_back_to_the_email(demo):
    _link(demo, ANA, "telegram", "424242", "ana.li")
    with demo.uow() as uow:
        other = next(e for e in _emails(uow) if e != ANA)
    _link(demo, other, "slack", "U0OTHER", "ana.li")
    assert _find(demo, PersonRef("handle", "ana.li")) == ANA


def _emails(uow):  # type: ignore[no-untyped-def]
    return list(uow.session.scalars(select(Employee.email).order_by(Employee.email).limit(3)))


def test_message_person_shows_each_linked_account_in_its_adapters_words(demo):
    _link(demo, ANA, "slack", "U0ANA", "ana")
    _link(demo, ANA, "telegram", "424242")
    with demo.uow() as uow:
        ana = actor_by_email(uow, ANA)
    assert ana is not None
    reply = demo.dispatcher.press(ana, Press("nd:msg", str(ana.employee_id)))
    assert set(reply.cards[0].lines) == {
        f"E-mail: {ANA}",
        "Slack: <@U0ANA>",
        "Telegram: linked (no public username)",
    }
    _link(demo, ANA, "telegram", "424242", "alice_b")
    reply = demo.dispatcher.press(ana, Press("nd:msg", str(ana.employee_id)))
    assert "Telegram: @alice_b (https://t.me/alice_b)" in reply.cards[0].lines
    (chat,) = reply.cards[0].buttons  # one neutral button; each renderer links its account
    assert set(chat.chat) == {("slack", "U0ANA", "ana"), ("telegram", "424242", "alice_b")}
    assert chat.action == "" and chat.label.startswith("Open a chat with ")
