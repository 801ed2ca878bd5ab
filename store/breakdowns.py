"""A stored score's breakdown as readers want it: each dimension with its figures.

The score keeps what was scored (scorecard, dimensions: metric, label, kind, pos) and
each dimension's figures are a ScoreLine; here they become one dict per score:

    {"scorecard", "total": "86.40", "coverage": "90", "band",
     "dimensions": [{"pos", "metric", "label", "kind", "weight", "actual", "target",
                     "attainment", "points", "facts", "sources"}, ...]}

Figures are Decimals (None where there is no data).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import Text, and_, cast, select
from sqlalchemy.orm import Session

from store.models import Score, ScoreLine

# A line's figures, as every breakdown dimension carries them.
LINE_FIELDS = ("weight", "actual", "target", "attainment", "points", "facts", "sources")
LINE_COLUMNS = ("pos", *LINE_FIELDS)  # a line as assemble() takes it
# The stored head as text: one of a few constants (one per scorecard), parsed once each.
HEAD_TEXT = cast(Score.breakdown, Text).label("breakdown")


@lru_cache(maxsize=256)
def head_of(text: str | None) -> dict[str, Any]:
    """A stored breakdown head, parsed (assemble copies it; this is never mutated)."""
    return json.loads(text) if text else {}


def assemble(
    head: dict[str, Any],
    total: Decimal,
    coverage: Decimal,
    band: str,
    lines: Iterable[Sequence[Any]],
) -> dict[str, Any]:
    """One breakdown from the score's own fields and its lines: tuples of LINE_COLUMNS
    (pos, then LINE_FIELDS), such as a slice of a row; a line with no pos is skipped."""
    by_pos = {int(line[0]): line for line in lines if line[0] is not None}
    dims = []
    for dim in head.get("dimensions", []):
        merged = dict(dim)
        line = by_pos.get(int(dim.get("pos") or 0))
        if line is not None:
            merged.update(zip(LINE_FIELDS, line[1:], strict=True))
            merged["sources"] = merged["sources"] or ""
        dims.append(merged)
    return {
        **head,
        "total": f"{Decimal(total):.2f}",
        "coverage": format(Decimal(coverage).normalize(), "f"),
        "band": band,
        "dimensions": dims,
    }


def _load(session: Session, *where: Any) -> dict[tuple[int, int], dict[str, Any]]:
    line = ScoreLine.__table__.c
    own = (Score.employee_id, Score.period_id, HEAD_TEXT, Score.total, Score.coverage, Score.band)
    rows = session.execute(
        select(*own, *[line[f] for f in LINE_COLUMNS])
        .outerjoin(
            ScoreLine.__table__,
            and_(line.employee_id == Score.employee_id, line.period_id == Score.period_id),
        )
        .where(*where)
        .order_by(Score.employee_id, Score.period_id, line.pos)
    ).all()
    grouped: dict[tuple[int, int], list[Any]] = {}
    for r in rows:
        grouped.setdefault((r.employee_id, r.period_id), []).append(r)
    at = slice(len(own), len(own) + len(LINE_COLUMNS))  # the line's columns in each row
    return {
        key: assemble(
            head_of(rs[0].breakdown), rs[0].total, rs[0].coverage, rs[0].band, [r[at] for r in rs]
        )
        for key, rs in grouped.items()
    }


def breakdown_of(session: Session, employee_id: int, period_id: int) -> dict[str, Any] | None:
    """A person's breakdown for a period; None when no score was computed."""
    found = _load(session, Score.employee_id == employee_id, Score.period_id == period_id)
    return found.get((employee_id, period_id))


def breakdowns(
    session: Session, period_id: int, employee_ids: Sequence[int] | None = None
) -> dict[int, dict[str, Any]]:
    """Breakdowns of a period by employee id (everyone scored, or just `employee_ids`)."""
    where = [Score.period_id == period_id]
    if employee_ids is not None:
        where.append(Score.employee_id.in_(employee_ids))
    return {emp: b for (emp, _), b in _load(session, *where).items()}


def breakdowns_by_period(
    session: Session, employee_id: int, period_ids: Iterable[int]
) -> dict[int, dict[str, Any]]:
    """One person's breakdowns by period id."""
    found = _load(session, Score.employee_id == employee_id, Score.period_id.in_(set(period_ids)))
    return {pid: b for (_, pid), b in found.items()}
