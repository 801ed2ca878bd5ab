"""Build everything once at the entry point and hand each part only what it uses."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine

from bot.config import Settings
from handlers.dispatch import Dispatcher
from store.db import make_engine, session_factory
from store.schema import ensure_current
from store.uow import Clock, UnitOfWork


def system_clock() -> datetime:
    """Now, in UTC."""
    return datetime.now(UTC)


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    uow: Callable[[], UnitOfWork]
    clock: Clock
    dispatcher: Dispatcher


def build(
    settings: Settings,
    *,
    clock: Clock = system_clock,
    check_schema: bool = True,
    engine: Engine | None = None,
) -> Runtime:
    """Engine, unit-of-work factory, clock and the command dispatcher, wired together."""
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)
    engine = engine or make_engine(settings.database_url)
    if check_schema:
        ensure_current(engine)
    sessions = session_factory(engine)

    def uow() -> UnitOfWork:
        return UnitOfWork(sessions, clock)

    deps = {"uow": uow, "clock": clock}
    return Runtime(settings, engine, uow, clock, Dispatcher(deps))
