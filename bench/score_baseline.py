"""The scoring benchmark's baseline: hand-written SQL storing the rows the engine stores.

Written for the benchmark's data only (every person has every goal and facts of every
metric, one scorecard, plain sums): inner joins, no "no data" lines, no ratings, no
frozen scores, no upsert. Its tables have score_line's and score's columns and keys
(and SQLite's foreign keys; PostgreSQL's LIKE copies none) and are emptied, untimed,
before each run, so it writes into empty tables: the least storing those rows costs.
"""

from __future__ import annotations

import json
import time
from datetime import date, datetime

from sqlalchemy import Connection, Engine, bindparam, text

from scoring.scorecard import ScoringConfig
from store.models import Score
from store.scoring_sql import breakdown_head

# The scorecard's dimensions as a table the statements join: metric, position, weight.
WEIGHTS = "bench_weights"

LINES = """
INSERT INTO bench_line (period_id, employee_id, pos, weight, actual, target, attainment,
                        points, facts, sources)
SELECT :p, employee_id, pos, weight, actual, target, att, ROUND(weight * att / 100.0, 2),
       n, src FROM (
  SELECT a.employee_id, w.pos, w.weight, a.actual, g.target, a.n, a.src,
         CASE WHEN a.actual * 100.0 / g.target > 120 THEN 120
              ELSE ROUND(a.actual * 100.0 / g.target, 2) END AS att
  FROM (SELECT employee_id, metric, SUM(value) AS actual, COUNT(*) AS n, MIN(source) AS src
        FROM metric_fact WHERE occurred_on BETWEEN :start AND :end AND NOT void
        GROUP BY employee_id, metric) a
  JOIN goal g ON g.employee_id = a.employee_id AND g.metric = a.metric AND g.period_id = :p
  JOIN bench_weights w ON w.metric = a.metric
) x
"""

TOTALS = """
INSERT INTO bench_score (employee_id, period_id, total, coverage, band, breakdown,
                         computed_at, frozen)
SELECT employee_id, :p, t, cov,
       CASE WHEN t >= 90 THEN 'excellent' WHEN t >= 75 THEN 'good' ELSE 'other' END,
       {head}, :now, false FROM (
  SELECT employee_id, ROUND(SUM(points) * 100.0 / SUM(weight), 2) AS t, SUM(weight) AS cov
  FROM bench_line WHERE period_id = :p GROUP BY employee_id) x
"""

# The old baseline, printed for context: one statement storing the totals alone.
TOTALS_ONLY = """
INSERT INTO bench_totals (employee_id, total)
SELECT employee_id, ROUND(SUM(pts) * 100.0 / SUM(weight), 2) FROM (
  SELECT a.employee_id, w.weight,
         ROUND(w.weight * (CASE WHEN a.actual * 100.0 / g.target > 120 THEN 120
                                ELSE ROUND(a.actual * 100.0 / g.target, 2) END) / 100.0, 2) AS pts
  FROM (SELECT employee_id, metric, SUM(value) AS actual FROM metric_fact
        WHERE occurred_on BETWEEN :start AND :end AND NOT void
        GROUP BY employee_id, metric) a
  JOIN goal g ON g.employee_id = a.employee_id AND g.metric = a.metric AND g.period_id = :p
  JOIN bench_weights w ON w.metric = a.metric
) x GROUP BY employee_id
"""

_LINE_COLS = "period_id, employee_id, pos, weight, actual, target, attainment, points, "
_LINE_COLS += "facts, sources"
_TOTAL_COLS = "employee_id, period_id, total, coverage, band, computed_at, frozen"


def create_tables(c: Connection, config: ScoringConfig) -> None:
    """The weights, and empty copies of score_line and score (columns and keys)."""
    c.execute(text(f"CREATE TABLE {WEIGHTS} (metric VARCHAR(10), pos INTEGER, weight NUMERIC)"))
    dims = config.scorecards["bench"].dimensions
    c.execute(
        text(f"INSERT INTO {WEIGHTS} VALUES (:m, :p, :w)"),
        [{"m": d.metric, "p": i, "w": int(d.weight)} for i, d in enumerate(dims)],
    )
    c.execute(text("CREATE TABLE bench_totals (employee_id INTEGER, total NUMERIC)"))
    if c.dialect.name == "postgresql":
        # LIKE copies columns, keys and indexes; not the fillfactor, nor score's foreign
        # keys, added here as SQLite's copy has them: PostgreSQL checks each inserted
        # row's keys (a trigger per row), which alone made the engine's first score 1.6x
        # a baseline without them (1.2x with the checks off, bench/README.md).
        c.execute(text("CREATE TABLE bench_line (LIKE score_line INCLUDING ALL)"))
        c.execute(text("CREATE TABLE bench_score (LIKE score INCLUDING ALL)"))
        c.execute(
            text(
                "ALTER TABLE bench_score ADD FOREIGN KEY (employee_id) REFERENCES employee (id),"
                " ADD FOREIGN KEY (period_id) REFERENCES period (id)"
            )
        )
        return
    for name, copy in (("score_line", "bench_line"), ("score", "bench_score")):
        for (sql,) in c.execute(
            text("SELECT sql FROM sqlite_master WHERE tbl_name = :t AND sql IS NOT NULL"),
            {"t": name},
        ).all():
            sql = sql.replace(f"TABLE {name} ", f"TABLE {copy} ", 1)
            c.execute(
                text(
                    sql.replace(f" ON {name} ", f" ON {copy} ").replace(
                        "INDEX ix_", "INDEX bench_ix_"
                    )
                )
            )


def _empty(engine: Engine, *tables: str) -> None:
    with engine.begin() as c:
        for t in tables:
            c.execute(
                text(f"TRUNCATE {t}" if engine.dialect.name == "postgresql" else f"DELETE FROM {t}")
            )


def timed(engine: Engine, config: ScoringConfig, start: date, end: date, now: datetime) -> float:
    """Seconds the baseline takes to store the lines and totals (committed)."""
    _empty(engine, "bench_line", "bench_score")
    head = json.dumps(breakdown_head("bench", config.scorecards["bench"]), ensure_ascii=False)
    totals = TOTALS.format(
        head="CAST(:head AS json)" if engine.dialect.name == "postgresql" else ":head"
    )
    # Bound with the column's type, so the time is stored as the engine stores it.
    totals_stmt = text(totals).bindparams(bindparam("now", type_=Score.computed_at.type))
    t0 = time.perf_counter()
    with engine.begin() as c:
        c.execute(text(LINES), {"start": start, "end": end, "p": 1})
        c.execute(totals_stmt, {"p": 1, "head": head, "now": now})
    return time.perf_counter() - t0


def timed_totals_only(engine: Engine, start: date, end: date) -> float:
    """Seconds the old baseline (the totals alone, one statement) takes."""
    _empty(engine, "bench_totals")
    t0 = time.perf_counter()
    with engine.begin() as c:
        c.execute(text(TOTALS_ONLY), {"start": start, "end": end, "p": 1})
    return time.perf_counter() - t0


def differences(engine: Engine) -> list[str]:
    """What differs between the baseline's rows and the engine's (empty: the same)."""
    out = []
    pairs = [
        ("score_line", "bench_line", _LINE_COLS),
        ("score", "bench_score", _TOTAL_COLS + ", CAST(breakdown AS TEXT)"),
    ]
    with engine.connect() as c:
        for real, copy, cols in pairs:
            for a, b in ((real, copy), (copy, real)):
                n = c.execute(
                    text(
                        f"SELECT COUNT(*) FROM (SELECT {cols} FROM {a} EXCEPT "
                        f"SELECT {cols} FROM {b}) x"
                    )
                ).scalar_one()
                if n:
                    out.append(f"{n} rows of {a} are not in {b}")
    return out
