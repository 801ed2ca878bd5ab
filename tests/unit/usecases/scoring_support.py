"""What the scores, ratings and reports unit tests share: a scorecard with a figure and a
rating, the actor of a person, a stored breakdown, and a reply as text."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from connectors.metrics import MetricSpec, Term
from handlers.actor import Actor
from handlers.cards import Reply
from handlers.scores.compute import ScoringSetup
from scoring.bands import Band
from scoring.config import Dimension, Scorecard, ScoringConfig
from store.models import Employee

SETUP = ScoringSetup(
    ScoringConfig(
        scorecards={
            "sales_rep": Scorecard(
                "sales_rep",
                (
                    Dimension("revenue", Decimal(70), label="Revenue"),
                    Dimension("manager_rating", Decimal(30), kind="rating", label="Rating"),
                ),
            )
        },
        bands=(Band("low", Decimal(0)), Band("good", Decimal(70)), Band("top", Decimal(90))),
        incentives=(),
    ),
    (MetricSpec("revenue", Term("sum", ("deal",)), None),),
)


def actor(e: Employee) -> Actor:
    return Actor(e.id, e.email, e.name, e.role, e.branch_id, "console", None)


def breakdown(total: str, band: str, revenue: str = "80", target: str = "100") -> dict[str, Any]:
    """A stored breakdown of the sales_rep scorecard, as scoring stores it."""
    return {
        "scorecard": "sales_rep",
        "total": total,
        "coverage": "100",
        "band": band,
        "dimensions": [
            {
                "pos": 0,
                "metric": "revenue",
                "label": "Revenue",
                "kind": "metric",
                "weight": "70",
                "direction": "higher",
                "actual": revenue,
                "target": target,
                "attainment": "80",
                "points": "56",
                "facts": 2,
                "sources": ["crm"],
            },
            {
                "pos": 1,
                "metric": "manager_rating",
                "label": "Rating",
                "kind": "rating",
                "weight": "30",
                "actual": None,
                "target": None,
                "attainment": None,
                "points": "0",
                "facts": 0,
                "sources": [],
            },
        ],
    }


def text(reply: Reply) -> str:
    """Everything a reply says, one line each: titles, lines, fields and buttons."""
    out: list[str] = []
    for c in reply.cards:
        out += [c.title, *c.lines, *(f"{k}: {v}" for k, v in c.fields)]
        out += [b.label for b in c.buttons]
        out += [c.footnote] if c.footnote else []
    return "\n".join(out)
