"""In-memory fake of store/queries/reports.py."""

from __future__ import annotations

from store.queries.reports import ReportsQueries
from tests.fakes.queries.base import FakeQueries


class FakeReportsQueries(FakeQueries, ReportsQueries):
    """Answers the reports queries from the fake unit of work's rows."""
