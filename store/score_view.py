"""What /score shows, read in one statement: /score is the command people use most."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    and_,
    bindparam,
    func,
    literal,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.sql.selectable import CompoundSelect

from store.breakdowns import HEAD_TEXT, LINE_COLUMNS, assemble, head_of
from store.models import Branch, Employee, ManagerRating, MetricFact, Period, Score, ScoreLine

# Rows for the person with the period, the score and each of its lines (outer joins: no
# period, no score or no lines is an answer too), then a row per source of their figures
# in that period with its latest fetch time, and the manager's rating ("manager", the
# source of a rating line) with when it was given. Prebuilt Core: no ORM entity is loaded, no
# statement built and hashed per call.
_emp, _period, _score, _fact = (m.__table__.c for m in (Employee, Period, Score, MetricFact))
_line = ScoreLine.__table__.c
_branch = Branch.__table__.c
_fetch_period = Period.__table__.alias("fetch_period")
_rating = ManagerRating.__table__.c


def _typed_null(col: Any) -> Any:
    # Typed, so that the rows of the other half come back as what they hold.
    return type_coerce(null(), col.type).label(col.name)


# The person's own columns, then a line's: a row slice is what assemble() takes.
_OWN = (
    _emp.name,
    _emp.scorecard,
    _period.id.label("period_id"),
    _period.status.label("period_status"),
    _period.closed_at,
    _score.id.label("score_id"),
    HEAD_TEXT,
    _score.total,
    _score.coverage,
    _score.band,
    # Whether the period still runs, and the person's local calendar: for pace.
    _period.starts_on,
    _period.ends_on,
    _branch.name.label("branch"),
    _branch.timezone,
)
_LINE_AT = slice(len(_OWN), len(_OWN) + len(LINE_COLUMNS))

_VIEW: CompoundSelect[Any] = union_all(
    select(
        *_OWN,
        *[_line[f] for f in LINE_COLUMNS],
        _typed_null(_fact.source),
        _typed_null(_fact.fetched_at),
    )
    .select_from(
        Employee.__table__.join(Branch.__table__, _branch.id == _emp.branch_id)
        .outerjoin(Period.__table__, _period.key == bindparam("key"))
        .outerjoin(
            Score.__table__, and_(_score.employee_id == _emp.id, _score.period_id == _period.id)
        )
        .outerjoin(
            ScoreLine.__table__,
            and_(_line.employee_id == _emp.id, _line.period_id == _score.period_id),
        )
    )
    .where(_emp.id == bindparam("person")),
    select(
        *[null()] * len(_OWN),
        *[_typed_null(_line[f]) for f in LINE_COLUMNS],
        _fact.source,
        func.max(_fact.fetched_at),
    )
    .select_from(MetricFact.__table__.join(_fetch_period, _fetch_period.c.key == bindparam("key")))
    .where(
        _fact.employee_id == bindparam("person"),
        _fact.occurred_on >= _fetch_period.c.starts_on,
        _fact.occurred_on <= _fetch_period.c.ends_on,
    )
    .group_by(_fact.source),
    select(
        *[null()] * len(_OWN),
        *[_typed_null(_line[f]) for f in LINE_COLUMNS],
        type_coerce(literal("manager"), _fact.source.type).label("source"),
        type_coerce(_rating.at, _fact.fetched_at.type).label("fetched_at"),
    )
    .select_from(
        ManagerRating.__table__.join(_fetch_period, _fetch_period.c.id == _rating.period_id)
    )
    .where(_rating.employee_id == bindparam("person"), _fetch_period.c.key == bindparam("key")),
)


@dataclass(frozen=True)
class ScoreView:
    """A person's stored score of a period, with when each source behind it was fetched."""

    name: str
    scorecard: str | None
    period_id: int | None  # None: no period has that key
    period_status: str | None  # open | closed
    closed_at: datetime | None
    breakdown: dict[str, Any] | None  # None: no score stored for that period
    fetched: dict[str, datetime]  # source -> the latest fetch of its figures in the period
    # ("manager": when the rating was given)
    starts_on: date | None = None  # the period's
    ends_on: date | None = None
    branch: str = ""  # the person's branch and its time zone
    timezone: str = "UTC"


def score_view(conn: Connection, person_id: int, period_key: str) -> ScoreView:
    """The person's score of the period with that key (the person must exist)."""
    rows = conn.execute(_VIEW, {"key": period_key, "person": person_id}).all()
    own = [r for r in rows if r.source is None]  # the person's; the others name a source
    row = own[0]
    return ScoreView(
        name=row.name,
        scorecard=row.scorecard,
        period_id=row.period_id,
        period_status=row.period_status,
        closed_at=row.closed_at,
        breakdown=(
            assemble(
                head_of(row.breakdown),
                row.total,
                row.coverage,
                row.band,
                [r[_LINE_AT] for r in own],
            )
            if row.score_id is not None
            else None
        ),
        fetched={r.source: r.fetched_at for r in rows if r.source is not None},
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        branch=row.branch,
        timezone=row.timezone,
    )
