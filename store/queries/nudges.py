"""Queries of the nudges use cases (handlers/nudges/)."""

from __future__ import annotations

from store.queries.base import Queries


class NudgesQueries(Queries):
    """Named queries for handlers/nudges/."""
