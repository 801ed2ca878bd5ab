"""Link codes on a real database: who may issue them, single use, expiry, throttling."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import select

from handlers import strings_en as t
from handlers.commands import LinkCode as LinkCodeCmd
from handlers.commands import PersonRef
from handlers.identity import actor_by_email, actor_by_identity
from handlers.link_codes import (
    ALPHABET,
    CODE_LENGTH,
    FAILED,
    MAX_FAILURES,
    code_hash,
    issue_code,
    link_account,
    request_link_code,
)
from store.models import AuditEvent, ChatIdentity, Employee, LinkCode

ANA = "ana.li@acme.example"
LINKS = {"telegram": "https://t.me/perf_test_bot?start={code}"}


def _actor(rt, email):
    with rt.uow() as uow:
        return actor_by_email(uow, email, "telegram")


def _ask(rt, by, who=ANA):
    cmd = LinkCodeCmd(PersonRef("email", who))
    return request_link_code(cmd, uow=rt.uow(), actor=_actor(rt, by), start_links=LINKS)


def _issue(rt, email=ANA, ttl=timedelta(hours=72)):
    with rt.uow() as uow:
        person = uow.session.scalar(select(Employee).where(Employee.email == email))
        issued = issue_code(uow, person, created_by="test", ttl=ttl)
        uow.commit()
    return issued.code


def _redeem(rt, code, user="424242", username="alice"):
    return link_account(code, uow=rt.uow(), user_id=user, username=username, dm_channel=user)


def _linked(rt, user="424242"):
    with rt.uow() as uow:
        actor = actor_by_identity(uow, "telegram", user)
    return actor.email if actor else None


def test_hr_gets_a_code_and_only_its_hash_is_stored(demo_rt):
    reply = _ask(demo_rt, "zhao.min@acme.example")
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
    assert _ask(demo_rt, "wang.jun@acme.example").ok  # admin
    for who in ("cheryl.tan@acme.example", "chen.jing@acme.example", ANA):
        refused = _ask(demo_rt, who)
        assert not refused.ok and refused.cards[0].lines == (t.LINK_CODE_NOT_ALLOWED,)
    unknown = _ask(demo_rt, "zhao.min@acme.example", who="nobody@acme.example")
    assert not unknown.ok and unknown.cards[0].title == t.UNKNOWN_PERSON_TITLE
    with demo_rt.uow() as uow:
        denials = uow.session.scalars(select(AuditEvent).where(AuditEvent.action == "denied")).all()
        codes = uow.session.scalars(select(LinkCode)).all()
    assert len(denials) == 3 and len(codes) == 1


def test_a_good_code_links_once_and_remembers_the_private_chat(demo_rt):
    code = _issue(demo_rt)
    reply = _redeem(demo_rt, code.lower())  # typed in any case
    assert reply.ok and reply.cards[0].title == "Welcome, Ana Li"
    assert _linked(demo_rt) == ANA
    with demo_rt.uow() as uow:
        ident = uow.session.scalar(select(ChatIdentity).where(ChatIdentity.platform == "telegram"))
        used = uow.session.scalar(select(LinkCode.used_at))
    assert (ident.platform_user_id, ident.username, ident.dm_channel) == (
        "424242",
        "alice",
        "424242",
    )
    assert used == demo_rt.clock()


def test_wrong_used_and_expired_codes_get_the_same_answer(demo_rt, clock):
    used = _issue(demo_rt)
    assert _redeem(demo_rt, used).ok
    expired = _issue(demo_rt, "zhou.tao@acme.example", ttl=timedelta(hours=1))
    clock.now += timedelta(hours=1)
    answers = {
        "wrong": _redeem(demo_rt, "ABCDEFGHJKMN", "1001"),
        "used": _redeem(demo_rt, used, "1002"),
        "expired": _redeem(demo_rt, expired, "1003"),
    }
    assert {(r.ok, r.cards[0].title, r.cards[0].lines) for r in answers.values()} == {
        (False, t.LINK_REFUSED_TITLE, (t.LINK_REFUSED,))
    }
    assert [_linked(demo_rt, u) for u in ("1001", "1002", "1003")] == [None, None, None]


def test_a_new_code_replaces_the_older_one(demo_rt):
    first, second = _issue(demo_rt), _issue(demo_rt)
    assert not _redeem(demo_rt, first).ok
    assert _redeem(demo_rt, second).ok


def test_repeated_failures_are_throttled_even_across_a_restart(demo_rt, clock):
    from bot.bootstrap import build

    for _ in range(MAX_FAILURES):
        assert _redeem(demo_rt, "WRONGWRONG22").cards[0].lines == (t.LINK_REFUSED,)
    good = _issue(demo_rt)
    restarted = build(demo_rt.settings, clock=clock)  # a new process: nothing kept in memory
    blocked = _redeem(restarted, good)
    assert not blocked.ok and blocked.cards[0].lines == (t.LINK_THROTTLED.format(minutes=15),)
    assert _redeem(restarted, good, user="999").ok is True  # another account isn't affected
    other = _issue(demo_rt)
    clock.now += timedelta(minutes=15)
    assert _redeem(restarted, other).ok
    with demo_rt.uow() as uow:
        failures = uow.session.scalars(select(AuditEvent).where(AuditEvent.action == FAILED)).all()
    assert len(failures) == MAX_FAILURES and failures[0].actor == "telegram:424242"
    restarted.engine.dispose()


def test_an_inactive_persons_code_is_refused_and_stays_unused(demo_rt):
    code = _issue(demo_rt)
    with demo_rt.uow() as uow:
        uow.session.scalar(select(Employee).where(Employee.email == ANA)).active = False
        uow.commit()
    assert not _redeem(demo_rt, code).ok
    with demo_rt.uow() as uow:
        assert uow.session.scalar(select(LinkCode.used_at)) is None


def test_relinking_moves_the_person_to_the_new_account(demo_rt):
    assert _redeem(demo_rt, _issue(demo_rt), user="1111").ok
    assert _redeem(demo_rt, _issue(demo_rt), user="2222", username="alice_new").ok
    assert (_linked(demo_rt, "1111"), _linked(demo_rt, "2222")) == (None, ANA)


def test_two_racing_redeemers_cannot_both_win(demo_rt):
    code = _issue(demo_rt)
    results: dict[str, bool] = {}

    def go(user: str) -> None:
        results[user] = _redeem(demo_rt, code, user=user).ok

    threads = [threading.Thread(target=go, args=(u,)) for u in ("501", "502", "503", "504")]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(results.values()) == [False, False, False, True]
