"""How the connectors' own messages (English, for operators' logs and CLI output) count."""

from __future__ import annotations


def count(n: int, one: str, many: str) -> str:
    """`1 error`, `9 errors`: a count and its noun, never `error(s)`."""
    return f"{n} {one if n == 1 else many}"
