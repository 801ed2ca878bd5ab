"""The at-risk sweep over 100,000 employees x 5 goals: perfbot's sweep against one
hand-written SQL query selecting the same at-risk set on the same data, in the same run.

    .venv/bin/python bench/sweep_bench.py [--employees 100000] [--db sqlite|postgresql|both]

Measured: the sweep's selection (`run_sweep(dry_run=True)`: calendar, the set-based SELECT
and the findings in Python) against the baseline, best of --repeats; then one real sweep
that queues every nudge (cards, outbox rows, nudge state) and a second that finds them
all already nudged this week.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import databases, insert_people, parse_with_databases, peak_rss_mb
from connectors.metrics import parse_metrics
from handlers.nudges.sweep import run_sweep
from handlers.nudges.sweep_calendar import SweepPolicy
from handlers.scores.compute import ScoringSetup
from scoring.pace import business_days
from scoring.scorecard import load_scoring_config
from store.db import make_engine, session_factory
from store.models import Branch, Employee, Outbox, Period
from store.schema import upgrade
from store.sweep_sql import tune_for_batch
from store.uow import UnitOfWork

SUMS = ("m1", "m2", "m3", "m4")
SPECS = tuple(
    parse_metrics(
        {
            **{m: {"agg": "sum", "facts": [m]} for m in SUMS},
            "defect_rate": {"agg": "ratio", "numerator": ["defects"],
                            "denominator": ["units"], "scale": 100},
        }
    ).values()
)  # fmt: skip
START, END = date(2026, 11, 1), date(2026, 11, 30)
NOW = datetime(2026, 11, 20, 11, 0, tzinfo=UTC)  # Friday in every branch below
TODAY = date(2026, 11, 20)
BRANCHES = [(1, "Shanghai", "Asia/Shanghai"), (2, "Berlin", "Europe/Berlin"),
            (3, "Singapore", "Asia/Singapore")]  # fmt: skip
HOLIDAYS = {"Singapore": {date(2026, 11, 9)}}
POLICY = SweepPolicy(holidays=HOLIDAYS)  # threshold 80%, min 20% of the period
TARGET, DEFECT_TARGET = 100_000, Decimal(2)

BASELINE = """
WITH cal AS ({cal}),
a AS (
  SELECT employee_id,
         SUM(CASE WHEN metric = 'm1' THEN value END) AS m1,
         SUM(CASE WHEN metric = 'm2' THEN value END) AS m2,
         SUM(CASE WHEN metric = 'm3' THEN value END) AS m3,
         SUM(CASE WHEN metric = 'm4' THEN value END) AS m4,
         SUM(CASE WHEN metric = 'defects' THEN value END) AS defects,
         SUM(CASE WHEN metric = 'units' THEN value END) AS units
  FROM metric_fact
  WHERE NOT void AND occurred_on BETWEEN :start AND :today
    AND metric IN ('m1', 'm2', 'm3', 'm4', 'defects', 'units')
  GROUP BY employee_id
)
SELECT g.id
FROM goal g
JOIN employee e ON e.id = g.employee_id
JOIN cal ON cal.branch_id = e.branch_id
LEFT JOIN a ON a.employee_id = g.employee_id
WHERE g.period_id = 1 AND g.level = 'employee' AND g.status IN ('confirmed', 'acknowledged')
  AND e.active
  AND g.employee_id NOT IN (SELECT employee_id FROM metric_fact WHERE metric = 'leave_days'
                            AND occurred_on = :today AND NOT void AND value > 0)
  AND CASE WHEN g.metric = 'defect_rate' THEN
        a.units > 0 AND a.defects > 0
        AND ROUND(g.target * 100.0 / ROUND(a.defects * 100.0 / a.units, 4), 2) < 80
      ELSE
        ROUND(COALESCE(CASE g.metric WHEN 'm1' THEN a.m1 WHEN 'm2' THEN a.m2
                                     WHEN 'm3' THEN a.m3 WHEN 'm4' THEN a.m4 END, 0)
              * 100.0 / ROUND(g.target * cal.elapsed * 1.0 / cal.total, 2), 2) < 80
      END
"""


def _target(metric: str) -> Decimal:
    return Decimal(TARGET) if metric in SUMS else DEFECT_TARGET


def build(url: str, employees: int) -> None:
    """Schema, three branches, N employees with 5 goals each, facts, 1% on leave today."""
    engine = make_engine(url)
    upgrade(engine)
    rnd = random.Random(11)
    with engine.begin() as c:
        c.execute(
            insert(Branch.__table__),
            [{"id": i, "name": n, "timezone": tz, "is_hq": i == 1} for i, n, tz in BRANCHES],
        )
        c.execute(
            insert(Period.__table__),
            [{"id": 1, "key": "2026-11", "kind": "month", "starts_on": START, "ends_on": END}],
        )
        c.execute(
            insert(Employee.__table__),
            [
                {
                    "id": 1,
                    "email": "boss@x.example",
                    "name": "Boss",
                    "branch_id": 1,
                    "role": "manager",
                }
            ],
        )
        batch = 10_000
        for lo in range(2, employees + 2, batch):
            ids = range(lo, min(lo + batch, employees + 2))
            level = {i: min(1.6, max(0.3, rnd.gauss(1.05, 0.15))) for i in ids}
            facts = []
            for i in ids:
                for m in SUMS:  # about 70% of the month's target by the 20th, times the level
                    total = int(TARGET * 0.71 * level[i] * rnd.uniform(0.85, 1.15))
                    facts += [(i, m, total // 2, 3), (i, m, total - total // 2, 12)]
                units = rnd.randint(800, 1200)
                defects = int(units * 0.02 / level[i] * rnd.uniform(0.8, 1.2))
                facts += [(i, "units", units, 5), (i, "defects", defects, 6)]
                if rnd.random() < 0.01:
                    facts.append((i, "leave_days", 1, 20))
            insert_people(
                c,
                ids,
                employee={"branch_id": lambda i: 1 + i % 3, "manager_id": 1},
                metrics=(*SUMS, "defect_rate"),
                target=_target,
                lower={"defect_rate"},
                facts=[(i, m, v, date(2026, 11, d)) for i, m, v, d in facts],
                now=NOW,
            )
        if engine.dialect.name == "postgresql":
            c.execute(text("ANALYZE"))
    engine.dispose()


def baseline_sql() -> str:
    rows = []  # SELECT ... UNION ALL: after VALUES, SQLite's planner won't index `a`
    for bid, name, _ in BRANCHES:
        hol = HOLIDAYS.get(name, set())
        done, total = business_days(START, TODAY, hol), business_days(START, END, hol)
        rows.append(f"SELECT {bid} AS branch_id, {done} AS elapsed, {total} AS total")
    return BASELINE.format(cal=" UNION ALL ".join(rows))


def measure(url: str, repeats: int) -> dict[str, float]:
    engine = make_engine(url)
    sessions = session_factory(engine)
    config = load_scoring_config(
        {  # the sweep reads only the metric definitions
            "scorecards": {"x": {"dimensions": [{"metric": "m1", "weight": 100}]}},
            "bands": [{"name": "any", "min": 0}],
        }
    )
    setup = ScoringSetup(config, SPECS)

    def uow() -> UnitOfWork:
        return UnitOfWork(sessions, lambda: NOW)

    sql, out = text(baseline_sql()), {"sweep_s": float("inf"), "baseline_s": float("inf")}
    for _ in range(repeats):
        t0 = time.perf_counter()
        report = run_sweep(uow=uow(), scoring=setup, policy=POLICY, dry_run=True)
        out["sweep_s"] = min(out["sweep_s"], time.perf_counter() - t0)
        with sessions() as s, s.begin():
            tune_for_batch(s)  # the same session settings the sweep runs with
            t0 = time.perf_counter()
            base = {r[0] for r in s.execute(sql, {"start": START, "today": TODAY})}
            out["baseline_s"] = min(out["baseline_s"], time.perf_counter() - t0)
        mine = {f.goal_id for f in report.findings if f.decision != "recovered"}
        if mine != base:
            raise AssertionError(
                f"sets differ: {len(mine - base)} only in the sweep, {len(base - mine)} only in "
                f"the baseline, e.g. {sorted(mine ^ base)[:5]}"
            )
    out["behind"] = len(base)
    t0 = time.perf_counter()
    real = run_sweep(uow=uow(), scoring=setup, policy=POLICY)
    out["queue_s"] = time.perf_counter() - t0
    out["nudged"] = real.count("nudge")
    t0 = time.perf_counter()
    again = run_sweep(uow=uow(), scoring=setup, policy=POLICY)
    out["again_s"] = time.perf_counter() - t0
    assert again.count("nudge") == 0 and again.count("already nudged") == out["nudged"]
    managers = len({f.manager_id for f in real.findings if f.decision == "nudge"})
    with engine.connect() as c:  # one digest per manager, not one card per goal
        assert c.execute(select(func.count()).select_from(Outbox)).scalar_one() == managers
    out["digests"] = managers
    engine.dispose()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--employees", type=int, default=100_000)
    ap.add_argument("--repeats", type=int, default=3)
    args, kinds = parse_with_databases(ap)
    print(f"sweeping {args.employees:,} employees x 5 goals ({args.employees * 5:,} goals, "
          f"~{args.employees * 10:,} facts), best of {args.repeats}")  # fmt: skip
    for kind, url in databases(kinds):
        t0 = time.perf_counter()
        build(url, args.employees)
        built = time.perf_counter() - t0
        r = measure(url, args.repeats)
        print(
            f"{kind:>10}: sweep {r['sweep_s']:.2f} s, hand-written query "
            f"{r['baseline_s']:.2f} s, ratio {r['sweep_s'] / r['baseline_s']:.2f}x "
            f"(target <= 2x), same {r['behind']:,} goals behind pace; queueing "
            f"{r['nudged']:,} nudges in {r['digests']:,} digests {r['queue_s']:.2f} s, "
            f"re-run (all already nudged) "
            f"{r['again_s']:.2f} s; data built in {built:.0f} s"
        )
    print(f"peak memory of this process: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
