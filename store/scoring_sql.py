"""Score a whole period in set-based SQL: one INSERT ... SELECT, upserting Score rows.

The arithmetic is exactly scoring/scorecard.py's (see its module docstring): attainment
rounded to 2 places and capped, points rounded per dimension, the total re-normalised
over the dimensions that have data. The breakdown snapshot is built as JSON in the same
statement, so a score can be re-explained later exactly as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Integer,
    Numeric,
    String,
    and_,
    case,
    func,
    literal,
    null,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from scoring.scorecard import ScoringConfig
from store.actuals import SpecLike, actuals_select
from store.models import Employee, Goal, ManagerRating, Period, Score
from store.sqlfn import fixed2, json_array_agg, json_object, plain, round2, rows_table


def _dims(config: ScoringConfig) -> Any:
    rows = [
        (key, d.metric, d.label or d.metric, d.weight, d.direction, d.cap, d.kind, i)
        for key, card in config.scorecards.items()
        if not card.formula
        for i, d in enumerate(card.dimensions)
    ]
    cols = [
        ("scorecard", String()),
        ("metric", String()),
        ("label", String()),
        ("weight", Numeric(9, 4)),
        ("direction", String()),
        ("cap", Numeric(9, 4)),
        ("kind", String()),
        ("pos", Integer()),
    ]
    return rows_table("d", cols, rows or [("", "", "", 0, "higher", 120, "metric", 0)])


def _attainment(dialect: str, r: Any) -> Any:
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
        (r.kind == "rating", (r.rating - 1) * 25),
        (r.actual.is_(None) | r.target.is_(None), null()),
        (r.direction == "lower", lower),
        else_=higher,
    )


def dims_select(
    dialect: str,
    config: ScoringConfig,
    specs: Sequence[SpecLike],
    period: Period,
    employee_ids: Sequence[int] | None = None,
) -> Any:
    """One row per employee and scorecard dimension: actual, target, attainment, points."""
    used = {d.metric for c in config.scorecards.values() for d in c.dimensions}
    acts = actuals_select(
        dialect,
        [s for s in specs if s.name in used],
        period.starts_on,
        period.ends_on,
        employee_ids,
    ).subquery("a")
    tgt = (
        select(Goal.employee_id, Goal.metric, func.max(Goal.target).label("target"))
        .where(Goal.period_id == period.id, Goal.level == "employee", Goal.metric.is_not(None))
        .group_by(Goal.employee_id, Goal.metric)
        .subquery("t")
    )
    rat = (
        select(ManagerRating.employee_id, ManagerRating.rating)
        .where(ManagerRating.period_id == period.id)
        .subquery("r")
    )
    d = _dims(config)
    where = [Employee.active.is_(True)]
    if employee_ids is not None:
        where.append(Employee.id.in_(employee_ids))
    rows = (
        select(
            Employee.id.label("emp"),
            d.c.scorecard,
            d.c.metric,
            d.c.label,
            d.c.weight,
            d.c.direction,
            d.c.cap,
            d.c.kind,
            d.c.pos,
            case((d.c.kind == "rating", rat.c.rating), else_=acts.c.actual).label("actual"),
            tgt.c.target,
            rat.c.rating,
            acts.c.facts,
            acts.c.sources,
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
        .outerjoin(rat, and_(rat.c.employee_id == Employee.id, d.c.kind == "rating"))
        .where(*where)
    ).subquery("rows")
    att = select(rows, _attainment(dialect, rows.c).label("att")).subquery("att")
    return select(
        att,
        case(
            (att.c.att.is_(None), literal(0)), else_=round2(dialect, att.c.weight * att.c.att / 100)
        ).label("pts"),
    )


def aggregate_select(
    dialect: str, pts: Any, config: ScoringConfig, period: Period, now: datetime
) -> Any:
    """Per employee from the dimension rows: total, coverage, band and the breakdown JSON."""
    dim_json = json_object(
        dialect,
        *[
            # Numbers go in as JSON numbers (exact decimals on PostgreSQL): formatting
            # them as text in SQL cost a third of the statement's time.
            ("metric", pts.c.metric),
            ("label", pts.c.label),
            ("kind", pts.c.kind),
            ("pos", pts.c.pos),
            ("weight", pts.c.weight),
            ("actual", pts.c.actual),
            ("target", pts.c.target),
            ("attainment", pts.c.att),
            ("points", pts.c.pts),
            ("facts", func.coalesce(pts.c.facts, 0)),
            (
                "sources",
                case(
                    (pts.c.kind == "rating", literal("manager")),
                    else_=func.coalesce(pts.c.sources, literal("")),
                ),
            ),
        ],
    )
    coverage = func.sum(case((pts.c.att.is_not(None), pts.c.weight), else_=literal(0)))
    total = case(
        (coverage > 0, round2(dialect, func.sum(pts.c.pts) * 100 / coverage)), else_=literal(0)
    )
    bands = sorted(config.bands, key=lambda b: b.min, reverse=True)
    band = case(
        *[(total >= b.min, literal(b.name)) for b in bands[:-1]],
        else_=literal(bands[-1].name if bands else ""),
    )
    # One grouped SELECT: the repeated aggregates are computed once per group by both
    # databases, and the dimension objects go straight into the array. Through a subquery
    # SQLite lost their JSON type and re-parsed every array; in a plain SELECT that cost a
    # third, in the whole upsert it is lost in the noise (bench/score_bench.py).
    breakdown = json_object(
        dialect,
        ("scorecard", pts.c.scorecard),
        ("total", fixed2(dialect, total)),
        ("coverage", plain(dialect, coverage)),
        ("band", band),
        ("dimensions", json_array_agg(dialect, dim_json)),
    )
    return (
        select(
            pts.c.emp.label("employee_id"),
            literal(period.id).label("period_id"),
            total.label("total"),
            coverage.label("coverage"),
            band.label("band"),
            breakdown.label("breakdown"),
            literal(now, Score.computed_at.type).label("computed_at"),
            literal(False).label("frozen"),
        )
        # SQLite needs a WHERE before ON CONFLICT in INSERT ... SELECT, or it
        # reads ON as a join constraint.
        .where(literal(True))
        .group_by(pts.c.emp, pts.c.scorecard)
    )


def score_period(
    session: Session,
    config: ScoringConfig,
    specs: Sequence[SpecLike],
    period: Period,
    now: datetime,
    employee_ids: Sequence[int] | None = None,
) -> int:
    """Compute and upsert the scores of a period (frozen scores are left alone)."""
    dialect = session.get_bind().dialect.name
    # The dimension rows go to a temporary table first: each attainment and points value
    # is then computed once, where one nested statement had SQLite re-evaluate them for
    # every reference (measured: about 2x slower at 10,000 employees).
    if dialect == "postgresql":
        # Parallel workers each rebuilt the whole fact aggregation (measured 2.2x slower on
        # 2 cores), and the default work_mem spilled its sort to disk: for this batch
        # statement, one process with room to sort.
        session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
        session.execute(text("SET LOCAL work_mem = '256MB'"))
        # JIT compiled some 65 functions for these statements, each run anew.
        session.execute(text("SET LOCAL jit = off"))
    name = f"score_dims_{period.id}"
    session.execute(text(f"DROP TABLE IF EXISTS {name}"))
    ctas = dims_select(dialect, config, specs, period, employee_ids).into(name, temporary=True)
    session.execute(ctas)
    if dialect == "postgresql":
        # A fresh temporary table has no statistics: the planner guessed 14,000 rows for
        # 500,000 and its hash aggregate spilled to disk.
        session.execute(text(f"ANALYZE {name}"))
    sel = aggregate_select(dialect, ctas.table, config, period, now)
    cols = [
        "employee_id",
        "period_id",
        "total",
        "coverage",
        "band",
        "breakdown",
        "computed_at",
        "frozen",
    ]
    ins: Any = postgresql.insert(Score) if dialect == "postgresql" else sqlite.insert(Score)
    stmt = ins.from_select(cols, sel)
    stmt = stmt.on_conflict_do_update(
        index_elements=["employee_id", "period_id"],
        set_={c: getattr(stmt.excluded, c) for c in cols[2:7]},
        where=Score.frozen.is_(False),
    )
    # RETURNING counts what was written on every driver (frozen scores are not).
    written = len(session.execute(stmt.returning(Score.employee_id)).all())
    session.execute(text(f"DROP TABLE {name}"))
    return written
