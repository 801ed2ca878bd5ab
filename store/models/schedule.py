"""Scheduling state: where each goal stands for nudges, which scheduled jobs finished, and
which process leads the scheduler."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base


class NudgeState(Base):
    """At-risk state of one goal: behind since when, last nudged in which week, snoozed."""

    __tablename__ = "nudge_state"
    goal_id: Mapped[int] = mapped_column(
        ForeignKey("goal.id", ondelete="CASCADE"), primary_key=True
    )
    # Set when the sweep first finds the goal behind pace; cleared when it recovers.
    behind_since: Mapped[datetime | None]
    last_ratio: Mapped[Decimal | None]
    last_nudged_at: Mapped[datetime | None]
    last_bucket: Mapped[str | None] = mapped_column(String(16))  # e.g. 2026-W47
    snoozed_until: Mapped[datetime | None]
    updated_at: Mapped[datetime]


class JobRun(Base):
    """Last start and finish of each scheduled job, so a leader that died mid-run is
    caught up by the next one (APScheduler has already moved the job's next run on)."""

    __tablename__ = "job_run"
    job_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(10), default="running")  # ok | error
    error: Mapped[str | None] = mapped_column(Text)


class SchedulerLeader(Base):
    """The leading scheduler's heartbeat (one row): who leads, since when, and when it last
    said so, so an operator (`perfbot doctor`, /metrics) can tell a live leader from a dead one."""

    __tablename__ = "scheduler_leader"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)  # "scheduler"
    holder: Mapped[str] = mapped_column(String(200))  # host:pid of the leading process
    since: Mapped[datetime]
    beat_at: Mapped[datetime]
