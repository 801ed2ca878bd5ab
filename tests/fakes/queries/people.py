"""In-memory fake of store/queries/people.py."""

from __future__ import annotations

from store.queries.people import PeopleQueries
from tests.fakes.queries.base import FakeQueries


class FakePeopleQueries(FakeQueries, PeopleQueries):
    """Answers the people queries from the fake unit of work's rows."""
