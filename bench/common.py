"""Shared benchmark plumbing: throwaway databases and peak memory."""

from __future__ import annotations

import os
import resource
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

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
