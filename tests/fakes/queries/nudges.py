"""In-memory fake of store/queries/nudges.py."""

from __future__ import annotations

from store.queries.nudges import NudgesQueries
from tests.fakes.queries.base import FakeQueries


class FakeNudgesQueries(FakeQueries, NudgesQueries):
    """Answers the nudges queries from the fake unit of work's rows."""
