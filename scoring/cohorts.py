"""Ranking cohorts: who is ranked against whom, each person's standing in their cohort, and
the run of equal bands a person's own history ends with (cohort-independent)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, TypeVar

from scoring.ranking import rank_with_ties

K = TypeVar("K", bound=Hashable)
CohortKind = Literal["scorecard", "scorecard_branch", "branch", "company"]
COHORT_KINDS: tuple[CohortKind, ...] = ("scorecard", "scorecard_branch", "branch", "company")
Cohort = tuple[str, ...]  # ("sales_rep",), ("sales_rep", "Berlin"), ("Berlin",) or () for all


@dataclass(frozen=True)
class Standing:
    """A rank within a cohort of `size` people; ranks 1..cutoff are inside the top percent."""

    cohort: Cohort
    rank: int
    size: int
    cutoff: int  # 0: the cohort is too small for anyone to be inside the top percent

    @property
    def qualified(self) -> bool:
        return self.rank <= self.cutoff


def cohort_of(kind: CohortKind, scorecard: str, branch: str) -> Cohort:
    """The cohort a person is ranked in, as a tuple of names (empty: the whole company)."""
    if kind == "scorecard":
        return (scorecard,)
    if kind == "scorecard_branch":
        return (scorecard, branch)
    if kind == "branch":
        return (branch,)
    return ()


def top_cutoff(percent: Decimal, size: int) -> int:
    """The last rank inside the top `percent` of `size` people: the largest r with
    r * 100 <= percent * size (so a tie at the boundary is all in or all out)."""
    return int((Decimal(percent) * size) // 100) if size > 0 else 0


def standings(percent: Decimal, cohort: Cohort, totals: Mapping[K, Decimal]) -> dict[K, Standing]:
    """Everyone of one cohort with their competition rank (ties share the best rank)."""
    size, cutoff = len(totals), top_cutoff(percent, len(totals))
    return {k: Standing(cohort, r, size, cutoff) for k, r in rank_with_ties(totals).items()}


def standings_by_cohort(
    percent: Decimal, members: Iterable[tuple[K, Cohort, Decimal]]
) -> dict[K, Standing]:
    """Each member (key, cohort, final total) ranked within their own cohort only."""
    groups: dict[Cohort, dict[K, Decimal]] = {}
    for key, cohort, total in members:
        groups.setdefault(cohort, {})[key] = total
    out: dict[K, Standing] = {}
    for cohort, totals in groups.items():
        out.update(standings(percent, cohort, totals))
    return out


def run_length(bands: Sequence[str], band: str) -> int:
    """How many of the last entries of `bands` (oldest -> newest) are `band`, unbroken."""
    n = 0
    for b in reversed(bands):
        if b != band:
            break
        n += 1
    return n
