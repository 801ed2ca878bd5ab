"""Checks that configuration models of sources, auth and mappings share."""

from __future__ import annotations


def exactly_one(first: object, second: object, names: str) -> None:
    """Raise ValueError (pydantic reports it) unless exactly one of two optional settings
    is given; `names` says which two."""
    if (first is None) == (second is None):
        raise ValueError(f"give exactly one of {names}")
