"""Who is acting: an employee resolved from a chat identity."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """The person behind a command or a button press, as the handlers see them."""

    employee_id: int
    email: str
    name: str
    role: str  # employee | manager | hr | admin
    branch_id: int
    platform: str = "console"
