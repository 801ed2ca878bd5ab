"""The few SQL functions that differ between SQLite and PostgreSQL, behind one name each."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float, Numeric, cast, func, literal, select, union_all
from sqlalchemy.sql.elements import ColumnElement


def round2(dialect: str, expr: Any, places: int = 2) -> ColumnElement[Any]:
    """Round half away from zero to 2 places, as scoring.attainment.round2 does."""
    if dialect == "postgresql":
        return func.round(cast(expr, Numeric), places)
    # SQLite computes in binary floating point: 12.345 may be stored as 12.34499999.
    # Every figure rounded here is non-negative, so a nudge far below a cent restores
    # the decimal half-up rule without ever moving a value that isn't on a boundary.
    return func.round(cast(expr, Float) + 1e-9, places)


def rows_table(name: str, cols: list[tuple[str, Any]], rows: list[tuple[Any, ...]]) -> Any:
    """A small constant table (SELECT ... UNION ALL SELECT ...), portable where VALUES with
    column aliases is not (SQLite)."""
    selects = [
        select(*[cast(literal(v, t), t).label(c) for (c, t), v in zip(cols, row, strict=True)])
        for row in rows
    ]
    return (union_all(*selects) if len(selects) > 1 else selects[0]).subquery(name)
