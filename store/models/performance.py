"""Periods, goals, facts from source systems, scores and incentive flags."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base


class Period(Base):
    __tablename__ = "period"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(16), unique=True)  # 2026-11, 2026-Q4
    kind: Mapped[str] = mapped_column(String(10))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | closed
    closed_at: Mapped[datetime | None]


class Goal(Base):
    __tablename__ = "goal"
    __table_args__ = (Index("ix_goal_period_owner", "period_id", "employee_id", "metric"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id"))
    level: Mapped[str] = mapped_column(String(10))  # company | team | employee
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("goal.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    key: Mapped[str | None] = mapped_column(String(64))  # stable id from the goals file
    title: Mapped[str] = mapped_column(String(300))
    metric: Mapped[str | None] = mapped_column(String(64))  # None: a non-numeric goal
    target: Mapped[Decimal | None]  # once confirmed (or acknowledged), the one that scores
    # A changed target waiting for the manager's confirmation; `target` counts meanwhile.
    proposed_target: Mapped[Decimal | None]
    unit: Mapped[str] = mapped_column(String(20), default="")
    direction: Mapped[str] = mapped_column(String(10), default="higher")
    rule: Mapped[str] = mapped_column(String(20), default="equal")  # how children split it
    places: Mapped[int] = mapped_column(default=0, server_default="0")  # children's rounding
    weights: Mapped[dict[str, Any] | None]  # the "weights" rule's shares: {team: "3"}
    # proposed -> confirmed (manager) -> acknowledged (employee)
    status: Mapped[str] = mapped_column(String(20), default="proposed")
    progress: Mapped[Decimal | None]  # manual progress 0-100 for non-numeric goals
    updated_at: Mapped[datetime]
    # When the one waiting on it (to confirm, to acknowledge) was last reminded.
    reminded_at: Mapped[datetime | None]


class GoalUpdateLog(Base):
    __tablename__ = "goal_update"
    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    percent: Mapped[Decimal]
    note: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str | None] = mapped_column(String(500))
    at: Mapped[datetime]


class KpiAdjustment(Base):
    __tablename__ = "kpi_adjustment"
    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id"), index=True)
    requested_by: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    old_target: Mapped[Decimal | None]
    new_target: Mapped[Decimal]
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # approved | rejected
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    decision_note: Mapped[str] = mapped_column(Text, default="")
    effective_from: Mapped[date | None]
    created_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]  # HR reminded of it, once


class MetricFact(Base):
    """One figure from a source record, with its provenance (R4)."""

    __tablename__ = "metric_fact"
    __table_args__ = (
        UniqueConstraint("source", "record_id", "metric"),
        Index("ix_fact_emp_metric_day", "employee_id", "metric", "occurred_on"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    metric: Mapped[str] = mapped_column(String(64))
    value: Mapped[Decimal]
    occurred_on: Mapped[date]
    source: Mapped[str] = mapped_column(String(64))  # crm, helpdesk, import:<file>
    record_id: Mapped[str] = mapped_column(String(128))
    link: Mapped[str | None] = mapped_column(String(500))
    fetched_at: Mapped[datetime]
    raw: Mapped[dict[str, Any] | None]
    raw_hash: Mapped[str | None] = mapped_column(String(64))
    void: Mapped[bool] = mapped_column(default=False)


class UnmatchedRecord(Base):
    """A source record whose employee is unknown: kept aside and reported, never dropped."""

    __tablename__ = "unmatched_record"
    __table_args__ = (UniqueConstraint("source", "record_id", "metric"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[str] = mapped_column(String(128))
    metric: Mapped[str] = mapped_column(String(64))
    employee_key: Mapped[str] = mapped_column(String(254))
    reason: Mapped[str] = mapped_column(String(300))  # English: JSON output, older rows
    # The reason's msgid and values (said.to_data), so `perfbot unmatched` says it in the
    # operator's language; None for a reason stored before (or without) one.
    reason_said: Mapped[dict[str, Any] | None]
    raw: Mapped[dict[str, Any] | None]
    seen_at: Mapped[datetime]


# Room on every page for one new version of each row: a re-score updates score and
# score_line in place, and on PostgreSQL such an update touches no index (a HOT update)
# only when the new version fits on the row's page (store/score_write.py).
RESCORED_IN_PLACE = {"fillfactor": 50}


class Score(Base):
    __tablename__ = "score"
    __table_args__ = (
        UniqueConstraint("employee_id", "period_id"),
        {"postgresql_with": RESCORED_IN_PLACE},
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id"), index=True)
    total: Mapped[Decimal]
    coverage: Mapped[Decimal]  # sum of weights with data
    band: Mapped[str] = mapped_column(String(40), default="")
    # What was scored: the scorecard and its dimensions (metric, label, kind, pos); the
    # figures of each dimension are its ScoreLine rows. Read both through
    # store.breakdowns. Plain JSON: one constant per scorecard, nothing queries inside it.
    breakdown: Mapped[dict[str, Any]] = mapped_column(JSON)
    computed_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]  # the manager confirmed the review
    frozen: Mapped[bool] = mapped_column(default=False)


# Attainment and points are rounded to cents by the arithmetic itself.
Cents = Numeric(9, 2, asdecimal=True)


class ScoreLine(Base):
    """One scorecard dimension of a stored score, as it was computed: the breakdown snapshot.

    Written and replaced only by store/scoring_sql.py, 5-10 rows per score at 100,000
    people a run, so: native numbers (no JSON to format), no surrogate key, and no foreign
    keys (their per-row checks cost a third of the write); the score of (employee, period)
    owns its lines. What the dimension is (metric, label, kind) is in Score.breakdown.
    """

    __tablename__ = "score_line"
    __table_args__ = ({"sqlite_with_rowid": False, "postgresql_with": RESCORED_IN_PLACE},)
    period_id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(primary_key=True)
    pos: Mapped[int] = mapped_column(primary_key=True)  # the dimension's place on the scorecard
    weight: Mapped[Decimal]
    actual: Mapped[Decimal | None]  # the rating itself for a rating dimension
    target: Mapped[Decimal | None]
    attainment: Mapped[Decimal | None] = mapped_column(Cents)  # percent; None = no data
    points: Mapped[Decimal] = mapped_column(Cents)
    facts: Mapped[int]
    sources: Mapped[str | None] = mapped_column(String(200))


class ManagerRating(Base):
    __tablename__ = "manager_rating"
    __table_args__ = (UniqueConstraint("employee_id", "period_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id"))
    rater_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    rating: Mapped[int]
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime]


class SelfAssessment(Base):
    """The employee's own words on a period (`/self`), shown on the manager's rating card."""

    __tablename__ = "self_assessment"
    __table_args__ = (UniqueConstraint("employee_id", "period_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id"))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime]  # last written


class IncentiveFlag(Base):
    __tablename__ = "incentive_flag"
    __table_args__ = (UniqueConstraint("employee_id", "period_id", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # bonus, promotion
    reason: Mapped[str] = mapped_column(String(300))
    at: Mapped[datetime]


class Calibration(Base):
    """HR's calibrated final total of one person's period result (R9). The computed total
    stays in Score.total; results and incentives use `final_total` where a row exists."""

    __tablename__ = "calibration"
    __table_args__ = (UniqueConstraint("employee_id", "period_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id"), index=True)
    computed_total: Mapped[Decimal]  # Score.total when HR calibrated
    final_total: Mapped[Decimal]
    reason: Mapped[str] = mapped_column(Text)
    by: Mapped[str] = mapped_column(String(254))  # the actor's e-mail, or "cli"
    at: Mapped[datetime]


class FigureCorrection(Base):
    """A figure corrected by an accepted appeal (R4): an explicit adjustment, never a fact.

    Scoring uses `value_after` for the person, metric and period in place of what the facts
    give, while the source records stay as they are. Only the latest one of a figure is
    `active`. `fingerprint` is the records behind the figure when it was corrected (count,
    sum, latest fetch), so a later change of them in the source can be told to the manager.
    """

    __tablename__ = "figure_correction"
    __table_args__ = (
        Index("ix_correction_period_emp", "period_id", "employee_id", "metric"),
        # One correction in force per figure, even under concurrent accepts.
        Index(
            "uq_correction_active",
            "employee_id",
            "period_id",
            "metric",
            unique=True,
            sqlite_where=text("active"),
            postgresql_where=text("active"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id"))
    metric: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(10), default="metric")  # metric | rating
    value_before: Mapped[Decimal | None]
    value_after: Mapped[Decimal]
    appeal_id: Mapped[int | None] = mapped_column(ForeignKey("appeal.id"), index=True)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime]
    active: Mapped[bool] = mapped_column(default=True)
    fingerprint: Mapped[str | None] = mapped_column(String(120))
    source_changed_at: Mapped[datetime | None]  # the manager was told the records changed
