"""Shared benchmark plumbing: throwaway databases, the demo company grown for a load test,
and peak memory."""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import psycopg

PG_ADMIN = os.environ.get("PERFBOT_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def database(kind: str) -> Iterator[str]:
    """A fresh empty database URL of the given kind, removed afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/bench.db"
        return
    name = f"perfbot_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_available() -> bool:
    """True when the benchmark PostgreSQL answers."""
    try:
        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return True
    except Exception:
        return False


def clone_score(session: Any, score: Any, employee_ids: Sequence[int], now: Any) -> None:
    """Give each of `employee_ids` a copy of a stored score, its breakdown lines included."""
    from sqlalchemy import insert, select, true

    from store.models import Employee, Score, ScoreLine

    session.execute(
        insert(Score),
        [
            {"employee_id": e, "period_id": score.period_id, "total": score.total,
             "coverage": score.coverage, "band": score.band, "breakdown": score.breakdown,
             "computed_at": now, "frozen": False}
            for e in employee_ids
        ],
    )  # fmt: skip
    line = ScoreLine.__table__.c
    cols = [c.name for c in ScoreLine.__table__.columns if c.name != "employee_id"]
    session.execute(  # one set-based copy: the source's lines for every id
        insert(ScoreLine).from_select(
            [*cols, "employee_id"],
            select(*[line[c] for c in cols], Employee.id)
            # every source line for every id: a cross join, said so (no warning)
            .join_from(ScoreLine.__table__, Employee.__table__, true())
            .where(
                line.employee_id == score.employee_id,
                line.period_id == score.period_id,
                Employee.id.in_(employee_ids),
            ),
        )
    )


def parse_with_databases(
    parser: argparse.ArgumentParser, default: str = "both"
) -> tuple[argparse.Namespace, list[str]]:
    """Add `--db sqlite|postgresql|both` and parse; the arguments and the databases to run,
    PostgreSQL left out (said so) when no server answers."""
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default=default)
    args = parser.parse_args()
    chosen = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    if "postgresql" in chosen and not pg_available():
        print(f"postgresql: skipped (no server answers at {PG_ADMIN})")
        chosen.remove("postgresql")
    return args, chosen


def databases(kinds: Iterable[str]) -> Iterator[tuple[str, str]]:
    """Each kind with a fresh empty database of it, removed before the next one."""
    for kind in kinds:
        with database(kind) as url:
            yield kind, url


def demo_with_reps(
    url: str,
    reps: int,
    *,
    clock: Callable[[], datetime] | None = None,
    identity: Callable[[int, int], dict[str, Any]] | None = None,
) -> tuple[Any, list[int]]:
    """The demo company plus `reps` sales reps beside Ana Li (her team, manager and
    scorecard), each with a copy of her score of the newest month, and a chat account from
    `identity(n, employee_id)`; seeded notices count as sent. The runtime and the reps' ids."""
    from sqlalchemy import insert, select, update

    from bot.bootstrap import build
    from bot.config import Settings
    from bot.demo.seed import seed_all
    from store.db import make_engine
    from store.models import ChatIdentity, Employee, Outbox, Period, Score
    from store.schema import upgrade

    upgrade(make_engine(url))
    rt = build(Settings(database_url=url), **({"clock": clock} if clock else {}))
    now = rt.clock()
    seed_all(rt.uow, now, rt.scoring)
    with rt.uow() as uow:
        s = uow.session
        ana = s.scalars(select(Employee).where(Employee.email == "ana.li@acme.example")).one()
        month = select(Period.id).where(Period.kind == "month", Period.starts_on <= now.date())
        period_id = s.scalar(month.order_by(Period.starts_on.desc()).limit(1))
        score = s.scalars(
            select(Score).where(Score.employee_id == ana.id, Score.period_id == period_id)
        ).one()
        s.execute(insert(Employee), [
            {"email": f"rep{i}@bench.example", "name": f"Rep {i}", "title": "Account Executive",
             "team_id": ana.team_id, "manager_id": ana.manager_id, "branch_id": ana.branch_id,
             "role": "employee", "scorecard": ana.scorecard, "active": True}
            for i in range(reps)
        ])  # fmt: skip
        ids = list(
            s.scalars(
                select(Employee.id)
                .where(Employee.email.like("rep%@bench.example"))
                .order_by(Employee.id)
            )
        )
        if identity is not None:
            rows = [identity(n, emp) | {"linked_at": now} for n, emp in enumerate(ids)]
            s.execute(insert(ChatIdentity), rows)
        clone_score(s, score, ids, now)
        s.execute(update(Outbox).values(status="sent"))  # seeded notices: not part of a bench
        uow.commit()
    return rt, ids


def employee_rows(ids: Iterable[int], **fields: Any) -> list[dict[str, Any]]:
    """Rows for a bulk insert into `employee`: e{id}@x.example, active employees with `fields`
    (a callable field is called with the id)."""
    return [
        {"id": i, "email": f"e{i}@x.example", "name": f"E {i}", "title": "", "role": "employee",
         "active": True} | {k: v(i) if callable(v) else v for k, v in fields.items()}
        for i in ids
    ]  # fmt: skip


def goal_rows(
    ids: Iterable[int],
    metrics: Iterable[str],
    now: datetime,
    target: Callable[[str], Any],
    lower: Collection[str] = (),
) -> list[dict[str, Any]]:
    """A confirmed goal of period 1 per person and metric, `target(metric)` to reach (or,
    for the metrics in `lower`, to stay under)."""
    return [
        {"period_id": 1, "level": "employee", "employee_id": i, "title": m, "metric": m,
         "target": target(m), "unit": "", "direction": "lower" if m in lower else "higher",
         "rule": "equal", "status": "confirmed", "updated_at": now}
        for i in ids
        for m in metrics
    ]  # fmt: skip


def fact_rows(facts: Iterable[tuple[int, str, Any, date]], now: datetime) -> list[dict[str, Any]]:
    """Rows for a bulk insert into `metric_fact` from (employee, metric, value, day)."""
    return [
        {"employee_id": i, "metric": m, "value": Decimal(v), "occurred_on": d, "source": "bench",
         "record_id": f"{i}-{m}-{d.day}", "fetched_at": now, "void": False}
        for i, m, v, d in facts
    ]  # fmt: skip


def insert_people(
    conn: Any,
    ids: Sequence[int],
    *,
    employee: Mapping[str, Any],
    metrics: Iterable[str],
    target: Callable[[str], Any],
    lower: Collection[str] = (),
    facts: Iterable[tuple[int, str, Any, date]],
    now: datetime,
) -> None:
    """Bulk-insert a batch of people: their employee rows (`employee_rows`), a goal per
    metric (`goal_rows`) and their facts (`fact_rows`)."""
    from sqlalchemy import insert

    from store.models import Employee, Goal, MetricFact

    conn.execute(insert(Employee.__table__), employee_rows(ids, **employee))
    conn.execute(insert(Goal.__table__), goal_rows(ids, metrics, now, target, lower))
    conn.execute(insert(MetricFact.__table__), fact_rows(facts, now))
