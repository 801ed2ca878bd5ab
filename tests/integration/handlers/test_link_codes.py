"""Issuing link codes on a real database: who may, what is stored, what replaces what."""

from __future__ import annotations

from sqlalchemy import select

from handlers import strings_en as t
from handlers.people.link_codes import ALPHABET, CODE_LENGTH, code_hash
from store.models import AuditEvent, LinkCode
from tests.integration.handlers.link_support import ANA, ask, issue, redeem


def test_hr_gets_a_code_and_only_its_hash_is_stored(demo_rt):
    reply = ask(demo_rt, "zhao.min@acme.example")
    card = reply.cards[0]
    code = card.lines[0].split()[1]
    assert reply.ok and card.private and card.title == "Link code for Ana Li"
    assert len(code) == CODE_LENGTH and set(code) <= set(ALPHABET)
    assert card.lines[2] == f"Or opens https://t.me/perf_test_bot?start={code} on their phone."
    assert "expires 2026-11-23 02:00 UTC" in card.lines[0]  # 72 hours from the frozen now
    with demo_rt.uow() as uow:
        row = uow.session.scalar(select(LinkCode))
        event = uow.session.scalar(select(AuditEvent).where(AuditEvent.action == "link_code.issue"))
    assert row.code_hash == code_hash(code) and code not in row.code_hash
    assert event.actor == "zhao.min@acme.example" and code not in str(event.after)


def test_only_branch_hr_and_admins_may_issue_codes(demo_rt):
    assert ask(demo_rt, "wang.jun@acme.example").ok  # admin
    for who in ("cheryl.tan@acme.example", "chen.jing@acme.example", ANA):
        refused = ask(demo_rt, who)
        assert not refused.ok and refused.cards[0].lines == (t.LINK_CODE_NOT_ALLOWED,)
    unknown = ask(demo_rt, "zhao.min@acme.example", who="nobody@acme.example")
    assert not unknown.ok and unknown.cards[0].title == t.UNKNOWN_PERSON_TITLE
    with demo_rt.uow() as uow:
        denials = uow.session.scalars(select(AuditEvent).where(AuditEvent.action == "denied")).all()
        codes = uow.session.scalars(select(LinkCode)).all()
    assert len(denials) == 3 and len(codes) == 1


def test_a_new_code_replaces_the_older_one(demo_rt):
    first, second = issue(demo_rt), issue(demo_rt)
    assert not redeem(demo_rt, first).ok
    assert redeem(demo_rt, second).ok
