"""Checks that configuration models of sources, auth and mappings share."""

from __future__ import annotations

from connectors import strings as cs
from said import Said


def exactly_one(first: object, second: object, names: str) -> None:
    """Raise ValueError (pydantic reports it) unless exactly one of two optional settings
    is given; `names` says which two."""
    if (first is None) == (second is None):
        raise ValueError(Said(cs.EXACTLY_ONE, names=names))
