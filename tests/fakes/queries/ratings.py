"""In-memory fake of store/queries/ratings.py."""

from __future__ import annotations

from store.queries.ratings import RatingsQueries
from tests.fakes.queries.base import FakeQueries


class FakeRatingsQueries(FakeQueries, RatingsQueries):
    """Answers the ratings queries from the fake unit of work's rows."""
