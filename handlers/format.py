"""Numbers and dates as people read them."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any


def num(value: Any, places: int | None = None) -> str:
    """`120000` -> `120,000`; `96.50` -> `96.5`; None -> `—`."""
    if value is None or value == "":
        return "—"
    d = _decimal(value)
    if d is None:
        return str(value)
    if places is not None:
        return f"{d:,.{places}f}"
    if d == d.to_integral_value():
        return f"{int(d):,}"
    # Figures read best with at most two decimals (94.3368% -> 94.34).
    return f"{d.quantize(_CENT).normalize():,f}"


def pct(value: Any) -> str:
    """`95.20` -> `95.2%`; None -> `no data`."""
    if value is None:
        return "no data"
    d = _decimal(value)
    return f"{num(d.quantize(_TENTH))}%" if d is not None else f"{value}%"


_CENT, _TENTH = Decimal("0.01"), Decimal("0.1")


def _decimal(value: Any) -> Decimal | None:
    if type(value) is Decimal:  # stored figures already are (most calls)
        return value
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def exact(value: Decimal | None) -> str:
    """Every stored decimal (`94.3368`), with thousands separators: for figures under audit."""
    return "—" if value is None else f"{value.normalize():,f}"


def plain(value: Decimal | None) -> str:
    """Every digit, no separators, never scientific (`1000000`, not `1E+6`): a form's value."""
    return "" if value is None else f"{value.normalize():f}"


def plural(n: int, forms: tuple[str, str]) -> str:
    """A count and its noun: `1 goal`, `2 goals`, `1,200 records` (forms: one, many)."""
    return f"{num(n)} {forms[0] if n == 1 else forms[1]}"


def shown(person: Any) -> str:
    """How cards name a person: their `display_name` from the org file, else the full name
    (never the first word: for a Chinese name that is the family name)."""
    return str(getattr(person, "display_name", None) or person.name)
