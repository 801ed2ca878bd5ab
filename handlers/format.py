"""Numbers and dates as people read them."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any


def num(value: Any, places: int | None = None) -> str:
    """`120000` -> `120,000`; `96.50` -> `96.5`; None -> `—`."""
    if value is None or value == "":
        return "—"
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if places is not None:
        return f"{d:,.{places}f}"
    if d == d.to_integral_value():
        return f"{int(d):,}"
    # Figures read best with at most two decimals (94.3368% -> 94.34).
    return f"{d.quantize(Decimal('0.01')).normalize():,f}"


def pct(value: Any) -> str:
    """`95.20` -> `95.2%`; None -> `no data`."""
    return "no data" if value is None else f"{num(Decimal(str(value)).quantize(Decimal('0.1')))}%"


def exact(value: Decimal | None) -> str:
    """Every stored decimal (`94.3368`), with thousands separators: for figures under audit."""
    return "—" if value is None else f"{value.normalize():,f}"
