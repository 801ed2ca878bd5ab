"""What people do to each other in chat: praise and appeals."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base, JSONDoc


class Praise(Base):
    __tablename__ = "praise"
    __table_args__ = (
        Index("ix_praise_giver_at", "giver_id", "at"),
        Index("ix_praise_period_receiver", "period_id", "receiver_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    giver_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    receiver_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    # The receiver's period when given, so /team counts praise per period exactly.
    period_id: Mapped[int | None] = mapped_column(ForeignKey("period.id"))
    text: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(JSONDoc, default=list)
    contribution: Mapped[dict[str, Any]]  # figures and records attached automatically
    at: Mapped[datetime]


_UNDECIDED = "status IN ('open', 'needs_info')"


class Appeal(Base):
    __tablename__ = "appeal"
    __table_args__ = (
        Index("ix_appeal_emp_period_metric", "employee_id", "period_id", "metric"),
        # One undecided appeal per person, metric and period, even under concurrent requests.
        Index(
            "uq_appeal_undecided",
            "employee_id",
            "period_id",
            "metric",
            unique=True,
            sqlite_where=text(_UNDECIDED),
            postgresql_where=text(_UNDECIDED),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id"))
    metric: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    # open -> needs_info -> open ... -> accepted | rejected; escalated (to HR) stays open
    status: Mapped[str] = mapped_column(String(20), default="open")
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))  # manager or HR
    disputed_value: Mapped[Decimal | None]
    corrected_value: Mapped[Decimal | None]
    resolution_note: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[str] = mapped_column(Text, default="")  # the employee's answers
    created_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    reminded_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]
