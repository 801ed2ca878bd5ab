"""The demo company seeded once per test session and cloned per test (seeding takes seconds,
cloning milliseconds). Import the fixtures into a conftest.py to use them."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.conftest import NOW, PG_ADMIN, FrozenClock, pg_database


def _seed(url: str) -> None:
    from bot.bootstrap import build
    from bot.config import Settings
    from bot.demo.seed import seed_all

    rt = build(Settings(database_url=url), clock=FrozenClock(NOW))
    seed_all(rt.uow, NOW, rt.scoring)
    rt.engine.dispose()


@pytest.fixture(scope="session")
def seeded_sqlite(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("seeded") / "demo.db"
    shutil.copy(sqlite_template, path)
    _seed(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def seeded_pg(pg_template: str) -> Iterator[str]:
    name = f"perfbot_seeded_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"')
    _seed(PG_ADMIN.rsplit("/", 1)[0] + "/" + name)
    yield name
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def demo_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A private copy of the seeded demo company, once per backend."""
    if request.param == "sqlite":
        path = tmp_path / "demo.db"
        shutil.copy(request.getfixturevalue("seeded_sqlite"), path)
        yield f"sqlite:///{path}"
        return
    yield from pg_database(request.getfixturevalue("seeded_pg"))


@pytest.fixture
def demo_rt(demo_url: str, clock: FrozenClock):  # type: ignore[no-untyped-def]
    """The real bootstrap on a copy of the demo company, with the frozen clock."""
    from bot.bootstrap import build
    from bot.config import Settings

    rt = build(Settings(database_url=demo_url), clock=clock)
    yield rt
    rt.engine.dispose()
