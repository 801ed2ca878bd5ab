"""Scoring 100,000 employees x 5 metrics: perfbot's engine against one hand-written
INSERT ... SELECT computing the same totals on the same data, in the same run.

    .venv/bin/python bench/score_bench.py [--employees 100000] [--db sqlite|postgresql|both]
        [--floor]

--floor also times the least a snapshot can cost: the baseline statement extended to store,
per person, each dimension's actual, target, attainment, points, count and source as one
compact text (aggregated in the same GROUP BY; no key, no upsert, no band or coverage).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine, insert, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import database, peak_rss_mb, pg_available
from connectors.metrics import parse_metrics
from scoring.scorecard import load_scoring_config
from store.db import make_engine, session_factory
from store.models import Employee, Goal, MetricFact, Period
from store.schema import upgrade
from store.scoring_sql import score_period

METRICS = {"m1": 30, "m2": 20, "m3": 20, "m4": 20, "m5": 10}
CONFIG = load_scoring_config(
    {
        "scorecards": {
            "bench": {
                "dimensions": [{"metric": m, "weight": w, "cap": 120} for m, w in METRICS.items()]
            }
        },
        "bands": [
            {"name": "excellent", "min": 90},
            {"name": "good", "min": 75},
            {"name": "other", "min": 0},
        ],
    }
)
SPECS = tuple(parse_metrics({m: {"agg": "sum", "facts": [m]} for m in METRICS}).values())
START, END = date(2026, 11, 1), date(2026, 11, 30)
NOW = datetime(2026, 11, 27, tzinfo=UTC)

BASELINE = """
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


# The baseline plus a compact per-person snapshot of its dimensions (--floor).
_SNAPSHOT = """
INSERT INTO bench_snapshots (employee_id, total, snapshot)
SELECT employee_id, ROUND(SUM(pts) * 100.0 / SUM(weight), 2), {joined} FROM (
  SELECT y.*, ROUND(weight * att / 100.0, 2) AS pts FROM (
    SELECT a.employee_id, w.metric, w.weight, a.actual, g.target, a.n, a.src,
           CASE WHEN a.actual * 100.0 / g.target > 120 THEN 120
                ELSE ROUND(a.actual * 100.0 / g.target, 2) END AS att
    FROM (SELECT employee_id, metric, SUM(value) AS actual, COUNT(*) AS n, MIN(source) AS src
          FROM metric_fact WHERE occurred_on BETWEEN :start AND :end AND NOT void
          GROUP BY employee_id, metric) a
    JOIN goal g ON g.employee_id = a.employee_id AND g.metric = a.metric AND g.period_id = :p
    JOIN bench_weights w ON w.metric = a.metric
  ) y
) x GROUP BY employee_id
"""
_JOINED = {
    "sqlite": "group_concat(metric || ';' || actual || ';' || target || ';' || att || ';' || pts"
    " || ';' || n || ';' || src, '|')",
    "postgresql": "string_agg(concat_ws(';', metric, actual, target, att, pts, n, src), '|')",
}


def build(url: str, employees: int, facts_per_metric: int) -> None:
    """Schema, one branch, N employees, a period, goals and facts (bulk, set-based)."""
    engine = make_engine(url)
    upgrade(engine)
    rnd = random.Random(7)
    with engine.begin() as c:
        c.execute(
            text("INSERT INTO branch (id, name, timezone, is_hq) VALUES (1, 'HQ', 'UTC', true)")
        )
        c.execute(
            text(
                "INSERT INTO period (id, key, kind, starts_on, ends_on, status) VALUES "
                "(1, '2026-11', 'month', :s, :e, 'open')"
            ),
            {"s": START, "e": END},
        )
        batch = 20_000
        for lo in range(1, employees + 1, batch):
            ids = range(lo, min(lo + batch, employees + 1))
            c.execute(
                insert(Employee.__table__),
                [
                    {
                        "id": i,
                        "email": f"e{i}@x.example",
                        "name": f"E {i}",
                        "title": "",
                        "branch_id": 1,
                        "role": "employee",
                        "scorecard": "bench",
                        "active": True,
                    }
                    for i in ids
                ],
            )
            c.execute(
                insert(Goal.__table__),
                [
                    {
                        "period_id": 1,
                        "level": "employee",
                        "employee_id": i,
                        "title": m,
                        "metric": m,
                        "target": Decimal(1000),
                        "unit": "",
                        "direction": "higher",
                        "rule": "equal",
                        "status": "confirmed",
                        "updated_at": NOW,
                    }
                    for i in ids
                    for m in METRICS
                ],
            )
            c.execute(
                insert(MetricFact.__table__),
                [
                    {
                        "employee_id": i,
                        "metric": m,
                        "value": Decimal(rnd.randint(50, 700)),
                        "occurred_on": date(2026, 11, 1 + k),
                        "source": "bench",
                        "record_id": f"{i}-{m}-{k}",
                        "fetched_at": NOW,
                        "void": False,
                    }
                    for i in ids
                    for m in METRICS
                    for k in range(facts_per_metric)
                ],
            )
        c.execute(text("CREATE TABLE bench_weights (metric VARCHAR(10), weight NUMERIC)"))
        c.execute(
            text("INSERT INTO bench_weights VALUES (:m, :w)"),
            [{"m": m, "w": w} for m, w in METRICS.items()],
        )
        c.execute(text("CREATE TABLE bench_totals (employee_id INTEGER, total NUMERIC)"))
        c.execute(
            text("CREATE TABLE bench_snapshots (employee_id INTEGER, total NUMERIC, snapshot TEXT)")
        )
        if engine.dialect.name == "postgresql":
            c.execute(text("ANALYZE"))
    engine.dispose()


def _timed_into(engine: Engine, table: str, statement: str) -> float:
    """Seconds a hand-written INSERT ... SELECT into `table` takes, the table emptied first."""
    with engine.begin() as c:
        c.execute(text(f"DELETE FROM {table}"))
    with engine.begin() as c:
        t0 = time.perf_counter()
        c.execute(text(statement), {"start": START, "end": END, "p": 1})
        return time.perf_counter() - t0


def measure(url: str, employees: int, repeats: int, floor: bool = False) -> dict[str, float]:
    engine = make_engine(url)
    sessions = session_factory(engine)
    best_engine, best_base, best_floor = float("inf"), float("inf"), float("inf")
    snapshot = _SNAPSHOT.format(joined=_JOINED[engine.dialect.name])
    for _ in range(repeats):
        if floor:
            best_floor = min(best_floor, _timed_into(engine, "bench_snapshots", snapshot))
        with sessions() as s:
            period = s.get(Period, 1)
            assert period is not None
            t0 = time.perf_counter()
            n = score_period(s, CONFIG, SPECS, period, NOW)
            s.commit()
            best_engine = min(best_engine, time.perf_counter() - t0)
            assert n == employees, n
        best_base = min(best_base, _timed_into(engine, "bench_totals", BASELINE))
        with engine.begin() as c:
            mismatches = c.execute(
                text(
                    "SELECT COUNT(*) FROM bench_totals b JOIN score s ON s.employee_id = "
                    "b.employee_id WHERE ABS(b.total - s.total) > 0.005"
                )
            ).scalar_one()
            if mismatches:
                sample = c.execute(
                    text(
                        "SELECT b.employee_id, b.total, s.total FROM bench_totals b JOIN score s "
                        "ON s.employee_id = b.employee_id LIMIT 3"
                    )
                ).all()
                raise AssertionError(f"{mismatches} totals differ from the baseline: {sample}")
            c.execute(text("DELETE FROM bench_totals"))
    engine.dispose()
    return {"engine_s": best_engine, "baseline_s": best_base, "floor_s": best_floor}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--employees", type=int, default=100_000)
    ap.add_argument("--facts-per-metric", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    ap.add_argument("--floor", action="store_true", help="also time a minimal snapshot")
    args = ap.parse_args()
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    print(
        f"scoring {args.employees:,} employees x {len(METRICS)} metrics "
        f"({args.employees * len(METRICS) * args.facts_per_metric:,} facts), "
        f"best of {args.repeats}"
    )
    for kind in kinds:
        if kind == "postgresql" and not pg_available():
            print("postgresql: skipped (no server)")
            continue
        with database(kind) as url:
            t0 = time.perf_counter()
            build(url, args.employees, args.facts_per_metric)
            built = time.perf_counter() - t0
            r = measure(url, args.employees, args.repeats, args.floor)
            print(
                f"{kind:>10}: engine {r['engine_s']:.2f} s, hand-written INSERT ... SELECT "
                f"{r['baseline_s']:.2f} s, ratio {r['engine_s'] / r['baseline_s']:.2f}x "
                f"(target <= 2x); data built in {built:.0f} s"
            )
            if args.floor:
                print(
                    f"{'':>10}  the same statement also storing a compact snapshot per person: "
                    f"{r['floor_s']:.2f} s, {r['floor_s'] / r['baseline_s']:.2f}x"
                )
    print(f"peak memory of this process: {peak_rss_mb():.0f} MB (target < 500 MB)")


if __name__ == "__main__":
    main()
