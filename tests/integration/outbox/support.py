"""Helpers for the outbox tests: a tiny org, queued rows and a scriptable fake platform."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from datetime import datetime

from bot.delivery import DeliveryError, Target
from handlers.cards import Card
from store.db import session_factory
from store.models import Branch, Employee
from store.uow import UnitOfWork


def uow_factory(engine, clock) -> Callable[[], UnitOfWork]:  # type: ignore[no-untyped-def]
    sessions = session_factory(engine)
    return lambda: UnitOfWork(sessions, clock)


def make_people(uow: UnitOfWork, n: int, *, hr: bool = True) -> list[int]:
    """A branch with an HR person (id first when `hr`) and n employees; returns their ids."""
    with uow:
        branch = Branch(name="HQ", timezone="Asia/Shanghai", is_hq=True)
        uow.session.add(branch)
        uow.session.flush()
        if hr:
            uow.session.add(
                Employee(email="hr@x.example", name="Hana HR", role="hr", branch_id=branch.id)
            )
        people = [
            Employee(email=f"p{i}@x.example", name=f"Person {i}", branch_id=branch.id)
            for i in range(n)
        ]
        uow.session.add_all(people)
        uow.session.flush()
        ids = [p.id for p in people]
        uow.commit()
    return ids


def queue(uow: UnitOfWork, recipients: list[int], prefix: str = "msg") -> list[str]:
    """One row per recipient; the card title is its dedupe key, so deliveries are traceable."""
    keys = []
    with uow:
        for i, rid in enumerate(recipients):
            key = f"{prefix}:{i}"
            uow.enqueue(
                dedupe_key=key, kind="test", payload=Card(title=key).to_dict(), recipient_id=rid
            )
            keys.append(key)
        uow.commit()
    return keys


class FakePlatform:
    """A deliverer whose answer per call is decided by `script(n, target, card)`: return None
    to deliver, or a DeliveryError to raise. Records what was delivered and when."""

    platform = "fake"

    def __init__(
        self,
        script: Callable[[int, Target, Card], DeliveryError | None] | None = None,
        *,
        per_second: float = 1000.0,
        per_target_interval: float = 0.0,
        now: Callable[[], float] | None = None,
    ) -> None:
        self.script = script or (lambda n, t, c: None)
        self.per_second, self.per_target_interval = per_second, per_target_interval
        self.calls = 0
        self.delivered: list[tuple[str, str | None, float]] = []  # (title, email, time)
        self._now = now or (lambda: 0.0)

    def can_reach(self, target: Target) -> bool:
        return target.email is not None or target.channel is not None

    async def deliver(self, target: Target, card: Card) -> str:
        self.calls += 1
        err = self.script(self.calls, target, card)
        if err is not None:
            raise err
        self.delivered.append((card.title, target.email, self._now()))
        return f"fake:{self.calls}"

    def counts(self) -> Counter[str]:
        return Counter(title for title, _, _ in self.delivered)


class VirtualTime:
    """A monotonic clock that only moves when the dispatcher sleeps: pacing without waiting."""

    def __init__(self) -> None:
        self.t = 1000.0

    def monotonic(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        for _ in range(5):  # let the delivery tasks started before now run first
            await asyncio.sleep(0)
        self.t += max(seconds, 0.0)


def later(clock, **delta: float) -> datetime:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    clock.now = clock.now + timedelta(**delta)
    return clock.now
