"""In-memory fake of store/queries/scores.py."""

from __future__ import annotations

from store.queries.scores import ScoresQueries
from tests.fakes.queries.base import FakeQueries


class FakeScoresQueries(FakeQueries, ScoresQueries):
    """Answers the scores queries from the fake unit of work's rows."""
