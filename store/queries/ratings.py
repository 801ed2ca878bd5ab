"""Queries of the ratings use cases (handlers/ratings/)."""

from __future__ import annotations

from store.queries.base import Queries


class RatingsQueries(Queries):
    """Named queries for handlers/ratings/."""
