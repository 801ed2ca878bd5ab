"""Queries of the appeals use cases (handlers/appeals/)."""

from __future__ import annotations

from store.queries.base import Queries


class AppealsQueries(Queries):
    """Named queries for handlers/appeals/."""
