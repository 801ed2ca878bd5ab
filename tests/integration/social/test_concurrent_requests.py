"""Concurrent requests on real SQLite and PostgreSQL: one open appeal, allowances respected."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.console.app import ConsoleSession
from handlers.cards import Reply
from handlers.praise.give import PraisePolicy
from store.models import Appeal, Employee, Outbox, Period, Praise

SALES_EAST = ["ana.li", "zhou.tao", "sun.yue", "hu.bin", "guo.lin", "ma.rui", "lin.xiu"]


def at_once(jobs: list[Callable[[], Reply]]) -> list[Reply]:
    """Run the jobs in threads released together; every one must finish."""
    gate, replies = threading.Barrier(len(jobs)), []
    lock = threading.Lock()

    def run(job: Callable[[], Reply]) -> None:
        gate.wait()
        reply = job()
        with lock:
            replies.append(reply)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    assert len(replies) == len(jobs), "a request hung"
    return replies


def count(rt, model, *where) -> int:  # type: ignore[no-untyped-def]
    with rt.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model).where(*where)))


def test_the_same_appeal_from_many_clients_opens_once(demo):
    ana = ConsoleSession(demo.dispatcher, demo.uow, "ana.li@acme.example")
    replies = at_once([lambda: ana.handle("/appeal sales deals missing")] * 16)
    assert sum(r.ok for r in replies) == 1
    refused = [r.cards[0].lines[0] for r in replies if not r.ok]
    assert all("You already have" in line for line in refused), refused
    assert count(demo, Appeal) == 1
    assert count(demo, Outbox, Outbox.dedupe_key.like("appeal:%:open")) == 1


def test_a_team_appealing_at_once_gets_one_appeal_each(demo):
    sessions = [
        ConsoleSession(demo.dispatcher, demo.uow, f"{name}@acme.example") for name in SALES_EAST
    ]
    jobs = [
        lambda s=s, m=m: s.handle(f"/appeal {m} wrong") for s in sessions for m in ("sales", "csat")
    ]
    replies = at_once(jobs * 2)
    assert sum(r.ok for r in replies) == len(SALES_EAST) * 2
    assert count(demo, Appeal) == len(SALES_EAST) * 2


def test_the_database_itself_refuses_a_second_undecided_appeal(demo):
    with demo.uow() as uow:
        ana = uow.session.scalar(select(Employee.id).where(Employee.email == "ana.li@acme.example"))
        period = uow.session.scalar(select(Period.id).where(Period.key == "2026-11"))
    now = datetime(2026, 11, 20, tzinfo=UTC)

    def add(status: str) -> None:
        with demo.uow() as uow:
            uow.session.add(
                Appeal(
                    employee_id=ana,
                    period_id=period,
                    metric="sales_amount",
                    reason="r",
                    status=status,
                    created_at=now,
                )
            )
            uow.commit()

    add("rejected")
    add("open")
    with pytest.raises(IntegrityError):
        add("needs_info")
    add("accepted")  # decided ones don't count
    assert count(demo, Appeal) == 3


def test_the_praise_allowance_holds_under_concurrent_requests(demo):
    capped = demo.dispatcher.with_deps(praise_policy=PraisePolicy(daily_allowance=3))
    chen = ConsoleSession(capped, demo.uow, "chen.jing@acme.example")
    replies = at_once([lambda: chen.handle("/praise @ana.li great week")] * 10)
    assert sum(r.ok for r in replies) == 3
    assert count(demo, Praise) == 3
    assert count(demo, Outbox, Outbox.dedupe_key.like("praise:%")) == 6
