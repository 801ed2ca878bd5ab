"""The scoring benchmark still runs, and its hand-written baseline still stores exactly
the rows the engine stores (bench/score_bench.py checks it on every repeat)."""

from __future__ import annotations

from sqlalchemy import text

from bench import score_baseline
from bench.score_bench import build, measure
from store.db import make_engine


def test_the_baseline_stores_the_engines_rows_on_a_small_company(db_url: str) -> None:
    build(db_url, employees=40, facts_per_metric=2)
    times = measure(db_url, employees=40, repeats=1)  # raises if any row differs
    assert set(times) >= {"first", "rescore", "base", "totals"}
    engine = make_engine(db_url)
    with engine.connect() as c:
        assert c.execute(text("SELECT COUNT(*) FROM bench_line")).scalar_one() == 200
        assert c.execute(text("SELECT COUNT(*) FROM bench_score")).scalar_one() == 40
    engine.dispose()


def test_a_difference_between_the_two_is_reported(db_url: str) -> None:
    build(db_url, employees=10, facts_per_metric=1)
    measure(db_url, employees=10, repeats=1)
    engine = make_engine(db_url)
    with engine.begin() as c:
        c.execute(text("UPDATE bench_line SET points = points + 1 WHERE pos = 0"))
    assert score_baseline.differences(engine) == [
        "10 rows of score_line are not in bench_line",
        "10 rows of bench_line are not in score_line",
    ]
    engine.dispose()
