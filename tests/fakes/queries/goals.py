"""In-memory fake of store/queries/goals.py."""

from __future__ import annotations

from store.queries.goals import GoalsQueries
from tests.fakes.queries.base import FakeQueries


class FakeGoalsQueries(FakeQueries, GoalsQueries):
    """Answers the goals queries from the fake unit of work's rows."""
