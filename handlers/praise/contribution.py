"""The contribution data attached to praise: a person's strongest figures and named records.

Only what the giver may see is attached (the field table's "figures"); the public post
shows only figures at or above target from metrics the scorecard marks `public: true`."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from handlers import strings as t
from handlers.format import amount, day, is_currency, num, pct
from store.models import Period
from store.uow import UnitOfWork

MAX_FIGURES = 3
MAX_RECORDS = 5
# Record ids as sources write them (2026-11-5-sale-2, INV-4521, 98231): a digit somewhere.
_RECORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{1,127}")


def dimension_sources(dim: dict[str, Any]) -> list[str]:
    """A breakdown dimension's sources, stored as a list or a comma-joined string."""
    raw = dim.get("sources") or []
    return [s for s in (raw.split(",") if isinstance(raw, str) else raw) if s]


def is_rating(dim: dict[str, Any]) -> bool:
    """The manager's 1-5 rating: a judgement, not a figure from a source system."""
    return dim.get("kind") == "rating" or dim.get("metric") == "manager_rating"


def strongest_figures(breakdown: dict[str, Any], limit: int = MAX_FIGURES) -> list[dict[str, Any]]:
    """The dimensions with data, best attainment first (ratings left out), as plain dicts."""
    dims = [
        d
        for d in breakdown.get("dimensions", [])
        if d.get("attainment") is not None and not is_rating(d)
    ]
    # Best first; ties in scorecard order ("pos"), whatever order the database kept.
    dims.sort(key=lambda d: (-_decimal(d.get("attainment")), int(d.get("pos") or 0)))
    return [
        {
            "metric": d["metric"],
            "label": d.get("label") or d["metric"],
            "actual": _json_number(d.get("actual")),
            "target": _json_number(d.get("target")),
            "unit": d.get("unit") or "",
            "attainment": _json_number(d.get("attainment")),
            "sources": dimension_sources(d),
        }
        for d in dims[:limit]
    ]


def _json_number(value: Any) -> Any:
    """A figure as a JSON number: the figures are stored with the praise, as JSON."""
    if not isinstance(value, Decimal):
        return value
    return int(value) if value == value.to_integral_value() else float(value)


def figure_text(fig: dict[str, Any]) -> str:
    """`Sales 1,180,000 (118% of target, crm)`."""
    return t.PRAISE_FIGURE.format(
        label=fig["label"],
        actual=_actual(fig.get("actual"), fig.get("unit") or ""),
        attainment=pct(fig.get("attainment")),
        sources=t.LIST_SEP.join(fig.get("sources") or ()) or t.PRAISE_NO_SOURCE,
    )


def _actual(value: Any, unit: str) -> str:
    # An amount reads as money where the reader's language writes it so (`¥80.32万`);
    # English keeps the bare figure, as the score card does.
    return amount(value, unit) if is_currency(unit) else num(value) + unit


def record_tokens(text: str, limit: int = 30) -> list[str]:
    """Words of a praise text that could be record ids (links split into their parts)."""
    found: dict[str, None] = {}
    for m in _RECORD.finditer(text):
        word = m[0].rstrip("._:-")
        if any(c.isdigit() for c in word) and len(word) >= 3:
            found[word] = None
    return list(found)[:limit]


def mentioned_records(uow: UnitOfWork, employee_id: int, text: str) -> list[dict[str, Any]]:
    """The person's source records whose id the text mentions, with their provenance."""
    tokens = record_tokens(text)
    if not tokens:
        return []
    facts = uow.praise.mentioned_facts(employee_id, tokens, MAX_RECORDS)
    return [
        {
            "source": f.source,
            "record_id": f.record_id,
            "metric": f.metric,
            "value": format(f.value.normalize(), "f"),  # never "1.2E+5"
            "occurred_on": f.occurred_on.isoformat(),
            "link": f.link,
        }
        for f in facts
    ]


def contribution_for(
    uow: UnitOfWork,
    employee_id: int,
    period: Period | None,
    text: str,
    *,
    visible: bool,
    public: Callable[[str, str], bool],
) -> dict[str, Any]:
    """What gets stored with a praise: this period's strongest figures and named records,
    if the giver may see them (`visible`), and the figures fit for the public post:
    `public(scorecard, metric)` says which metrics may be shown to everyone."""
    key = period.key if period else None
    if not visible or period is None:  # nothing of hers the giver may not see, not even
        return {"period": key, "figures": [], "records": [], "public_figures": []}
    breakdown = uow.scores.breakdown(employee_id, period.id) or {}
    card = str(breakdown.get("scorecard") or "")
    strong = [
        f
        for f in strongest_figures(breakdown, limit=len(breakdown.get("dimensions", [])))
        if public(card, f["metric"]) and _decimal(f.get("attainment")) >= 100
    ]
    units = uow.scores.units(employee_id, period.id)  # the goals' (`CNY`): money is money
    return {
        "period": key,
        "figures": [
            {**f, "unit": units.get(f["metric"], "")} for f in strongest_figures(breakdown)
        ],
        "records": mentioned_records(uow, employee_id, text),
        "public_figures": [{**f, "unit": units.get(f["metric"], "")} for f in strong[:MAX_FIGURES]],
    }


def contribution_lines(contribution: dict[str, Any], *, public: bool = False) -> tuple[str, ...]:
    """The contribution as card lines: one line of figures, one line per record. `public`:
    the post everyone sees, with only the public figures at or above target and no records
    (a record's value is a figure too)."""
    lines = []
    figures = contribution.get("public_figures" if public else "figures") or []
    if figures:
        lines.append(
            t.PRAISE_FIGURES.format(
                period=contribution.get("period") or "",
                figures=" · ".join(figure_text(f) for f in figures),
            )
        )
    for r in () if public else contribution.get("records") or ():
        line = t.PRAISE_RECORD.format(
            source=r["source"],
            record_id=r["record_id"],
            value=num(r["value"]),
            on=day(date.fromisoformat(r["occurred_on"])),
        )
        lines.append(f"{line} {r['link']}" if r.get("link") else line)
    return tuple(lines)


def _decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(0)
