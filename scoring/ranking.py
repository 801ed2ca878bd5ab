"""Ranking with ties, and the "top X%" a rank corresponds to."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from decimal import Decimal
from typing import TypeVar

from scoring.attainment import round2

K = TypeVar("K", bound=Hashable)


def rank_with_ties(values: Mapping[K, Decimal]) -> dict[K, int]:
    """Competition ranking, highest value first: 100, 90, 90, 80 -> 1, 2, 2, 4.

    The result is ordered best first; equal values keep their input order.
    """
    ordered = sorted(values.items(), key=lambda item: item[1], reverse=True)
    ranks: dict[K, int] = {}
    previous: Decimal | None = None
    rank = 0
    for position, (key, value) in enumerate(ordered, start=1):
        if value != previous:
            # A tie shares the best rank; the next distinct value skips past the tie.
            rank, previous = position, value
        ranks[key] = rank
    return ranks


def percentile_top(rank: int, population: int) -> Decimal:
    """The "top X%" of a rank: rank / population * 100, rounded to 2 places."""
    if population < 1 or not 1 <= rank <= population:
        raise ValueError(f"rank must be between 1 and population, got {rank} of {population}")
    return round2(Decimal(rank) * 100 / Decimal(population))
