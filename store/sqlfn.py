"""The few SQL functions that differ between SQLite and PostgreSQL, behind one name each."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float, Numeric, String, case, cast, func, literal, null
from sqlalchemy.sql.elements import ColumnElement


def round2(dialect: str, expr: Any, places: int = 2) -> ColumnElement[Any]:
    """Round half away from zero to 2 places, as scoring.attainment.round2 does."""
    if dialect == "postgresql":
        return func.round(cast(expr, Numeric), places)
    # SQLite computes in binary floating point: 12.345 may be stored as 12.34499999.
    # Every figure rounded here is non-negative, so a nudge far below a cent restores
    # the decimal half-up rule without ever moving a value that isn't on a boundary.
    return func.round(cast(expr, Float) + 1e-9, places)


def fixed2(dialect: str, expr: Any) -> ColumnElement[Any]:
    """A number as text with exactly 2 decimals (`48.00`), NULL stays NULL."""
    if dialect == "postgresql":
        return cast(cast(expr, Numeric(18, 2)), String)
    return case((expr.is_(None), null()), else_=func.printf("%.2f", expr))


def plain(dialect: str, expr: Any) -> ColumnElement[Any]:
    """A number as text without trailing zeros where the database can (`1000000`, `86.56`)."""
    if dialect == "postgresql":
        return cast(func.trim_scale(cast(expr, Numeric)), String)
    # SQLite holds decimals as binary floats: print 4 places, then drop trailing zeros.
    text = func.rtrim(func.rtrim(func.printf("%.4f", expr), "0"), ".")
    return case((expr.is_(None), null()), else_=text)


def json_object(dialect: str, *pairs: tuple[str, Any]) -> ColumnElement[Any]:
    """A JSON object built in SQL from (key, expression) pairs."""
    args: list[Any] = []
    for key, value in pairs:
        args += [literal(key), value]
    fn = func.json_build_object if dialect == "postgresql" else func.json_object
    return fn(*args)


def json_array_agg(dialect: str, expr: Any) -> ColumnElement[Any]:
    """Aggregate JSON values (built in the same SELECT) into an array, in no particular order."""
    if dialect == "postgresql":
        return func.json_agg(expr)
    return func.json_group_array(expr)


def string_agg_distinct(dialect: str, expr: Any) -> ColumnElement[Any]:
    """Distinct values joined with commas."""
    if dialect == "postgresql":
        return func.string_agg(expr.distinct(), literal(","))
    return func.group_concat(expr.distinct())


def rows_table(name: str, cols: list[tuple[str, Any]], rows: list[tuple[Any, ...]]) -> Any:
    """A small constant table (SELECT ... UNION ALL SELECT ...), portable where VALUES with
    column aliases is not (SQLite)."""
    from sqlalchemy import cast, select, union_all

    selects = [
        select(*[cast(literal(v, t), t).label(c) for (c, t), v in zip(cols, row, strict=True)])
        for row in rows
    ]
    return (union_all(*selects) if len(selects) > 1 else selects[0]).subquery(name)
