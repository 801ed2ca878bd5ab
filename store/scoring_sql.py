"""Score a whole period in set-based SQL: the dimension lines, then the totals from them.

The arithmetic is exactly scoring/scorecard.py's (see its module docstring): attainment
rounded to 2 places and capped, points rounded per dimension, the total re-normalised
over the dimensions that have data. Each dimension's figures are stored as a ScoreLine
(native numbers) and the score's breakdown names the scorecard and its dimensions, so a
score can be re-explained later exactly as it was (store/breakdowns.py reads both).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any
from typing import cast as cast_type

from sqlalchemy import (
    JSON,
    Float,
    Integer,
    Numeric,
    String,
    Table,
    and_,
    bindparam,
    case,
    cast,
    column,
    exists,
    func,
    insert,
    literal,
    null,
    select,
    table,
    text,
    update,
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from scoring.bands import band_for
from scoring.formula import FormulaError, evaluate
from scoring.scorecard import RatingScale, Scorecard, ScoringConfig, formula_values
from store import score_write as write
from store.actuals import SpecLike, actuals_select
from store.corrections import in_force
from store.goal_targets import COUNTED_STATUSES
from store.models import Employee, Goal, ManagerRating, Period, Score, ScoreLine
from store.sqlfn import round2, rows_table

# Core tables: bulk statements without the ORM's bookkeeping (its DELETE would fetch every
# deleted key back; its UPDATE with many rows wants them by primary key).
_LINES = cast_type(Table, ScoreLine.__table__)
_SCORES = cast_type(Table, Score.__table__)


_DIM_COLS = [
    ("scorecard", String()),
    ("metric", String()),
    ("weight", Numeric(9, 4)),
    ("direction", String()),
    ("cap", Numeric(9, 4)),
    ("kind", String()),
    ("pos", Integer()),
]


def _dims(config: ScoringConfig) -> Any:
    rows = [
        (key, d.metric, d.weight, d.direction, d.cap, d.kind, i)
        for key, card in config.scorecards.items()
        for i, d in enumerate(card.dimensions)
    ]
    return rows_table("d", _DIM_COLS, rows or [("", "", 0, "higher", 120, "metric", 0)])


def breakdown_head(key: str, card: Scorecard) -> dict[str, Any]:
    """What a score's breakdown stores itself: the scorecard and what each dimension is."""
    return {
        "scorecard": key,
        "dimensions": [
            {"pos": i, "metric": d.metric, "label": d.label or d.metric, "kind": d.kind}
            for i, d in enumerate(card.dimensions)
        ],
    }


def _rating(dialect: str, r: Any, scale: RatingScale) -> Any:
    """scoring.attainment.rating_attainment; a rating off the scale (the scale changed
    after it was given) counts as the nearest end."""
    # Exact decimals on PostgreSQL; SQLite would divide integers, so it gets a float.
    steps = cast(r.actual - scale.low, Numeric() if dialect == "postgresql" else Float())
    return case(
        (r.actual >= scale.high, literal(100)),
        (r.actual <= scale.low, literal(0)),
        else_=round2(dialect, steps * 100 / (scale.high - scale.low)),
    )


def _attainment(dialect: str, r: Any, scale: RatingScale) -> Any:
    """scoring.attainment.attainment / rating_attainment as one SQL expression."""

    def capped(expr: Any) -> Any:
        return round2(dialect, case((expr > r.cap, r.cap), else_=expr))

    higher = case(
        (r.target <= 0, null()),
        (r.actual <= 0, literal(0)),
        else_=capped(r.actual * 100 / r.target),
    )
    lower = case(
        ((r.actual < 0) | (r.target < 0), null()),
        (r.actual == 0, round2(dialect, r.cap)),
        (r.target == 0, literal(0)),
        else_=capped(r.target * 100 / r.actual),
    )
    return case(
        (r.kind == "rating", _rating(dialect, r, scale)),
        (r.actual.is_(None) | r.target.is_(None), null()),
        (r.direction == "lower", lower),
        else_=higher,
    )


def _keyed(
    session: Session,
    dialect: str,
    name: str,
    cols: list[tuple[str, Any]],
    sel: Any,
    key: tuple[str, ...] = ("employee_id", "metric"),
) -> Any:
    """The rows of `sel`, to be looked up by `key`.

    SQLite gets a temporary table keyed that way, filled once: given the subquery, it
    built an automatic index on it each run, or inlined it into every reference of the
    attainment expression (measured 3x slower at 100,000 people). PostgreSQL hash-joins
    the subquery as it is.
    """
    if dialect != "sqlite":
        return sel.subquery(name)
    session.execute(text(f"DROP TABLE IF EXISTS temp.{name}"))
    ddl = ", ".join(f"{c} {t.compile(dialect=sqlite.dialect())}" for c, t in cols)
    keys = ", ".join(key)
    session.execute(
        text(f"CREATE TEMPORARY TABLE {name} ({ddl}, PRIMARY KEY ({keys})) WITHOUT ROWID")
    )
    staged = table(name, *[column(c, t) for c, t in cols])
    session.execute(insert(staged).from_select([c for c, _ in cols], sel))
    return staged


def _people(
    session: Session, config: ScoringConfig, period: Period, employee_ids: Sequence[int] | None
) -> list[Any]:
    """Who gets a score: active, with a known scorecard, among `employee_ids` if given, and
    not frozen (a closed period's scores, or a frozen one after a re-open)."""
    where: list[Any] = [Employee.active.is_(True), Employee.scorecard.in_(list(config.scorecards))]
    if employee_ids is not None:
        where.append(Employee.id.in_(employee_ids))
    frozen = and_(Score.period_id == period.id, Score.frozen.is_(True))
    # Checked once, so that the usual run (nothing frozen) does no lookup per person.
    if session.scalar(select(exists().where(frozen))):
        where.append(~exists().where(frozen, Score.employee_id == Employee.id))
    return where


def lines_select(
    session: Session,
    config: ScoringConfig,
    specs: Sequence[SpecLike],
    period: Period,
    employee_ids: Sequence[int] | None,
    people: list[Any],
) -> Any:
    """One row per person and scorecard dimension: actual, target, attainment, points.

    `people` is the WHERE clause on Employee; `employee_ids` narrows the facts read.
    """
    dialect = session.get_bind().dialect.name
    used = {d.metric for c in config.scorecards.values() for d in c.dimensions}
    acts = _keyed(
        session,
        dialect,
        "score_actuals",
        [
            ("employee_id", Integer()),
            ("metric", String()),
            ("actual", Numeric(18, 4)),
            ("facts", Integer()),
            ("sources", String()),
        ],
        actuals_select(
            dialect,
            [s for s in specs if s.name in used],
            period.starts_on,
            period.ends_on,
            employee_ids,
        ),
    )
    tgt = _keyed(
        session,
        dialect,
        "score_targets",
        [("employee_id", Integer()), ("metric", String()), ("target", Numeric(18, 4))],
        select(Goal.employee_id, Goal.metric, func.max(Goal.target).label("target"))
        .where(
            Goal.period_id == period.id,
            Goal.level == "employee",
            Goal.metric.is_not(None),
            Goal.status.in_(COUNTED_STATUSES),  # only a confirmed target scores
        )
        .group_by(Goal.employee_id, Goal.metric),
    )
    # Keyed on SQLite too: given the constant subquery, it read it in the outer loop and
    # wrote each dimension's lines in turn, scattered over score_line's key (0.25 s more).
    d = _keyed(
        session, dialect, "score_dims", _DIM_COLS, select(_dims(config)), ("scorecard", "pos")
    )
    rat = ManagerRating.__table__
    actual: Any = case((d.c.kind == "rating", rat.c.rating), else_=acts.c.actual)
    fixes = in_force(session, period.id)
    if fixes is not None:  # an accepted appeal's figure stands in for the aggregate (R4)
        actual = func.coalesce(fixes.c.value_after, actual)
    q = (
        select(
            Employee.id.label("emp"),
            d.c.pos,
            d.c.weight,
            d.c.direction,
            d.c.cap,
            d.c.kind,
            actual.label("actual"),
            tgt.c.target,
            func.coalesce(acts.c.facts, 0).label("facts"),
            case((d.c.kind == "rating", literal("manager")), else_=acts.c.sources).label("sources"),
        )
        .select_from(Employee)
        .join(d, d.c.scorecard == Employee.scorecard)
        .outerjoin(acts, and_(acts.c.employee_id == Employee.id, acts.c.metric == d.c.metric))
        .outerjoin(
            tgt,
            and_(
                tgt.c.employee_id == Employee.id, tgt.c.metric == d.c.metric, d.c.kind == "metric"
            ),
        )
        .outerjoin(
            rat,
            and_(
                rat.c.employee_id == Employee.id,
                rat.c.period_id == period.id,
                d.c.kind == "rating",
            ),
        )
        .where(*people)
    )
    if fixes is not None:
        q = q.outerjoin(
            fixes, and_(fixes.c.employee_id == Employee.id, fixes.c.metric == d.c.metric)
        )
    rows = q.subquery("rows")
    att = select(rows, _attainment(dialect, rows.c, config.rating_scale).label("att")).subquery(
        "att"
    )
    # coalesce: one reference to the attainment, which SQLite would otherwise evaluate
    # again for each (it inlines the subquery).
    points = round2(dialect, att.c.weight * func.coalesce(att.c.att, 0) / 100)
    return select(
        literal(period.id).label("period_id"),
        att.c.emp,
        att.c.pos,
        att.c.weight,
        att.c.actual,
        att.c.target,
        att.c.att,
        points.label("points"),
        att.c.facts,
        att.c.sources,
    )


def _scores_select(
    dialect: str, config: ScoringConfig, period: Period, now: datetime, lines: Any
) -> Any:
    """Per person, from their lines in `lines` (score_line or a staged copy): total,
    coverage, band and breakdown."""
    line = lines.c
    # Grouped first, joined to the person after: one lookup per person, not per line.
    sums = (
        select(
            line.employee_id,
            func.sum(case((line.attainment.is_not(None), line.weight), else_=literal(0))).label(
                "coverage"
            ),
            func.sum(line.points).label("points"),
        )
        .where(line.period_id == period.id)
        .group_by(line.employee_id)
        .subquery("sums")
    )
    total = case(
        (sums.c.coverage > 0, round2(dialect, sums.c.points * 100 / sums.c.coverage)),
        else_=literal(0),
    )
    bands = sorted(config.bands, key=lambda b: b.min, reverse=True)
    band = case(
        *[(total >= b.min, literal(b.name)) for b in bands[:-1]],
        else_=literal(bands[-1].name if bands else ""),
    )
    heads = [
        (key, json.dumps(breakdown_head(key, card), ensure_ascii=False))
        for key, card in config.scorecards.items()
    ]
    # One constant per scorecard. PostgreSQL needs it typed; SQLite must not cast (its
    # CAST AS JSON would read the text as a number).
    if dialect == "postgresql":
        head = case(*[(Employee.scorecard == k, cast(literal(v), JSON)) for k, v in heads])
    else:
        head = case(*[(Employee.scorecard == k, literal(v)) for k, v in heads])
    return select(
        sums.c.employee_id,
        literal(period.id).label("period_id"),
        total.label("total"),
        sums.c.coverage,
        band.label("band"),
        head.label("breakdown"),
        literal(now, Score.computed_at.type).label("computed_at"),
        literal(False).label("frozen"),
    ).join_from(sums, Employee, Employee.id == sums.c.employee_id)


def score_period(
    session: Session,
    config: ScoringConfig,
    specs: Sequence[SpecLike],
    period: Period,
    now: datetime,
    employee_ids: Sequence[int] | None = None,
) -> int:
    """Compute and store the scores of a period (frozen scores are left alone)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        # Parallel workers each rebuilt the whole fact aggregation (measured 2.2x slower on
        # 2 cores), and the default work_mem spilled its sort to disk: for this batch
        # statement, one process with room to sort.
        session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
        session.execute(text("SET LOCAL work_mem = '256MB'"))
        # JIT compiled some 65 functions for these statements, each run anew.
        session.execute(text("SET LOCAL jit = off"))
        session.execute(text("SET LOCAL enable_hashagg = off"))
    people = _people(session, config, period, employee_ids)
    lines = lines_select(session, config, specs, period, employee_ids, people)

    def totals_of(source: Any) -> Any:
        return _scores_select(dialect, config, period, now, source).where(*people)

    min_dims = min((len(c.dimensions) for c in config.scorecards.values()), default=0)
    written = write.store(session, write.Fresh(period.id, people, lines, totals_of, min_dims))
    if dialect == "sqlite":
        session.execute(text("DROP TABLE temp.score_actuals"))
        session.execute(text("DROP TABLE temp.score_targets"))
        session.execute(text("DROP TABLE temp.score_dims"))
    _apply_formulas(session, config, period, people)
    return written


def _apply_formulas(
    session: Session, config: ScoringConfig, period: Period, people: list[Any]
) -> None:
    """Scorecards with a final-score formula: the total the formula gives, and its band.

    Evaluated in Python (safely, scoring.formula) for just those people, from the lines
    just stored. A formula that cannot be computed for someone (division by zero) leaves
    the weighted total and says why in the breakdown.
    """
    cards = {k: c for k, c in config.scorecards.items() if c.formula}
    if not cards:
        return
    line = _LINES.c
    rows = session.execute(
        select(
            Employee.id,
            Employee.scorecard,
            Score.total,
            Score.coverage,
            Score.breakdown,
            line.pos,
            line.attainment,
            line.points,
        )
        .join(Score, and_(Score.employee_id == Employee.id, Score.period_id == period.id))
        .join(
            _LINES,
            and_(line.employee_id == Employee.id, line.period_id == period.id),
        )
        .where(*people, Employee.scorecard.in_(list(cards)), Score.frozen.is_(False))
        .order_by(Employee.id, line.pos)
    ).all()
    people_values: dict[int, tuple[str, dict[str, Any], dict[str, Decimal]]] = {}
    for r in rows:
        card = cards[r.scorecard]
        _, _, values = people_values.setdefault(
            r.id, (r.scorecard, r.breakdown, {"total": r.total, "coverage": r.coverage})
        )
        metric = card.dimensions[r.pos].metric
        values |= formula_values(metric, r.attainment, r.points)

    def band(total: Decimal) -> str:
        return band_for(total, config.bands) if config.bands else ""

    changes = []
    for emp, (key, head, values) in people_values.items():
        try:
            total = evaluate(cards[key].formula or "", values)
        except FormulaError as exc:
            total, head = values["total"], {**head, "formula_error": str(exc)}
        changes.append({"emp": emp, "new_total": total, "new_band": band(total), "head": head})
    if changes:
        s = _SCORES.c
        session.execute(
            update(_SCORES)
            .where(s.employee_id == bindparam("emp"), s.period_id == period.id)
            .values(
                total=bindparam("new_total"),
                band=bindparam("new_band"),
                breakdown=bindparam("head", type_=s.breakdown.type),
            ),
            changes,
        )
