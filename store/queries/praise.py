"""Queries of the praise use cases (handlers/praise/)."""

from __future__ import annotations

from store.queries.base import Queries


class PraiseQueries(Queries):
    """Named queries for handlers/praise/."""
