"""Sync every configured source, then re-score the open periods the new facts touch
(`perfbot sync`, `perfbot import`; the scheduler calls connectors.sync.sync_all and then
scores every open period itself)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from connectors.config import SourceConfig
from connectors.sync import SyncReport, SyncSummary
from connectors.sync import sync_all as connectors_sync_all
from handlers.appeals.correction_watch import watch_corrections
from handlers.scores.compute import PeriodClosed, ScoringSetup, score_all
from store.uow import UnitOfWork

log = logging.getLogger(__name__)


def sync_all(
    *,
    uow: Callable[[], UnitOfWork],
    scoring: ScoringSetup,
    sources: Path | Sequence[SourceConfig],
    actor: str = "sync",
    **options: Any,
) -> SyncReport:
    """connectors.sync.sync_all, then a re-score of the open periods the run touched."""
    report = connectors_sync_all(uow=uow, sources=sources, actor=actor, **options)
    report.rescored = rescore_after(uow, scoring, report.summaries, actor)
    return report


def affected_periods(uow: UnitOfWork, summaries: Sequence[SyncSummary]) -> list[str]:
    """Open periods to re-score: all of them when existing facts changed (their old dates
    are gone), else those overlapping the new records' dates."""
    touched = [s for s in summaries if s.new or s.changed or s.voided]
    if not touched:
        return []
    first = last = None
    if not any(s.touched_existing for s in touched):
        first = min((s.first_day for s in touched if s.first_day), default=date.min)
        last = max((s.last_day for s in touched if s.last_day), default=date.max)
    with uow:
        return uow.jobs.open_period_keys_between(first, last)


def rescore_after(
    uow: Callable[[], UnitOfWork],
    scoring: ScoringSetup,
    summaries: Sequence[SyncSummary],
    actor: str = "sync",
) -> list[str]:
    """Re-score the affected open periods, and tell managers of corrected figures whose
    records changed (bot/sync_job is where every sync ends); returns the periods' keys."""
    if any(s.new or s.changed or s.voided for s in summaries):
        watch_corrections(uow(), scoring, actor=actor)
    done = []
    for key in affected_periods(uow(), summaries):
        try:
            score_all(key, uow=uow(), setup=scoring, actor=actor)
            done.append(key)
        except (LookupError, PeriodClosed) as exc:  # closed between the query and now
            log.warning("not re-scoring %s: %s", key, exc)
    return done
