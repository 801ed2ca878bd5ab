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
    # The branch's time zone when whoever resolved the actor read it along (one join there
    # saves a query in every command that needs the local date); None: look it up.
    timezone: str | None = None
    # The language replies are written in (handlers.i18n): the org file's, the chat
    # platform's, else the branch's; None: English.
    locale: str | None = None
