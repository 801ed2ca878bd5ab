"""Queries of the people use cases (handlers/people/)."""

from __future__ import annotations

from store.queries.base import Queries


class PeopleQueries(Queries):
    """Named queries for handlers/people/."""
