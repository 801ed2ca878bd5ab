"""In-memory fake of store/queries/appeals.py."""

from __future__ import annotations

from store.queries.appeals import AppealsQueries
from tests.fakes.queries.base import FakeQueries


class FakeAppealsQueries(FakeQueries, AppealsQueries):
    """Answers the appeals queries from the fake unit of work's rows."""
