"""Retention of raw source records: facts (and their source payloads) and unmatched records
older than the configured number of days are deleted, in one statement each.

Facts of a period that is open, or closed more recently than the cutoff, stay: their scores
may still be recomputed (an appeal after close). A closed period's frozen scores keep their
breakdown lines (score_line), so its results and `/score` stand; only `/explain` of such a
figure has no records left to show. Facts behind a correction still watched stay too, so
their deletion isn't told to a manager as a change at the source.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import delete, exists, or_

from store.models import FigureCorrection, MetricFact, Period, UnmatchedRecord
from store.uow import UnitOfWork

ACTION = "retention.purge"


@dataclass(frozen=True)
class Purge:
    before: date  # records that occurred before this day (seen before it, unmatched ones)
    facts: int
    unmatched: int


def purge_source_records(uow: UnitOfWork, days: int, *, actor: str) -> Purge:
    """Delete source records older than `days` days, in the unit of work (not committed);
    audited when anything went."""
    now = uow.clock()
    since = now - timedelta(days=days)
    f, p, fc = MetricFact, Period, FigureCorrection
    live = exists().where(
        f.occurred_on >= p.starts_on,
        f.occurred_on <= p.ends_on,
        or_(p.status != "closed", p.closed_at.is_(None), p.closed_at >= since),
    )
    watched = exists().where(
        fc.employee_id == f.employee_id,
        fc.metric == f.metric,
        fc.active.is_(True),
        fc.source_changed_at.is_(None),
        fc.period_id == p.id,
        f.occurred_on >= p.starts_on,
        f.occurred_on <= p.ends_on,
    )
    facts = uow.session.execute(
        delete(f).where(f.occurred_on < since.date(), ~live, ~watched),
        execution_options={"synchronize_session": False},
    )
    unmatched = uow.session.execute(
        delete(UnmatchedRecord).where(UnmatchedRecord.seen_at < since),
        execution_options={"synchronize_session": False},
    )
    done = Purge(since.date(), int(facts.rowcount or 0), int(unmatched.rowcount or 0))  # type: ignore[attr-defined]
    if done.facts or done.unmatched:
        uow.audit(
            actor=actor,
            action=ACTION,
            entity="metric_fact",
            after={"before": done.before, "facts": done.facts, "unmatched": done.unmatched},
        )
    return done
