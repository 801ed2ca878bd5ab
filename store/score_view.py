"""What /score shows, read in one statement: /score is the command people use most."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Connection,
    Integer,
    and_,
    bindparam,
    case,
    cast,
    func,
    lambda_stmt,
    literal,
    literal_column,
    null,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.sql.selectable import CompoundSelect

from store.breakdowns import HEAD_TEXT, LINE_COLUMNS, assemble, head_of
from store.goal_targets import HAS_UNIT, PENDING
from store.models import (
    Branch,
    Employee,
    FigureCorrection,
    Goal,
    ManagerRating,
    MetricFact,
    Period,
    Score,
    ScoreLine,
)

# Rows of four parts, told apart by `part`: the person with the period, the score and each
# of its lines (outer joins: no period, no score or no lines is an answer too); a row per
# source of their figures in that period with its latest fetch time, and the manager's
# rating ("manager", the source of a rating line) with when it was given; the person's
# corrections in force; their goals with a unit or a target awaiting confirmation.
# Prebuilt Core: no ORM entity is loaded, no statement built and hashed per call, and one
# round trip where there were three (each statement's own cost, in SQLAlchemy, was more
# than the indexed read behind it: bench/slack_load.py).
_emp, _period, _score, _fact = (m.__table__.c for m in (Employee, Period, Score, MetricFact))
_line = ScoreLine.__table__.c
_branch = Branch.__table__.c
_fetch_period = Period.__table__.alias("fetch_period")
_rating = ManagerRating.__table__.c
_fix = FigureCorrection.__table__.c
_goal = Goal.__table__.c

OWN, FETCHED, FIXED, GOALS = 0, 1, 2, 3  # the parts

# The person's own columns, then a line's: a row slice is what assemble() takes.
_OWN = (
    _emp.name,
    _emp.active,
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
# The columns after a line's, each part filling its own.
_TAIL = {
    "source": _fact.source.type,
    "fetched_at": _fact.fetched_at.type,
    "metric": _fix.metric.type,
    "figure": _fix.value_before.type,  # a correction's figure before; a goal's pending target
    "appeal": _fix.appeal_id.type,
    "unit": _goal.unit.type,
}
_LATER = ("source", "fetched_at")  # given by the part right after the person's
# Where the tail's columns are in a row (read by position: a row's names cost more).
_PART, _SOURCE, _FETCHED_AT, _METRIC, _FIGURE, _APPEAL, _UNIT = range(
    _LINE_AT.stop, _LINE_AT.stop + 1 + len(_TAIL)
)


def _typed_null(col: Any) -> Any:
    # Typed, so that the rows of the other parts come back as what they hold.
    return type_coerce(null(), col.type).label(col.name)


def _others(part: int, **given: Any) -> list[Any]:
    """A row of a part other than the person's: NULL for the person and a line, which part,
    then the part's own columns (the rest NULL, typed)."""
    return [
        *[null()] * len(_OWN),
        *[_typed_null(_line[f]) for f in LINE_COLUMNS],
        *_tail(part, given),
    ]


def _tail(part: int, given: dict[str, Any]) -> list[Any]:
    return [
        literal_column(str(part), Integer()).label("part"),
        *[type_coerce(given.get(name, null()), kind).label(name) for name, kind in _TAIL.items()],
    ]


def _own_tail() -> list[Any]:
    # PostgreSQL types a UNION's columns pair by pair, from the left: a NULL in the first two
    # parts would become text and then clash with a number. The person's rows cast them.
    return [
        literal_column(str(OWN), Integer()).label("part"),
        *[
            (type_coerce if name in _LATER else cast)(null(), kind).label(name)
            for name, kind in _TAIL.items()
        ],
    ]


_VIEW: CompoundSelect[Any] = union_all(
    select(*_OWN, *[_line[f] for f in LINE_COLUMNS], *_own_tail())
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
    select(*_others(FETCHED, source=_fact.source, fetched_at=func.max(_fact.fetched_at)))
    .select_from(MetricFact.__table__.join(_fetch_period, _fetch_period.c.key == bindparam("key")))
    .where(
        _fact.employee_id == bindparam("person"),
        _fact.occurred_on >= _fetch_period.c.starts_on,
        _fact.occurred_on <= _fetch_period.c.ends_on,
    )
    .group_by(_fact.source),
    select(*_others(FETCHED, source=literal("manager"), fetched_at=_rating.at))
    .select_from(
        ManagerRating.__table__.join(_fetch_period, _fetch_period.c.id == _rating.period_id)
    )
    .where(_rating.employee_id == bindparam("person"), _fetch_period.c.key == bindparam("key")),
    # The corrections in force: metric -> (figure before, appeal).
    select(*_others(FIXED, metric=_fix.metric, figure=_fix.value_before, appeal=_fix.appeal_id))
    .select_from(
        FigureCorrection.__table__.join(_fetch_period, _fetch_period.c.id == _fix.period_id)
    )
    .where(
        _fix.employee_id == bindparam("person"),
        _fetch_period.c.key == bindparam("key"),
        _fix.active.is_(True),
    ),
    # The person's goals with a unit (`CNY`, `%`) or a target awaiting confirmation (a
    # first proposal or a change): metric -> that target (NULL when none waits), unit.
    select(
        *_others(
            GOALS,
            metric=_goal.metric,
            figure=case((PENDING, func.coalesce(_goal.proposed_target, _goal.target))),
            unit=_goal.unit,
        )
    )
    .select_from(Goal.__table__.join(_fetch_period, _fetch_period.c.id == _goal.period_id))
    .where(
        _goal.employee_id == bindparam("person"),
        _fetch_period.c.key == bindparam("key"),
        _goal.level == "employee",
        _goal.metric.is_not(None),
        or_(PENDING, HAS_UNIT),
    ),
)

# Run as a lambda statement, whose cache key is the lambda's code: the union's own key has
# some 3,000 elements, and SQLAlchemy hashed it on every execution to find the compiled
# statement (~14 us, two thirds of the read itself on SQLite).
_RUN_VIEW = lambda_stmt(lambda: _VIEW)


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
    # metric -> (figure before, appeal) of the person's corrections in force
    corrected: dict[str, tuple[Decimal | None, int | None]] = field(default_factory=dict)
    pending: dict[str, Decimal] = field(default_factory=dict)  # targets not confirmed yet
    units: dict[str, str] = field(default_factory=dict)  # the goals' units, by metric
    active: bool = True  # the person's: one's own /score refuses a leaver (no other read)


def score_view(conn: Connection, person_id: int, period_key: str) -> ScoreView:
    """The person's score of the period with that key (the person must exist)."""
    own: list[Any] = []
    fetched: dict[str, datetime] = {}
    corrected: dict[str, tuple[Decimal | None, int | None]] = {}
    pending: dict[str, Decimal] = {}
    units: dict[str, str] = {}
    for r in conn.execute(_RUN_VIEW, {"key": period_key, "person": person_id}).all():
        part = r[_PART]
        if part == OWN:
            own.append(r)
        elif part == FETCHED:
            fetched[r[_SOURCE]] = r[_FETCHED_AT]
        elif part == FIXED:
            corrected[r[_METRIC]] = (r[_FIGURE], r[_APPEAL])
        elif metric := r[_METRIC]:
            if r[_FIGURE] is not None:
                pending[metric] = r[_FIGURE]
            if r[_UNIT]:
                units[metric] = r[_UNIT]
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
        fetched=fetched,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        branch=row.branch,
        timezone=row.timezone,
        corrected=corrected,
        pending=pending,
        units=units,
        active=bool(row.active),
    )
