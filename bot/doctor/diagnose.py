"""Every check of `perfbot doctor`, in order: configuration, database and schema, chat
platforms, sources, then the health readings. A check that can't work because an earlier
one failed (no database: no readings) is left out, so one fault is one line."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import Engine

from bot.clock import clock_for
from bot.config import Settings
from bot.doctor import install, reach, readings
from bot.doctor.finding import Finding
from bot.doctor.run import bounded
from bot.platforms import PLATFORMS
from connectors.config import SourceConfig
from handlers.scores.compute import ScoringSetup
from store.db import session_factory
from store.uow import UnitOfWork


def diagnose(make_settings: Callable[[], Settings], seconds: float) -> list[Finding]:
    """All the findings; each check gets at most `seconds`."""
    s = install.settings(make_settings)
    if isinstance(s, Finding):
        return [s]
    setup, found = install.scoring(s)
    configs, more = install.sources(s)
    found += more + install.extras(s)
    engine = install.engine_for(s.database_url)
    try:
        db = bounded("database", lambda: install.database(engine), seconds)
        found += db
        ready = not any(f.failed for f in db)
        if ready:
            current = bounded("schema", lambda: install.schema(engine), seconds)
            found += current
            ready = not any(f.failed for f in current)
        chat: list[Finding] = []
        for name, check in reach.chat_checks(s):
            chat += bounded(name, check, seconds)
        found += chat + reach.no_chat(chat)
        for config in configs:
            assert s.sources is not None  # the file the configs were loaded from
            check = reach.source_check(config, s.sources)
            found += bounded(f"source:{config.name}", check, seconds)
        if ready:
            found += bounded("readings", lambda: _readings(engine, s, setup, configs), seconds)
    finally:
        engine.dispose()
    return found


def _readings(
    engine: Engine, s: Settings, setup: ScoringSetup | None, configs: Sequence[SourceConfig]
) -> list[Finding]:
    uow = UnitOfWork(session_factory(engine), clock_for(s.now))
    with uow.reading() as u:
        now, h = u.clock(), u.health
        found = [
            *readings.leader(h, now),
            *readings.outbox(h, now, tuple(PLATFORMS)),
            *readings.syncs(h, now, [c.name for c in configs]),
            *readings.people(h),
        ]
        if setup is not None:
            found += readings.scorecards(h, list(setup.config.scorecards))
    return found
