"""Queries of the closing use cases (handlers/closing/)."""

from __future__ import annotations

from store.queries.base import Queries


class ClosingQueries(Queries):
    """Named queries for handlers/closing/."""
