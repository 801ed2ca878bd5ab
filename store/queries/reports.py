"""Queries of the reports use cases (handlers/reports/)."""

from __future__ import annotations

from store.queries.base import Queries


class ReportsQueries(Queries):
    """Named queries for handlers/reports/."""
