"""Drain the outbox through the platform deliverers, within their rate limits.

Delivery guarantee: at least once, with a duplicate possible only in one crash window.
A row is claimed with a lease (store/outbox.py), delivered with no transaction open, and
marked sent in its own short transaction straight after the platform answered, fenced by
the claim's attempt number. Retries, throttling, concurrent replicas and restarts never
send a row twice. If the process dies after the platform took a message but before the
mark commits (a few milliseconds), the row is sent again when its lease ends: chat
platforms offer no idempotency key, so the alternative would be to lose messages, and a
lost appeal or approval card is worse than a repeated one.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot import strings as bs
from bot.delivery import Deliverer, DeliveryError, Target
from bot.metrics import Metrics
from handlers.cards import Card
from handlers.i18n import speaking
from handlers.people.unreachable import report_unreachable
from said import Said, said_of
from store.outbox import Claimed
from store.queries.delivery import DeliveryQueries
from store.queries.health import NO_PLATFORM
from store.recipients import Reach
from store.uow import UowFactory

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DispatchPolicy:
    """Retry, lease and pacing settings (see Settings.outbox)."""

    max_attempts: int = 6
    lease_seconds: float = 120.0  # longer than any delivery may take
    backoff_seconds: float = 30.0  # first retry; doubles per attempt
    backoff_max_seconds: float = 3600.0
    jitter: float = 0.1
    batch: int = 50
    headroom: float = 0.95  # pace at 95% of a platform's limit: jitter then never trips it
    per_target_interval: float = 1.0  # seconds between two messages to one chat
    max_in_flight: int = 8  # concurrent calls per platform
    max_wait: float = 2.0  # a row waiting longer than this for its chat goes back to the queue


@dataclass
class DispatchStats:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    throttled: int = 0
    failed: int = 0
    unreachable: int = 0
    lost_claims: int = 0  # settled by someone else meanwhile (should stay 0)

    def summary(self) -> str:
        """How a run went, for people: `claimed 8, sent 7, retried 1` (the counts not zero;
        `nothing due` when all are)."""
        counts = [(n.replace("_", " "), getattr(self, n)) for n in self.__dataclass_fields__]
        return ", ".join(f"{name} {n}" for name, n in counts if n) or "nothing due"

    def add(self, other: DispatchStats) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class _Job:
    claim: Claimed
    target: Target
    card: Card
    deliverer: Deliverer

    @property
    def chat(self) -> tuple[str, str]:
        t = self.target
        return self.deliverer.platform, str(t.employee_id) if t.employee_id else str(t.channel)


@dataclass
class _Pace:
    """Monotonic times at which a platform, or one chat on it, may be called again."""

    platform_next: dict[str, float] = field(default_factory=dict)
    paused_until: dict[str, float] = field(default_factory=dict)
    chat_next: dict[tuple[str, str], float] = field(default_factory=dict)


class OutboxDispatcher:
    """Claims due rows, picks the deliverer that can reach each, paces and settles them."""

    def __init__(
        self,
        uow: UowFactory,
        deliverers: Sequence[Deliverer],
        policy: DispatchPolicy | None = None,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: random.Random | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self._uow, self._deliverers = uow, list(deliverers)
        self._metrics = metrics
        self.policy = policy or DispatchPolicy()
        self._mono, self._sleep = monotonic, sleep
        self._rng = rng or random.Random()
        self._pace = _Pace()

    async def run_once(self, budget: float | None = None) -> DispatchStats:
        """Deliver due rows until none are due (or `budget` seconds have passed)."""
        stats, start = DispatchStats(), self._mono()
        while budget is None or self._mono() - start < budget:
            claims = await asyncio.to_thread(self._claim)
            if not claims:
                break
            stats.claimed += len(claims)
            stats.add(await self._batch(claims))
        return stats

    def run_sync(self, budget: float | None = None) -> DispatchStats:
        """run_once from synchronous code (the CLI)."""
        return asyncio.run(self.run_once(budget))

    def _claim(self) -> list[Claimed]:
        with self._uow() as uow:
            now = uow.clock()
            lease = now + timedelta(seconds=self.policy.lease_seconds)
            claims = uow.delivery.claim_due(now, lease, self.policy.batch)
            uow.commit()
        return claims

    def _reach(self, ids: list[int | None]) -> dict[int, Reach]:
        with self._uow() as uow:
            return uow.delivery.reach([i for i in ids if i is not None])

    async def _batch(self, claims: list[Claimed]) -> DispatchStats:
        stats = DispatchStats()
        people = await asyncio.to_thread(self._reach, [c.recipient_id for c in claims])
        by_platform: dict[str, list[_Job]] = {}
        for claim in claims:
            try:
                card = Card.from_dict(claim.payload)
            except (KeyError, TypeError, ValueError) as exc:
                await self._fail(claim, Said(bs.OUTBOX_UNREADABLE, error=repr(exc)), stats)
                continue
            if claim.recipient_id is None:
                target = Target(None, None, None, channel=claim.channel)
            else:
                person = people.get(claim.recipient_id)
                if person is None or not person.active:
                    await self._fail(claim, Said(bs.OUTBOX_INACTIVE), stats)
                    continue
                if person.unreachable_since is not None:
                    since = person.unreachable_since.isoformat(timespec="minutes")
                    why = Said(bs.OUTBOX_RECIPIENT_UNREACHABLE, since=since)
                    await self._fail(claim, why, stats)
                    continue
                target = Target(
                    person.employee_id,
                    person.email,
                    person.name,
                    identities=dict(person.identities),
                    dm_channels=dict(person.dm_channels),
                    locale=person.locale,
                    mobile=person.mobile,
                )
            deliverer = next((d for d in self._deliverers if d.can_reach(target)), None)
            if deliverer is None:
                await self._failed_attempt(claim, Said(bs.OUTBOX_NO_ROUTE), stats)
                continue
            by_platform.setdefault(deliverer.platform, []).append(
                _Job(claim, target, card, deliverer)
            )
        results = await asyncio.gather(*(self._platform(jobs) for jobs in by_platform.values()))
        if self._metrics is not None:  # before the platforms' shares join the unrouted ones
            self._metrics.record_delivery(NO_PLATFORM, stats.sent, stats.failed)
            for platform, r in zip(by_platform, results, strict=True):
                self._metrics.record_delivery(platform, r.sent, r.failed)
        for r in results:
            stats.add(r)
        return stats

    async def _platform(self, jobs: list[_Job]) -> DispatchStats:
        """Send one platform's jobs at its pace, several in flight, no chat too often."""
        stats, pace, pol = DispatchStats(), self._pace, self.policy
        deliverer = jobs[0].deliverer
        name = deliverer.platform
        rate = deliverer.per_second * pol.headroom
        interval = 1.0 / rate if rate > 0 and rate != float("inf") else 0.0
        per_chat = float(getattr(deliverer, "per_target_interval", pol.per_target_interval))
        slots, tasks = asyncio.Semaphore(pol.max_in_flight), []
        pending, start, planned = [], self._mono(), dict(pace.chat_next)
        for job in sorted(jobs, key=lambda j: j.claim.id):
            at = max(planned.get(job.chat, 0.0), start)
            if at - start > pol.max_wait:
                # Its chat is busy for a while: back to the queue, unpenalised.
                await self._later(job.claim, at - start, None, stats)
                continue
            planned[job.chat] = at + per_chat
            pending.append(job)
        while pending:
            now = self._mono()
            ready = max(pace.platform_next.get(name, 0.0), pace.paused_until.get(name, 0.0))
            job = min(pending, key=lambda j: pace.chat_next.get(j.chat, 0.0))
            ready = max(ready, pace.chat_next.get(job.chat, 0.0))
            if ready - now > pol.max_wait:  # the platform asked for a pause meanwhile
                pending.remove(job)
                await self._later(job.claim, ready - now, None, stats)
                continue
            if ready > now:
                await self._sleep(ready - now)
                continue
            pending.remove(job)
            last = pace.platform_next.get(name, 0.0)
            # Keep an unbroken stream on its grid (no drift); after a gap start afresh.
            pace.platform_next[name] = (last if now - last < interval else now) + interval
            pace.chat_next[job.chat] = now + per_chat
            await slots.acquire()
            tasks.append(asyncio.create_task(self._deliver(job, slots, stats)))
        await asyncio.gather(*tasks)
        self._forget_old_chats()
        return stats

    async def _deliver(self, job: _Job, slots: asyncio.Semaphore, stats: DispatchStats) -> None:
        try:
            with speaking(job.target.locale):  # the platform's own words ("…and 3 more")
                ref = await asyncio.wait_for(
                    job.deliverer.deliver(job.target, job.card), self.policy.lease_seconds / 2
                )
        except DeliveryError as exc:
            await self._delivery_error(job, exc, stats)
        except Exception as exc:  # a bug or a timeout in an adapter: retry like a failure
            # The type only: a message may quote the card (what someone wrote in an appeal);
            # the whole of it stays on the row (`perfbot outbox list`).
            log.warning("delivering outbox row %s raised %s", job.claim.id, type(exc).__name__)
            await self._failed_attempt(job.claim, f"{type(exc).__name__}: {exc}", stats)
        else:
            await self._settle(
                job.claim,
                stats,
                "sent",
                lambda q, now: q.mark_sent(job.claim, now, str(ref)),
            )
        finally:
            slots.release()

    async def _delivery_error(self, job: _Job, exc: DeliveryError, stats: DispatchStats) -> None:
        claim, platform = job.claim, job.deliverer.platform
        if exc.retry_after is not None:
            wait = max(0.0, float(exc.retry_after))
            self._pace.paused_until[platform] = max(
                self._pace.paused_until.get(platform, 0.0), self._mono() + wait
            )
            stats.throttled += 1
            why = Said(bs.OUTBOX_THROTTLED, platform=platform, error=_reason(exc))
            await self._later(claim, wait, why, stats)
        elif exc.unreachable and job.target.employee_id is not None:
            emp_id, title = job.target.employee_id, job.card.title
            await asyncio.to_thread(self._mark_unreachable, claim, emp_id, platform, exc, title)
            stats.unreachable += 1
            stats.failed += 1
        elif exc.permanent or exc.unreachable:
            why = Said(bs.OUTBOX_FAILED_ON, platform=platform, error=_reason(exc))
            await self._fail(claim, why, stats)
        else:
            why = Said(bs.OUTBOX_FAILED_ON, platform=platform, error=_reason(exc))
            await self._failed_attempt(claim, why, stats)

    def _mark_unreachable(
        self, claim: Claimed, emp_id: int, platform: str, exc: Exception, title: str
    ) -> None:
        with self._uow() as uow:
            why = Said(bs.OUTBOX_UNREACHABLE, platform=platform, error=_reason(exc))
            if uow.delivery.mark_failed(claim, why):
                report_unreachable(
                    uow, emp_id, platform=platform, reason=_reason(exc), missed_title=title
                )
            uow.commit()

    async def _failed_attempt(self, claim: Claimed, error: str, stats: DispatchStats) -> None:
        """Retry with exponential backoff, or give up after max_attempts."""
        pol = self.policy
        if claim.attempt >= pol.max_attempts:
            why = Said(bs.OUTBOX_GAVE_UP, attempts=claim.attempt, error=error)
            await self._fail(claim, why, stats)
            return
        delay = min(pol.backoff_seconds * 2 ** (claim.attempt - 1), pol.backoff_max_seconds)
        delay *= 1 + self._rng.uniform(-pol.jitter, pol.jitter)
        await self._settle(
            claim,
            stats,
            "retried",
            lambda q, now: q.retry_at(claim, now + timedelta(seconds=delay), error),
        )

    async def _later(
        self, claim: Claimed, wait: float, why: str | None, stats: DispatchStats
    ) -> None:
        """Back to the queue without counting an attempt (throttled, or its chat is busy)."""
        await self._settle(
            claim,
            stats,
            "",
            lambda q, now: q.retry_at(claim, now + timedelta(seconds=wait), why, counted=False),
        )

    async def _fail(self, claim: Claimed, error: str, stats: DispatchStats) -> None:
        # Only the error's head (e.g. "HTTP 400"): a receiver may echo the card back.
        log.warning("outbox row %s failed: %s", claim.id, error.split(":", 1)[0][:80])
        await self._settle(claim, stats, "failed", lambda q, now: q.mark_failed(claim, error))

    async def _settle(
        self,
        claim: Claimed,
        stats: DispatchStats,
        counter: str,
        op: Callable[[DeliveryQueries, datetime], bool],
    ) -> None:
        def run() -> bool:
            with self._uow() as uow:
                ok = op(uow.delivery, uow.clock())
                uow.commit()
            return ok

        if await asyncio.to_thread(run):
            if counter:
                setattr(stats, counter, getattr(stats, counter) + 1)
        else:
            stats.lost_claims += 1
            log.warning("outbox row %s was settled by someone else meanwhile", claim.id)

    def _forget_old_chats(self) -> None:
        if len(self._pace.chat_next) > 10_000:
            now = self._mono()
            self._pace.chat_next = {k: v for k, v in self._pace.chat_next.items() if v > now}


def _reason(exc: Exception) -> str:
    """A deliverer's reason: its Said when it said one, else its English (an SDK's)."""
    return said_of(exc) or str(exc)
