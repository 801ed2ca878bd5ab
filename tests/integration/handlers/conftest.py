"""The seeded demo company, cloned per test."""

from tests.fakes.seeded import demo_rt, demo_url, seeded_pg, seeded_sqlite

__all__ = ["demo_rt", "demo_url", "seeded_pg", "seeded_sqlite"]
