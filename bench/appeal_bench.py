"""Appeals and praise under concurrency, in-process through the dispatcher (no HTTP).

The demo company plus N sales reps, each with this month's score. 50 threads fire:
1. /score from distinct people: the read path, the baseline of the same run;
2. /appeal sales from distinct people: all filed once (checked in the database), with
   no connector configured (one transaction) and with a re-fetch wired in (a pre-pass
   reads the records outside the write transaction, then the appeal is filed);
3. the same /appeal again: every one refused as a duplicate;
4. /praise from the reps' manager with an allowance: exactly the allowance stored.
Throughput, median and p95 latency, and each ratio to the /score baseline.

    .venv/bin/python bench/appeal_bench.py [--requests 1000] [--concurrency 50]
        [--db sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select

from bench.common import database, demo_with_reps, parse_with_databases
from handlers.actor import Actor
from handlers.identity import actor_for
from handlers.praise.give import PraisePolicy
from store.models import Appeal, Employee, Praise

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


@dataclass
class Run:
    seconds: float
    latencies: list[float]
    ok: int

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def show(self, name: str, baseline: Run | None = None) -> None:
        lat = sorted(self.latencies)
        p95 = lat[int(len(lat) * 0.95) - 1] * 1000
        ratio = f", {self.rate / baseline.rate:.2f}x the /score rate" if baseline else ""
        print(
            f"  {name:<42} {self.rate:7.0f} req/s  median {statistics.median(lat) * 1000:6.1f} ms"
            f"  p95 {p95:6.1f} ms  ok {self.ok}/{len(lat)}{ratio}"
        )


def populate(url: str, reps: int) -> Any:
    """The demo company plus `reps` sales reps under Chen Jing, each scored this month."""
    return demo_with_reps(url, reps, clock=lambda: NOW)[0]


def actors(rt: Any, like: str) -> list[Actor]:
    with rt.uow() as uow:
        people = uow.session.scalars(
            select(Employee).where(Employee.email.like(like)).order_by(Employee.id)
        ).all()
        return [actor_for(e, "bench") for e in people]


def fire(jobs: list[Callable[[], Any]], concurrency: int) -> Run:
    """Run the jobs on `concurrency` threads; time each and the whole."""
    latencies, ok, lock, it = [], [0], threading.Lock(), iter(jobs)

    def worker() -> None:
        while True:
            with lock:
                job = next(it, None)
            if job is None:
                return
            t0 = time.perf_counter()
            reply = job()
            took = time.perf_counter() - t0
            with lock:
                latencies.append(took)
                ok[0] += bool(reply.ok)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return Run(time.perf_counter() - t0, latencies, ok[0])


def count(rt: Any, model: Any, *where: Any) -> int:
    with rt.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model).where(*where)))


def bench(kind: str, n: int, conc: int) -> None:
    with database(kind) as url:
        rt = populate(url, 2 * n)
        reps = actors(rt, "rep%@bench.example")
        first, second = reps[:n], reps[n : 2 * n]
        d = rt.dispatcher
        fetching = d.with_deps(refetch=lambda source, record_id: None)
        fire([lambda a=a: d.text(a, "/score") for a in reps[:200]], conc)  # warm up
        print(f"{kind}: {n} requests from distinct people, {conc} threads, one process")
        score = fire([lambda a=a: d.text(a, "/score") for a in first], conc)
        score.show("/score (baseline)")
        filed = fire([lambda a=a: d.text(a, "/appeal sales deals missing") for a in first], conc)
        filed.show("/appeal, no connector (one transaction)", score)
        pre = fire(
            [lambda a=a: fetching.text(a, "/appeal sales deals missing") for a in second], conc
        )
        pre.show("/appeal, re-fetch pre-pass (two)", score)
        dup = fire([lambda a=a: d.text(a, "/appeal sales again") for a in first], conc)
        dup.show("/appeal again (refused as duplicate)", score)
        stored = count(rt, Appeal)
        pairs = select(Appeal.employee_id, Appeal.metric).distinct().subquery()
        distinct = count(rt, pairs)
        print(f"  appeals stored {stored}, distinct person+metric {distinct}, expected {2 * n}")
        assert stored == distinct == 2 * n and filed.ok == pre.ok == n and dup.ok == 0
        [chen] = actors(rt, "chen.jing@acme.example")
        capped = d.with_deps(praise_policy=PraisePolicy(daily_allowance=5))
        praise = fire([lambda: capped.text(chen, "/praise @ana.li great week")] * 200, conc)
        praise.show("/praise, allowance 5 (200 tries)", score)
        assert count(rt, Praise) == praise.ok == 5
        rt.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=50)
    args, kinds = parse_with_databases(parser)
    for kind in kinds:
        bench(kind, args.requests, args.concurrency)


if __name__ == "__main__":
    main()
