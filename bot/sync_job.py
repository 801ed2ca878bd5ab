"""Sync every configured source, then re-score the open periods the new facts touch.

`sync_all` is what `perfbot sync` and the scheduler call; it never raises for one bad
source: each source's problems end up in its summary, and the other sources still run.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from connectors.config import SourceConfig, load_sources
from connectors.rest import RestConnector
from connectors.sync import Progress, SyncSummary, sync_source
from handlers.scores import PeriodClosed, ScoringSetup, score_all
from store.models import Period
from store.sync_lock import SyncBusy
from store.uow import UnitOfWork

log = logging.getLogger(__name__)


@dataclass
class SyncReport:
    summaries: list[SyncSummary] = field(default_factory=list)
    rescored: list[str] = field(default_factory=list)  # period keys

    @property
    def ok(self) -> bool:
        return all(s.complete and not s.errors for s in self.summaries)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "sources": [s.as_dict() for s in self.summaries],
            "rescored_periods": self.rescored,
        }


def sync_all(
    *,
    uow: Callable[[], UnitOfWork],
    scoring: ScoringSetup,
    sources: Path | Sequence[SourceConfig],
    environ: Mapping[str, str] | None = None,
    only: str | None = None,
    full: bool = False,
    progress: Progress | None = None,
    actor: str = "sync",
    batch_size: int = 5000,
    **client_options: Any,
) -> SyncReport:
    """Sync each source (or only `only`) in turn; re-score affected open periods once.

    Raises ConfigError for a bad sources.yaml or missing secrets, LookupError for an
    unknown `only`; source failures are reported in the summaries instead.
    """
    environ = os.environ if environ is None else environ
    configs = load_sources(sources, environ=environ) if isinstance(sources, Path) else sources
    if only is not None:
        configs = [c for c in configs if c.name == only]
        if not configs:
            raise LookupError(f"no source named {only!r} in the configuration")
    report = SyncReport()
    for config in configs:
        try:
            with RestConnector.from_config(config, environ, **client_options) as connector:
                summary = sync_source(
                    connector, uow, full=full, progress=progress, actor=actor, batch_size=batch_size
                )
        except SyncBusy as exc:
            summary = SyncSummary(source=config.name, errors=[str(exc)])
        report.summaries.append(summary)
    report.rescored = rescore_after(uow, scoring, report.summaries, actor)
    return report


def affected_periods(uow: UnitOfWork, summaries: Sequence[SyncSummary]) -> list[str]:
    """Open periods to re-score: all of them when existing facts changed (their old dates
    are gone), else those overlapping the new records' dates."""
    touched = [s for s in summaries if s.new or s.changed or s.voided]
    if not touched:
        return []
    p = Period
    query = select(p.key).where(p.status == "open").order_by(p.starts_on)
    if not any(s.touched_existing for s in touched):
        first = min((s.first_day for s in touched if s.first_day), default=date.min)
        last = max((s.last_day for s in touched if s.last_day), default=date.max)
        query = query.where(p.starts_on <= last, p.ends_on >= first)
    with uow:
        return list(uow.session.scalars(query))


def rescore_after(
    uow: Callable[[], UnitOfWork],
    scoring: ScoringSetup,
    summaries: Sequence[SyncSummary],
    actor: str = "sync",
) -> list[str]:
    """Re-score the affected open periods; returns their keys."""
    done = []
    for key in affected_periods(uow(), summaries):
        try:
            score_all(key, uow=uow(), setup=scoring, actor=actor)
            done.append(key)
        except (LookupError, PeriodClosed) as exc:  # closed between the query and now
            log.warning("not re-scoring %s: %s", key, exc)
    return done
