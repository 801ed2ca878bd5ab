"""Queries of the kpi use cases (handlers/kpi/)."""

from __future__ import annotations

from store.queries.base import Queries


class KpiQueries(Queries):
    """Named queries for handlers/kpi/."""
