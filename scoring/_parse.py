"""Small checkers for reading the already-parsed scoring YAML.

Each reports problems through a callback instead of raising, so the loader can
collect every problem in one pass and the user fixes the file once.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

Report = Callable[[str, str], None]  # (path, message), e.g. ("bands[1].min", "must be a number")


def mapping(value: object, path: str, report: Report) -> Mapping[str, Any] | None:
    """The value as a mapping with string keys, or None after reporting."""
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        report(path, "must be a mapping of names to values")
        return None
    return value


def items(value: object, path: str, report: Report) -> list[Any] | None:
    """The value as a list, or None after reporting."""
    if not isinstance(value, list):
        report(path, "must be a list")
        return None
    return value


def known_keys(raw: Mapping[str, Any], allowed: Collection[str], path: str, report: Report) -> None:
    """Report every key not in `allowed` (typos would otherwise be silently ignored)."""
    for key in raw:
        if key not in allowed:
            report(
                f"{path}.{key}" if path else key,
                f"unknown key; expected one of: {', '.join(sorted(allowed))}",
            )


def text(raw: Mapping[str, Any], key: str, path: str, report: Report) -> str | None:
    """A required non-empty string field."""
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        report(f"{path}.{key}", "is required and must be non-empty text")
        return None
    return value


def number(value: object, path: str, report: Report, *, positive: bool = False) -> Decimal | None:
    """A finite number (YAML int, float or numeric string) as an exact Decimal."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        report(path, "must be a number")
        return None
    try:
        # str() first so 0.1 in YAML stays 0.1, not the nearest binary float.
        result = Decimal(str(value).strip())
    except InvalidOperation:
        report(path, f"must be a number, got {value!r}")
        return None
    if not result.is_finite():
        report(path, "must be a finite number")
        return None
    if positive and result <= 0:
        report(path, f"must be greater than 0, got {result}")
        return None
    return result


def whole(value: object, path: str, report: Report, *, minimum: int = 1) -> int | None:
    """A whole number of at least `minimum`."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        report(path, f"must be a whole number of at least {minimum}")
        return None
    return value
