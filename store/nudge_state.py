"""Nudge state writes in bulk: goals found behind (and nudged), goals that recovered."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, func, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from store.models import NudgeState


def _insert(session: Session) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(NudgeState)


def mark_behind(
    session: Session,
    now: datetime,
    rows: Sequence[tuple[int, Decimal | None, str | None]],
) -> None:
    """(goal_id, ratio, bucket nudged in or None): behind since now unless already behind."""
    if not rows:
        return
    ins = _insert(session)
    ex = ins.excluded
    stmt = ins.on_conflict_do_update(
        index_elements=[NudgeState.goal_id],
        set_={
            "behind_since": func.coalesce(NudgeState.behind_since, ex.behind_since),
            "last_ratio": ex.last_ratio,
            "last_nudged_at": func.coalesce(ex.last_nudged_at, NudgeState.last_nudged_at),
            "last_bucket": func.coalesce(ex.last_bucket, NudgeState.last_bucket),
            "updated_at": ex.updated_at,
        },
    )
    session.execute(
        stmt,
        [
            {
                "goal_id": goal_id,
                "behind_since": now,
                "last_ratio": ratio,
                "last_nudged_at": now if bucket else None,
                "last_bucket": bucket,
                "snoozed_until": None,
                "updated_at": now,
            }
            for goal_id, ratio, bucket in rows
        ],
    )


def mark_recovered(
    session: Session, now: datetime, rows: Sequence[tuple[int, Decimal | None]]
) -> None:
    """(goal_id, ratio): back on pace; the next fall behind is a new episode."""
    if not rows:
        return
    stmt = (
        update(NudgeState)
        .where(NudgeState.goal_id == bindparam("gid"))
        .values(behind_since=None, last_ratio=bindparam("ratio"), updated_at=now)
        .execution_options(synchronize_session=False)
    )
    session.connection().execute(stmt, [{"gid": g, "ratio": r} for g, r in rows])


def snooze(session: Session, goal_id: int, until: datetime, now: datetime) -> None:
    """No nudges about this goal until `until`."""
    ins = _insert(session).values(goal_id=goal_id, snoozed_until=until, updated_at=now)
    session.execute(
        ins.on_conflict_do_update(
            index_elements=[NudgeState.goal_id],
            set_={"snoozed_until": until, "updated_at": now},
        )
    )
