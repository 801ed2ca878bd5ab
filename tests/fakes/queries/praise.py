"""In-memory fake of store/queries/praise.py."""

from __future__ import annotations

from store.queries.praise import PraiseQueries
from tests.fakes.queries.base import FakeQueries


class FakePraiseQueries(FakeQueries, PraiseQueries):
    """Answers the praise queries from the fake unit of work's rows."""
