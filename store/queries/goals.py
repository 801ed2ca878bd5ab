"""Queries of the goals use cases (handlers/goals/)."""

from __future__ import annotations

from store.queries.base import Queries


class GoalsQueries(Queries):
    """Named queries for handlers/goals/."""
