"""Small checkers for reading the already-parsed scoring YAML.

Each reports problems through a callback instead of raising, so the loader can
collect every problem in one pass and the user fixes the file once.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from said import Said
from scoring import strings as ss

Report = Callable[[str, str], None]  # (path, message), e.g. ("bands[1].min", "must be a number")


def mapping(value: object, path: str, report: Report) -> Mapping[str, Any] | None:
    """The value as a mapping with string keys, or None after reporting."""
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        report(path, Said(ss.NOT_A_MAPPING))
        return None
    return value


def items(value: object, path: str, report: Report) -> list[Any] | None:
    """The value as a list, or None after reporting."""
    if not isinstance(value, list):
        report(path, Said(ss.NOT_A_LIST))
        return None
    return value


def known_keys(raw: Mapping[str, Any], allowed: Collection[str], path: str, report: Report) -> None:
    """Report every key not in `allowed` (typos would otherwise be silently ignored)."""
    for key in raw:
        if key not in allowed:
            report(
                f"{path}.{key}" if path else key,
                Said(ss.UNKNOWN_KEY, keys=", ".join(sorted(allowed))),
            )


def text(raw: Mapping[str, Any], key: str, path: str, report: Report) -> str | None:
    """A required non-empty string field."""
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        report(f"{path}.{key}", Said(ss.TEXT_REQUIRED))
        return None
    return value


def number(value: object, path: str, report: Report, *, positive: bool = False) -> Decimal | None:
    """A finite number (YAML int, float or numeric string) as an exact Decimal."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        report(path, Said(ss.NOT_A_NUMBER))
        return None
    try:
        # str() first so 0.1 in YAML stays 0.1, not the nearest binary float.
        result = Decimal(str(value).strip())
    except InvalidOperation:
        report(path, Said(ss.NOT_A_NUMBER_GOT, value=value))
        return None
    if not result.is_finite():
        report(path, Said(ss.NOT_FINITE))
        return None
    if positive and result <= 0:
        report(path, Said(ss.NOT_POSITIVE, value=result))
        return None
    return result


def whole(value: object, path: str, report: Report, *, minimum: int = 1) -> int | None:
    """A whole number of at least `minimum`."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        report(path, Said(ss.NOT_WHOLE, minimum=minimum))
        return None
    return value
