"""In-memory fake of store/queries/kpi.py."""

from __future__ import annotations

from store.queries.kpi import KpiQueries
from tests.fakes.queries.base import FakeQueries


class FakeKpiQueries(FakeQueries, KpiQueries):
    """Answers the kpi queries from the fake unit of work's rows."""
