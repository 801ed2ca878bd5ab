"""Redeeming link codes on a real database: single use, expiry, throttling, races."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import select

from handlers import strings_en as t
from handlers.people.link_account import FAILED, MAX_FAILURES
from store.models import AuditEvent, ChatIdentity, Employee, LinkCode
from tests.integration.handlers.link_support import ANA, issue, linked, redeem


def test_a_good_code_links_once_and_remembers_the_private_chat(demo_rt):
    code = issue(demo_rt)
    reply = redeem(demo_rt, code.lower())  # typed in any case
    assert reply.ok and reply.cards[0].title == "Welcome, Ana Li"
    assert linked(demo_rt) == ANA
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
    used = issue(demo_rt)
    assert redeem(demo_rt, used).ok
    expired = issue(demo_rt, "zhou.tao@acme.example", ttl=timedelta(hours=1))
    clock.now += timedelta(hours=1)
    answers = {
        "wrong": redeem(demo_rt, "ABCDEFGHJKMN", "1001"),
        "used": redeem(demo_rt, used, "1002"),
        "expired": redeem(demo_rt, expired, "1003"),
    }
    assert {(r.ok, r.cards[0].title, r.cards[0].lines) for r in answers.values()} == {
        (False, t.LINK_REFUSED_TITLE, (t.LINK_REFUSED,))
    }
    assert [linked(demo_rt, u) for u in ("1001", "1002", "1003")] == [None, None, None]


def test_repeated_failures_are_throttled_even_across_a_restart(demo_rt, clock):
    from bot.bootstrap import build

    for _ in range(MAX_FAILURES):
        assert redeem(demo_rt, "WRONGWRONG22").cards[0].lines == (t.LINK_REFUSED,)
    good = issue(demo_rt)
    restarted = build(demo_rt.settings, clock=clock)  # a new process: nothing kept in memory
    blocked = redeem(restarted, good)
    assert not blocked.ok and blocked.cards[0].lines == (
        t.LINK_THROTTLED.format(minutes="15 minutes"),
    )
    assert redeem(restarted, good, user="999").ok is True  # another account isn't affected
    other = issue(demo_rt)
    clock.now += timedelta(minutes=15)
    assert redeem(restarted, other).ok
    with demo_rt.uow() as uow:
        failures = uow.session.scalars(select(AuditEvent).where(AuditEvent.action == FAILED)).all()
    assert len(failures) == MAX_FAILURES and failures[0].actor == "telegram:424242"
    restarted.engine.dispose()


def test_an_inactive_persons_code_is_refused_and_stays_unused(demo_rt):
    code = issue(demo_rt)
    with demo_rt.uow() as uow:
        uow.session.scalar(select(Employee).where(Employee.email == ANA)).active = False
        uow.commit()
    assert not redeem(demo_rt, code).ok
    with demo_rt.uow() as uow:
        assert uow.session.scalar(select(LinkCode.used_at)) is None


def test_relinking_moves_the_person_to_the_new_account(demo_rt):
    assert redeem(demo_rt, issue(demo_rt), user="1111").ok
    assert redeem(demo_rt, issue(demo_rt), user="2222", username="alice_new").ok
    assert (linked(demo_rt, "1111"), linked(demo_rt, "2222")) == (None, ANA)


def test_two_racing_redeemers_cannot_both_win(demo_rt):
    code = issue(demo_rt)
    results: dict[str, bool] = {}

    def go(user: str) -> None:
        results[user] = redeem(demo_rt, code, user=user).ok

    threads = [threading.Thread(target=go, args=(u,)) for u in ("501", "502", "503", "504")]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(results.values()) == [False, False, False, True]
