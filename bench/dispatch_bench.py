"""The outbox dispatcher's sustained rate against a fake chat platform on loopback that
allows 30 messages/s (a 429 with Retry-After beyond that, as Telegram answers).

    .venv/bin/python bench/dispatch_bench.py [--messages 600] [--db sqlite|postgresql|both]

Reported: messages per second between the first and the last delivery, as a share of
the limit (target >= 90%), the 429s the platform answered and that every one of them was
retried (each message delivered exactly once, no row left pending or failed); the same
when the deliverer over-states the limit by a third (the platform's 429s then pace it);
and, for scale, the dispatcher against the platform with no limit.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import func, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import databases, parse_with_databases
from bot.outbox_dispatcher import DispatchPolicy, OutboxDispatcher
from bot.webhook.deliver import WebhookDeliverer
from handlers.cards import Button, Card
from store import outbox
from store.db import make_engine, session_factory
from store.models import Branch, Employee, Outbox
from store.schema import upgrade
from store.uow import UnitOfWork

ROOT = Path(__file__).resolve().parent.parent

LIMIT = 30.0
PEOPLE = 400


class Platform:
    """The fake platform in a process of its own (tests/fakes/rate_limited_platform.py):
    its clock and threads don't share this process's GIL, as a real platform wouldn't."""

    def __init__(self, per_second: float) -> None:
        self.p = subprocess.Popen(
            [sys.executable, "-m", "tests.fakes.rate_limited_platform", str(per_second)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.p.stdout is not None
        self.url = self.p.stdout.readline().strip()

    def stats(self) -> tuple[list[tuple[str, str, float]], int]:
        data = httpx.get(self.url).json()
        return [tuple(a) for a in data["accepted"]], int(data["refused"])  # type: ignore[misc]

    def __enter__(self) -> Platform:
        return self

    def __exit__(self, *exc: object) -> None:
        self.p.terminate()
        self.p.wait(10)


def _now() -> datetime:
    return datetime.now(UTC)


def prepare(url: str, messages: int, tag: str) -> None:
    """Schema, people, and `messages` nudge-sized cards queued for them."""
    engine = make_engine(url)
    upgrade(engine)
    with engine.begin() as c:
        if c.execute(select(func.count()).select_from(Branch)).scalar_one() == 0:
            c.execute(insert(Branch.__table__), [{"id": 1, "name": "HQ", "timezone": "UTC"}])
            c.execute(insert(Employee.__table__), [
                {"id": i, "email": f"p{i}@x.example", "name": f"Person {i}", "branch_id": 1}
                for i in range(1, PEOPLE + 1)])  # fmt: skip
    with UnitOfWork(session_factory(engine), _now) as uow:
        rows = [
            {
                "dedupe_key": f"{tag}:{n}",
                "kind": "nudge",
                "recipient_id": 1 + n % PEOPLE,
                "payload": Card(
                    f"{tag} {n}: Person {1 + n % PEOPLE} is behind pace on Sales",
                    lines=("Ana is at 62% of pace on Sales: 620,000 of the 1,000,000 expected.",
                           "Top missing: Sales 380,000 below pace."),
                    buttons=(Button("Open score", "sc", "5"), Button("Snooze", "nd:snz", "9")),
                ).to_dict(),
            }
            for n in range(messages)
        ]  # fmt: skip
        outbox.enqueue_many(uow.session, now=_now(), rows=rows)
        uow.commit()
    engine.dispose()


def drain(url: str, fake: Platform, per_second: float) -> float:
    """Run the dispatcher until nothing is pending; return the wall time it took."""
    engine = make_engine(url)
    sessions = session_factory(engine)
    deliverer = WebhookDeliverer(fake.url, per_second=per_second, per_target_interval=1.0)
    dispatcher = OutboxDispatcher(
        lambda: UnitOfWork(sessions, _now), [deliverer], DispatchPolicy(max_attempts=50)
    )

    async def run() -> None:
        while True:
            await dispatcher.run_once()
            with engine.connect() as c:
                left = c.execute(
                    select(func.count()).where(Outbox.status == "pending")
                ).scalar_one()
            if not left:
                break
            await asyncio.sleep(0.05)  # only rows waiting out a 429 or a busy chat remain
        await deliverer.aclose()

    t0 = time.perf_counter()
    asyncio.run(run())
    elapsed = time.perf_counter() - t0
    with engine.connect() as c:
        states = Counter(
            dict(c.execute(select(Outbox.status, func.count()).group_by(Outbox.status)).all())
        )
    engine.dispose()
    if states.get("failed") or states.get("pending"):
        raise AssertionError(f"rows not delivered: {dict(states)}")
    return elapsed


def rate(accepted: list[tuple[str, str, float]]) -> float:
    times = sorted(t for _, _, t in accepted)
    return (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--messages", type=int, default=600)
    args, kinds = parse_with_databases(ap)
    print(f"dispatching {args.messages} messages to {PEOPLE} people through the webhook "
          f"deliverer; fake platform limit {LIMIT:.0f}/s")  # fmt: skip
    for kind, url in databases(kinds):
        for declared in (LIMIT, LIMIT * 4 / 3):
            tag = f"at{declared:.0f}"
            prepare(url, args.messages, tag)
            with Platform(LIMIT) as fake:
                took = drain(url, fake, per_second=declared)
                accepted, refused = fake.stats()
            counts = Counter(title for _, title, _ in accepted if title.startswith(tag))
            once = len(counts) == args.messages and set(counts.values()) == {1}
            r = rate(accepted)
            what = (
                "paced to the limit"
                if declared == LIMIT
                else (f"told the limit is {declared:.0f}/s (robustness)")
            )
            print(
                f"{kind if declared == LIMIT else '':>10}{':' if declared == LIMIT else ' '} "
                f"{what}: {r:.1f} messages/s "
                f"sustained = {r / LIMIT:.0%} of the limit; {refused} answered 429, each "
                f"retried after its Retry-After; every message delivered exactly once: "
                f"{once}; {took:.1f} s"
            )  # fmt: skip
        prepare(url, args.messages, "unlimited")
        with Platform(1e9) as fake:
            took = drain(url, fake, per_second=float("inf"))
            accepted, _ = fake.stats()
        print(f"{'':>10}  with no limit: {rate(accepted):.0f} messages/s ({took:.1f} s)")


if __name__ == "__main__":
    main()
