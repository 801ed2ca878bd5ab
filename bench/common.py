"""Shared benchmark plumbing: throwaway databases and peak memory."""

from __future__ import annotations

import os
import resource
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
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
