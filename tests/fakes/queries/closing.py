"""In-memory fake of store/queries/closing.py."""

from __future__ import annotations

from store.queries.closing import ClosingQueries
from tests.fakes.queries.base import FakeQueries


class FakeClosingQueries(FakeQueries, ClosingQueries):
    """Answers the closing queries from the fake unit of work's rows."""
