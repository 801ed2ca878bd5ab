"""Queries of the scheduled jobs and of what re-scores after new facts (bot/scheduler*.py,
bot/sync_job.py, bot/ingest/): the ledger of job runs and the open periods' keys."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import select

from store.facts_upsert import owners
from store.models import JobRun, Period
from store.queries.base import Queries


class JobsQueries(Queries):
    """Named reads and writes of the scheduler's jobs and the re-scores after a sync."""

    def start_run(self, job_id: str, at: datetime) -> None:
        """Mark a job running since `at` in the ledger (its last run's outcome cleared)."""
        row = self.session.get(JobRun, job_id) or JobRun(job_id=job_id, started_at=at)
        row.started_at, row.finished_at, row.status, row.error = at, None, "running", None
        self.session.add(row)

    def finish_run(self, job_id: str, at: datetime, status: str, error: str | None) -> None:
        """Mark a job's run finished at `at`, "ok" or "error" (nothing if it never started)."""
        row = self.session.get(JobRun, job_id)
        if row is not None:
            row.finished_at, row.status, row.error = at, status, error

    def unfinished_runs(self, since: datetime) -> list[str]:
        """Jobs that started at or after `since` and are still marked running."""
        query = select(JobRun.job_id).where(JobRun.status == "running", JobRun.started_at >= since)
        return list(self.session.scalars(query))

    def open_period_keys(self) -> list[str]:
        """Keys of the open periods, in the order the database gives them."""
        return list(self.session.scalars(select(Period.key).where(Period.status == "open")))

    def open_period_keys_between(
        self, first: date | None = None, last: date | None = None
    ) -> list[str]:
        """Keys of the open periods, earliest first; given days, those overlapping them."""
        p = Period
        query = select(p.key).where(p.status == "open").order_by(p.starts_on)
        if first is not None and last is not None:
            query = query.where(p.starts_on <= last, p.ends_on >= first)
        return list(self.session.scalars(query))

    def open_period_ids(self) -> list[int]:
        """Ids of the open periods."""
        return list(self.session.scalars(select(Period.id).where(Period.status == "open")))

    def record_owners(self, source: str, record_ids: Sequence[str]) -> set[int]:
        """Employees the stored facts of these records of `source` belong to."""
        return owners(self.session, source, record_ids)

    def period_keys_ended_before(self, cutoff: date) -> list[str]:
        """Keys of the open periods that ended before `cutoff`, earliest first."""
        p = Period
        query = select(p.key).where(p.status == "open", p.ends_on < cutoff)
        return list(self.session.scalars(query.order_by(p.starts_on)))
