"""The outbox dispatcher against a fake platform that fails, throttles and loses people."""

from __future__ import annotations

import itertools
import random
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.delivery import DeliveryError
from bot.outbox_dispatcher import DispatchPolicy, OutboxDispatcher
from store import outbox
from store.models import Employee, Outbox
from tests.integration.outbox.support import (
    FakePlatform,
    VirtualTime,
    later,
    make_people,
    queue,
    uow_factory,
)

FAST = DispatchPolicy(max_attempts=3, backoff_seconds=10, backoff_max_seconds=60, jitter=0)


def rows(uow) -> dict[str, Outbox]:  # type: ignore[no-untyped-def]
    with uow() as u:
        return {r.dedupe_key: r for r in u.session.scalars(select(Outbox))}


def dispatcher(uow, platform, policy=FAST, vt=None):  # type: ignore[no-untyped-def]
    vt = vt or VirtualTime()
    return OutboxDispatcher(uow, [platform], policy, monotonic=vt.monotonic, sleep=vt.sleep)


def test_flaky_throttling_platform_delivers_every_row_exactly_once(engine, clock):
    uow = uow_factory(engine, clock)
    people = make_people(uow(), 12)
    keys = queue(uow(), [people[i % 12] for i in range(80)])
    rnd = random.Random(5)

    def script(n, target, card):  # type: ignore[no-untyped-def]
        roll = rnd.random()
        if roll < 0.15:
            return DeliveryError("429", retry_after=0.5)
        if roll < 0.35:
            return DeliveryError("HTTP 502")
        return None

    fake = FakePlatform(script)
    vt = VirtualTime()
    pol = DispatchPolicy(max_attempts=50, backoff_seconds=1, jitter=0)
    d = dispatcher(uow, fake, pol, vt)
    rounds = 0
    while any(r.status == "pending" for r in rows(uow).values()):
        d.run_sync()
        later(clock, seconds=5)  # past every backoff and pause
        vt.t += 5
        rounds += 1
        assert rounds < 60
    assert fake.counts() == {k: 1 for k in keys}
    final = rows(uow)
    assert {r.status for r in final.values()} == {"sent"}
    assert all(r.platform_ref and r.platform_ref.startswith("fake:") for r in final.values())
    assert fake.calls > len(keys)  # it really failed and throttled along the way


def test_throttling_does_not_use_up_attempts(engine, clock):
    uow = uow_factory(engine, clock)
    (person,) = make_people(uow(), 1)
    (key,) = queue(uow(), [person])
    fake = FakePlatform(lambda n, t, c: DeliveryError("429", retry_after=3) if n <= 5 else None)
    vt = VirtualTime()
    d = dispatcher(uow, fake, vt=vt)  # max_attempts=3 < 5 throttles
    for _ in range(6):
        stats = d.run_sync()
        later(clock, seconds=4)
        vt.t += 4  # the platform's pause ends too
    row = rows(uow)[key]
    assert row.status == "sent" and row.attempts == 1 and fake.counts()[key] == 1
    assert stats.sent == 1


def test_gives_up_after_max_attempts_with_the_error(engine, clock):
    uow = uow_factory(engine, clock)
    a, b = make_people(uow(), 2)
    k_bad, k_ok = queue(uow(), [a, b])
    fake = FakePlatform(lambda n, t, c: DeliveryError("HTTP 503") if t.employee_id == a else None)
    d = dispatcher(uow, fake)
    d.run_sync()
    first = rows(uow)[k_bad]
    assert first.status == "pending" and first.attempts == 1 and "503" in (first.last_error or "")
    assert (first.next_attempt_at - clock.now).total_seconds() == pytest.approx(10)
    d.run_sync()  # not due yet: backoff
    assert rows(uow)[k_bad].attempts == 1
    later(clock, seconds=11)
    d.run_sync()
    assert (rows(uow)[k_bad].next_attempt_at - clock.now).total_seconds() == pytest.approx(20)
    later(clock, seconds=21)
    d.run_sync()
    final = rows(uow)
    assert final[k_bad].status == "failed" and final[k_bad].attempts == 3
    assert "gave up after 3 attempts" in (final[k_bad].last_error or "")
    assert final[k_ok].status == "sent" and fake.counts()[k_ok] == 1


def test_permanent_error_fails_at_once(engine, clock):
    uow = uow_factory(engine, clock)
    (person,) = make_people(uow(), 1)
    (key,) = queue(uow(), [person])
    d = dispatcher(uow, FakePlatform(lambda n, t, c: DeliveryError("bad blocks", permanent=True)))
    stats = d.run_sync()
    row = rows(uow)[key]
    assert (row.status, row.attempts, stats.failed) == ("failed", 1, 1)
    assert "bad blocks" in (row.last_error or "")


def test_unreachable_person_is_flagged_and_hr_told_once(engine, clock):
    uow = uow_factory(engine, clock)
    gone, other = make_people(uow(), 2)
    keys = queue(uow(), [gone, other])

    def script(n, target, card):  # type: ignore[no-untyped-def]
        return (
            DeliveryError("bot was blocked", unreachable=True)
            if target.employee_id == gone
            else None
        )

    fake = FakePlatform(script)
    d = dispatcher(uow, fake)
    d.run_sync()
    keys += queue(uow(), [gone], prefix="later")
    d.run_sync()  # the HR notice queued by the first run goes out too
    final = rows(uow)
    assert final[keys[0]].status == "failed" and "unreachable" in (final[keys[0]].last_error or "")
    assert final[keys[2]].status == "failed" and "unreachable since" in (
        final[keys[2]].last_error or ""
    )
    assert final[keys[1]].status == "sent"
    hr_rows = [r for r in final.values() if r.kind == "unreachable"]
    assert len(hr_rows) == 1 and hr_rows[0].status == "sent"
    hr_cards = [(t, e) for t, e, _ in fake.delivered if e == "hr@x.example"]
    assert hr_cards == [("Can't reach Person 0", "hr@x.example")]
    with uow() as u:
        assert u.session.get(Employee, gone).unreachable_since == clock.now
    assert fake.calls == 3  # the second row to the blocked person was never attempted


def test_row_no_platform_can_reach_is_retried_then_failed(engine, clock):
    uow = uow_factory(engine, clock)
    with uow() as u:
        u.enqueue(dedupe_key="nowhere", kind="test", payload={"title": "x"}, recipient_id=None)
        u.commit()
    d = dispatcher(uow, FakePlatform())
    for _ in range(3):
        d.run_sync()
        later(clock, seconds=61)
    row = rows(uow)["nowhere"]
    assert row.status == "failed" and "no configured platform" in (row.last_error or "")


def test_unreadable_payload_fails_without_a_crash(engine, clock):
    uow = uow_factory(engine, clock)
    (person,) = make_people(uow(), 1)
    with uow() as u:
        u.enqueue(dedupe_key="bad", kind="t", payload={"buttons": [{"x": 1}]}, recipient_id=person)
        u.commit()
    stats = dispatcher(uow, FakePlatform()).run_sync()
    assert stats.failed == 1 and "unreadable card" in (rows(uow)["bad"].last_error or "")


def test_pacing_per_platform_and_per_chat(engine, clock):
    uow = uow_factory(engine, clock)
    a, b, c = make_people(uow(), 3)
    queue(uow(), [a] * 4 + [b] * 4 + [c] * 4)
    vt = VirtualTime()
    fake = FakePlatform(per_second=10, per_target_interval=1.0, now=vt.monotonic)
    pol = DispatchPolicy(headroom=1.0, max_wait=5.0)
    stats = dispatcher(uow, fake, pol, vt).run_sync()
    assert stats.sent == 12
    times = sorted(t for _, _, t in fake.delivered)
    assert all(y - x >= 0.1 - 1e-9 for x, y in itertools.pairwise(times))  # <= 10/s overall
    for who in ("p0@x.example", "p1@x.example", "p2@x.example"):
        mine = sorted(t for _, e, t in fake.delivered if e == who)
        assert all(y - x >= 1.0 - 1e-9 for x, y in itertools.pairwise(mine))  # <= 1/s per chat


def test_rows_for_a_busy_chat_go_back_to_the_queue_unpenalised(engine, clock):
    uow = uow_factory(engine, clock)
    (a,) = make_people(uow(), 1)
    keys = queue(uow(), [a] * 5)
    vt = VirtualTime()
    fake = FakePlatform(per_target_interval=1.0, now=vt.monotonic)
    stats = dispatcher(uow, fake, DispatchPolicy(max_wait=2.0), vt).run_sync()
    assert stats.sent == 3  # at t, t+1, t+2; the rest would wait longer than max_wait
    waiting = [r for r in rows(uow).values() if r.status == "pending"]
    assert len(waiting) == 2 and all(r.attempts == 0 for r in waiting)
    later(clock, seconds=5)
    dispatcher(uow, fake, DispatchPolicy(max_wait=2.0), vt).run_sync()
    assert fake.counts() == {k: 1 for k in keys}


def test_a_dead_dispatchers_claim_is_taken_over_after_its_lease(engine, clock):
    uow = uow_factory(engine, clock)
    (a,) = make_people(uow(), 1)
    (key,) = queue(uow(), [a])
    with uow() as u:  # a dispatcher claims the row, then dies before settling it
        (stale,) = outbox.claim_due(
            u.session, now=clock.now, lease_until=clock.now + timedelta(seconds=120), limit=10
        )
        u.commit()
    fake = FakePlatform()
    dispatcher(uow, fake).run_sync()
    assert fake.calls == 0  # still leased
    later(clock, seconds=121)
    dispatcher(uow, fake).run_sync()
    assert fake.counts() == {key: 1}
    with uow() as u:  # the dead one's late settle is refused by the fence
        assert outbox.mark_sent(u.session, stale, now=clock.now, platform_ref="late") is False
        u.commit()
    assert rows(uow)[key].platform_ref == "fake:1"


def test_two_dispatchers_at_once_send_each_row_once(engine, clock):
    uow = uow_factory(engine, clock)
    people = make_people(uow(), 30)
    keys = queue(uow(), people * 4)
    fake = FakePlatform()
    pol = DispatchPolicy(batch=7)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            dispatcher(uow, fake, pol).run_sync()
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert fake.counts() == {k: 1 for k in keys}
    with uow() as u:
        sent = u.session.scalar(select(func.count()).where(Outbox.status == "sent"))
    assert sent == len(keys)


def test_requeue_only_failed_rows(engine, clock):
    uow = uow_factory(engine, clock)
    (a,) = make_people(uow(), 1)
    (key,) = queue(uow(), [a])
    dispatcher(uow, FakePlatform(lambda n, t, c: DeliveryError("no", permanent=True))).run_sync()
    row_id = rows(uow)[key].id
    with uow() as u:
        assert outbox.requeue(u.session, row_id, now=clock.now) is not None
        u.commit()
    with uow() as u:
        assert outbox.requeue(u.session, row_id, now=clock.now) is None  # pending now
    fake = FakePlatform()
    dispatcher(uow, fake).run_sync()
    assert fake.counts() == {key: 1} and rows(uow)[key].status == "sent"


def test_a_row_queued_by_a_process_whose_clock_ran_ahead_is_due_at_once(engine, clock):
    # Two processes started with the same PERFBOT_NOW: the one that queued ran for a while,
    # the one that drains has just started, so the row's time is in the drainer's future.
    (person,) = make_people(uow_factory(engine, clock)(), 1)
    start = clock.now
    later(clock, seconds=5)
    (key,) = queue(uow_factory(engine, clock)(), [person])
    clock.now = start
    fake = FakePlatform(lambda n, t, c: None)
    stats = dispatcher(uow_factory(engine, clock), fake).run_sync()
    assert (stats.sent, rows(uow_factory(engine, clock))[key].status) == (1, "sent")


def test_a_row_the_platform_asked_to_wait_still_waits(engine, clock):
    uow = uow_factory(engine, clock)
    (person,) = make_people(uow(), 1)
    (key,) = queue(uow(), [person])
    fake = FakePlatform(lambda n, t, c: DeliveryError("429", retry_after=30) if n == 1 else None)
    vt = VirtualTime()
    d = dispatcher(uow, fake, vt=vt)
    d.run_sync()
    waiting = rows(uow)[key]
    assert (waiting.status, waiting.attempts) == ("pending", 0)  # the attempt was given back
    d.run_sync()
    assert fake.calls == 1  # not tried again inside the pause
    later(clock, seconds=31)
    vt.t += 31
    d.run_sync()
    assert rows(uow)[key].status == "sent" and fake.calls == 2
