"""Build everything once at the entry point and hand each part only what it uses."""

from __future__ import annotations

import os

from sqlalchemy import Engine

from bot.clock import clock_for
from bot.config import Settings
from bot.metered import MeteredDispatcher
from bot.metrics import Metrics
from bot.platform_names import CONTACTS
from bot.platforms import PLATFORMS
from bot.policy import pace_policy
from bot.runtime import Runtime
from bot.scoring_setup import load_scoring
from connectors.refetch import SourceRefetch
from handlers.appeals.window import AppealWindow
from handlers.closing.preview import ClosePolicy
from handlers.praise.give import PraisePolicy
from handlers.scores.compute import rescore
from store.db import make_engine, session_factory
from store.schema import ensure_current
from store.uow import Clock, UnitOfWork


def source_refetch(settings: Settings) -> SourceRefetch | None:
    """Re-fetching single records through the configured sources, if there are any."""
    if settings.sources is None or not settings.sources.exists():
        return None
    return SourceRefetch(settings.sources, os.environ)


def build(
    settings: Settings,
    *,
    clock: Clock | None = None,
    check_schema: bool = True,
    engine: Engine | None = None,
) -> Runtime:
    """Engine, unit-of-work factory, clock and the command dispatcher, wired together.
    Without a `clock`, the one PERFBOT_NOW sets (else the real one)."""
    now: Clock = clock or clock_for(settings.now)
    engine = engine or make_engine(settings.database_url)
    if check_schema:
        ensure_current(engine)
    sessions = session_factory(engine)

    audit_key = settings.audit.key_bytes()

    def uow() -> UnitOfWork:
        return UnitOfWork(sessions, now, audit_key)

    setup = load_scoring(settings)

    def rescore_people(u: UnitOfWork, period_id: int, employee_ids: list[int]) -> None:
        rescore(u, setup, period_id, employee_ids)

    start_links: dict[str, str] = {}
    # The branches' calendar (PERFBOT_NUDGE_HOLIDAYS) for pace and the appeal window; a bad
    # holiday file is reported by the commands that sweep, here weekends still count.
    calendar = pace_policy(settings)
    deps = {
        "uow": uow,
        "clock": now,
        "scoring": setup,
        "rescore": rescore_people,
        # Appeal cards re-fetch each disputed record from its source (PERFBOT_SOURCES'
        # `fetch_one:`); without a sources file the card shows the stored records only.
        "refetch": source_refetch(settings),
        "appeal_window": AppealWindow(settings.appeal_window_days, calendar.holidays),
        "praise_policy": PraisePolicy(
            by_anyone=settings.praise_by_anyone,
            daily_allowance=settings.praise_daily_allowance,
            channel=settings.recognition_channel,
        ),
        "start_links": start_links,
        "contacts": CONTACTS,
        "close_policy": ClosePolicy(settings.close_min_coverage),
        # Pace in /score and /team: the sweep's holidays and minimum elapsed share.
        "sweep_policy": calendar,
    }
    metrics = Metrics()
    metrics.watch(uow, tuple(PLATFORMS))
    dispatcher = MeteredDispatcher(deps, metrics)
    return Runtime(settings, engine, uow, now, dispatcher, setup, start_links, metrics)
