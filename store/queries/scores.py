"""Queries of the scores use cases (handlers/scores/)."""

from __future__ import annotations

from store.queries.base import Queries


class ScoresQueries(Queries):
    """Named queries for handlers/scores/."""
