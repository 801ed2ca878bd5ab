"""Shared fixtures: a migrated database on SQLite and on PostgreSQL, a frozen clock."""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine

from store.db import make_engine
from store.schema import upgrade

PG_ADMIN = os.environ.get("PERFBOT_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # Friday, 10:00 in Shanghai
# Every command the tests start (CliRunner, `python -m bot serve ...`) runs at NOW too, as an
# operator's would with PERFBOT_NOW: the seeded data never drifts from the clock reading it.
os.environ["PERFBOT_NOW"] = NOW.isoformat()
# The CLI speaks its operator's language (PERFBOT_LOCALE, else LANG): English for the suite,
# whatever the developer's shell speaks; tests of the operator's locale set their own.
os.environ["PERFBOT_LOCALE"] = "en"


class FrozenClock:
    """A clock tests move by hand."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="session", autouse=True)
def real_date() -> Iterator[None]:
    """PERFBOT_TEST_REAL_DATE=2028-02-29T04:00Z moves this process's real clock there for the
    whole run (time-machine, ticking): the suite must pass whatever today's date is, so a
    `date.today()` or `datetime.now()` left in product code shows up as a failure."""
    at = os.environ.get("PERFBOT_TEST_REAL_DATE")
    if not at:
        yield
        return
    import time_machine

    with time_machine.travel(datetime.fromisoformat(at.replace("Z", "+00:00")), tick=True):
        yield


def wall_time() -> float:
    """The host's real time even under PERFBOT_TEST_REAL_DATE: what a server in another
    process (not moved by time-machine) checks a request's signed timestamp against."""

    import time_machine

    hatch = time_machine.escape_hatch
    return float(hatch.time.time()) if hatch.is_travelling() else time.time()


def _pg_available() -> str | None:
    try:
        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return None
    except Exception as exc:
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A migrated template database; each test clones it (fast) and drops the clone."""
    problem = _pg_available()
    if problem:
        msg = f"PostgreSQL not reachable at {PG_ADMIN}: {problem}"
        if IN_CI:
            pytest.fail(msg + " (CI=true: PostgreSQL tests must run)")
        pytest.skip(msg)
    name = f"perfbot_tmpl_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    engine = make_engine(PG_ADMIN.rsplit("/", 1)[0] + "/" + name)
    upgrade(engine)
    engine.dispose()
    yield name
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file; each test copies it."""
    path = tmp_path_factory.mktemp("tmpl") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


def pg_database(template: str | None) -> Iterator[str]:
    """The URL of a throwaway database, a clone of `template` (else empty), dropped after."""
    name = f"perfbot_test_{uuid.uuid4().hex[:10]}"
    clone = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"{clone}')
    yield PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _pg_url(request: pytest.FixtureRequest) -> Iterator[str]:
    yield from pg_database(request.getfixturevalue("pg_template"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A freshly migrated, empty database URL, once per backend."""
    if request.param == "sqlite":
        path = tmp_path / "perfbot.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
    else:
        yield from _pg_url(request)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def runtime(db_url: str, clock: FrozenClock):  # type: ignore[no-untyped-def]
    """The real bootstrap on a fresh database, with the frozen clock."""
    from bot.bootstrap import build
    from bot.config import Settings

    rt = build(Settings(database_url=db_url), clock=clock)
    yield rt
    rt.engine.dispose()


@pytest.fixture
def demo(demo_rt):  # type: ignore[no-untyped-def]
    """The runtime on a private copy of the demo company (seeded once per session)."""
    return demo_rt


# Imported last: tests.fakes.seeded reads NOW, PG_ADMIN and FrozenClock from this module.
from tests.fakes.seeded import demo_rt, demo_url, seeded_pg, seeded_sqlite  # noqa: E402

__all__ = ["demo_rt", "demo_url", "seeded_pg", "seeded_sqlite"]
